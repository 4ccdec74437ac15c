// Options of nx-release-deploy:configuration, as in schema.json (kebab-case on the command line).
export interface ConfigurationGeneratorSchema {
  project: string;
  // Required for a new configuration; an update takes them from the existing devops.
  qaApp?: string;
  prodApp?: string;
  postDeployCmd?: string;
  platform?: 'heroku' | 'local';
  postDeployTimeout?: number;
  deployCmdQa?: string;
  deployCmdProd?: string;
  skipFormat?: boolean;
}
