// Options of nx-release-deploy:init, as in schema.json.
export interface InitGeneratorSchema {
  skipFormat?: boolean;
}
