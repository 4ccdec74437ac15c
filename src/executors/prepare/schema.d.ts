// Options of nx-release-deploy:prepare, as in schema.json (devops is validated by the executor).
export interface PrepareExecutorOptions {
  devops?: DevopsOptions;
  dryRun?: boolean;
  resume?: boolean;
  releaseId?: string;
  outputPath?: string;
}

// A command: a string of plain shell words, or an argv array.
export type CommandOption = string | string[];

export interface DevopsOptions {
  platform?: 'heroku' | 'local';
  qa_app?: string;
  prod_app?: string;
  post_deploy_cmd?: CommandOption;
  post_deploy_timeout?: number;
  deploy_cmd?: { qa?: CommandOption; prod?: CommandOption };
  publish?: (string | { name: string; check_cmd: CommandOption; publish_cmd: CommandOption })[];
  redact_env?: string[];
}
