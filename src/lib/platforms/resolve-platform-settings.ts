import type { ConfigIssue } from '../core/config-issue';
import { describeValue } from '../core/describe-value';
import { isRecord } from '../core/is-record';
import { describeUnspawnableText } from '../command/spawn-limits';
import type { PlatformAdapter, SettingPath } from './platform-adapter';
import type { PerEnv, SettingField, SettingFields, SettingsOf } from './setting-fields';

const ENVS = ['qa', 'prod'] as const;
const PLACEHOLDER = /\{([a-z_]+)\}/g;

type Env = (typeof ENVS)[number];
type Value = string | readonly string[];

/**
 * Turns a platform block (already shape-checked by its schema) into settings for QA and prod:
 * per-environment values picked, defaults applied, {app} and {env} filled in, and every value
 * checked by its field's rule, then by the adapter's own cross-checks. Every problem comes back.
 */
export function resolvePlatformSettings<F extends SettingFields>(
  adapter: PlatformAdapter<F>,
  block: Readonly<Record<string, unknown>> | undefined,
  apps: PerEnv<string>,
): { settings: PerEnv<SettingsOf<F>> } | { issues: ConfigIssue[] } {
  const at = `devops.${adapter.name}`;
  const missing = describeMissing(adapter, block);
  if (missing.length > 0) return { issues: missing };
  const pathOf: SettingPath = (key, env) =>
    isRecord(block?.[key]) ? `${at}.${key}.${env}` : `${at}.${key}`;
  const issues: ConfigIssue[] = [];
  const settings = { qa: {}, prod: {} } as Record<Env, Record<string, Value | undefined>>;
  for (const env of ENVS) {
    for (const [key, field] of Object.entries(adapter.fields)) {
      const raw = block?.[key] ?? field.default;
      const value = isRecord(raw) ? raw[env] : raw;
      settings[env][key] =
        value === undefined
          ? undefined
          : resolveValue(field, value as Value, { app: apps[env], env }, pathOf(key, env), issues);
    }
  }
  if (issues.length > 0) return { issues: removeRepeats(issues) };
  const resolved = settings as unknown as PerEnv<SettingsOf<F>>;
  const more = adapter.checkSettings?.(resolved, pathOf) ?? [];
  return more.length > 0 ? { issues: removeRepeats(more) } : { settings: resolved };
}

function describeMissing(
  adapter: PlatformAdapter<SettingFields>,
  block: Readonly<Record<string, unknown>> | undefined,
): ConfigIssue[] {
  const missing = Object.entries(adapter.fields).filter(
    ([key, field]) => field.required && block?.[key] === undefined,
  );
  if (missing.length === 0) return [];
  if (block === undefined) {
    const keys = missing.map(([key, field]) => `"${key}": ${field.example}`).join(', ');
    return [
      {
        path: `devops.${adapter.name}`,
        problem: `is required when devops.platform is ${adapter.name}`,
        fix: `add "${adapter.name}": { ${keys} }`,
      },
    ];
  }
  return missing.map(([key, field]) => ({
    path: `devops.${adapter.name}.${key}`,
    problem: 'is required',
    fix: `set it, e.g. "${key}": ${field.example}`,
  }));
}

function resolveValue(
  field: SettingField,
  value: Value,
  vars: { app: string; env: Env },
  path: string,
  issues: ConfigIssue[],
): Value {
  if (typeof value === 'string' && field.kind !== 'argv') {
    const resolved = resolveText(field, value, vars, path, issues);
    return field.kind === 'list' ? [resolved] : resolved;
  }
  return [...value].map((element, index) =>
    resolveText(field, element, vars, `${path}[${index}]`, issues),
  );
}

// Fills {app} and {env} into one string and checks the result against the field's rule.
function resolveText(
  field: SettingField,
  text: string,
  vars: { app: string; env: Env },
  path: string,
  issues: ConfigIssue[],
): string {
  const kept = field.placeholders ?? [];
  const unknown = [...text.matchAll(PLACEHOLDER)]
    .map((match) => match[1] as string)
    .filter((name) => name !== 'app' && name !== 'env' && !kept.includes(name));
  if (unknown.length > 0) {
    const allowed = ['app', 'env', ...kept].map((name) => `{${name}}`).join(', ');
    issues.push({
      path,
      problem: `uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `{${name}}`).join(', ')}`,
      fix: `use only ${allowed}`,
    });
    return text;
  }
  const filled = text.replace(PLACEHOLDER, (whole, name: string) =>
    name === 'app' ? vars.app : name === 'env' ? vars.env : whole,
  );
  // Every setting ends up in an argument: one that no program can be started with is refused
  // here, naming the setting, rather than by the operating system when the step runs.
  const unspawnable = describeUnspawnableText(filled);
  if (unspawnable) {
    issues.push({ path, ...unspawnable });
    return filled;
  }
  if (field.rule && !field.rule.test(filled)) {
    const from = filled === text ? '' : ` (from ${describeValue(text)})`;
    issues.push({
      path,
      problem: `${describeValue(filled)}${from} is not a valid ${field.rule.noun}`,
      fix: field.rule.rule,
    });
  }
  return filled;
}

// A single value is checked for QA and for prod: say what is wrong with it once.
function removeRepeats(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.path)) return false;
    seen.add(issue.path);
    return true;
  });
}
