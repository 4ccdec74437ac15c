// What a valid value of a setting is, for the check and for the message that refuses it:
// `devops.kubernetes.namespace "Shop" is not a valid Kubernetes namespace. <rule>.`
export interface NameRule {
  readonly test: (value: string) => boolean;
  readonly noun: string;
  readonly rule: string;
}

/**
 * One key of a platform block (`devops.<platform>.<key>`). Every setting is one value, or
 * `{ "qa": ..., "prod": ... }` when the environments differ, and may use {app} and {env}; the
 * value is checked after those are filled in, once per environment.
 * - `string`: one string; `list`: a string or an array of strings; `argv`: an array of strings.
 */
export interface SettingField {
  readonly kind: 'string' | 'list' | 'argv';
  readonly required?: true;
  // Used when the key is absent; may use {app} and {env}.
  readonly default?: string;
  // Checks each value (each element of a list).
  readonly rule?: NameRule;
  // Placeholders left in place for the adapter, beyond {app} and {env} (custom: {cmd}, {argv}).
  readonly placeholders?: readonly string[];
  // A JSON value shown when a required key is missing: "deploy@shop.example.com".
  readonly example: string;
  // What the setting does and what happens without it, for schema.json and schema.d.ts (the
  // rule, "Required" and the per-environment form are added from the fields above).
  readonly description: string;
}

// A platform's keys, by name: what its block may contain.
export type SettingFields = Readonly<Record<string, SettingField>>;

type FieldValue<F extends SettingField> = F extends { readonly kind: 'string' }
  ? string
  : readonly string[];

// The settings of one environment once resolved: placeholders filled, values checked.
export type SettingsOf<F extends SettingFields> = {
  readonly [K in keyof F]: F[K] extends { readonly required: true } | { readonly default: string }
    ? FieldValue<F[K]>
    : FieldValue<F[K]> | undefined;
};

// A value for each environment: settings, app names.
export interface PerEnv<T> {
  readonly qa: T;
  readonly prod: T;
}
