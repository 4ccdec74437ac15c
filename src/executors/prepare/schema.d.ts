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

// One value, or one per environment; strings may use {app} and {env}.
export type PerEnvOption<T> = T | { qa: T; prod: T };

export interface DevopsOptions {
  platform?: 'heroku' | 'local' | 'kubernetes' | 'docker-compose' | 'fly' | 'ssh' | 'custom';
  qa_app?: string;
  prod_app?: string;
  post_deploy_cmd?: CommandOption;
  post_deploy_timeout?: number;
  deploy_cmd?: { qa?: CommandOption; prod?: CommandOption };
  publish?: (string | { name: string; check_cmd: CommandOption; publish_cmd: CommandOption })[];
  redact_env?: string[];
  // Platform settings, each allowed only with its own devops.platform.
  kubernetes?: {
    workload?: PerEnvOption<string>;
    namespace?: PerEnvOption<string>;
    context?: PerEnvOption<string>;
    container?: PerEnvOption<string>;
  };
  'docker-compose'?: {
    service: PerEnvOption<string>;
    project?: PerEnvOption<string>;
    file?: PerEnvOption<string | string[]>;
  };
  fly?: { process_group?: PerEnvOption<string>; region?: PerEnvOption<string> };
  ssh?: { host: PerEnvOption<string>; directory?: PerEnvOption<string> };
  custom?: { argv: PerEnvOption<string[]> };
}
