import { DEFAULT_PREPARE_TARGET } from './resolve-target';

const SHIP_EXECUTOR = 'nx-release-deploy:ship';

// A project's targets as project.json declares them (the part the plugin reads).
export type ProjectTargets = Readonly<
  Record<
    string,
    {
      readonly executor?: string;
      readonly options?: Record<string, unknown>;
      readonly configurations?: Readonly<Record<string, Record<string, unknown> | undefined>>;
    }
  >
>;

// The prepare target a ship's options name (prepareTarget, else release-prepare).
export function findPrepareName(options: Readonly<Record<string, unknown>>): string {
  return typeof options.prepareTarget === 'string' ? options.prepareTarget : DEFAULT_PREPARE_TARGET;
}

// A target's options as Nx would run it: its options, overlaid by the configuration's.
export function readTargetOptions(
  targets: ProjectTargets,
  name: string,
  configurationName: string | undefined,
): Record<string, unknown> | undefined {
  const found = targets[name];
  if (!found) return undefined;
  const configuration = configurationName ? found.configurations?.[configurationName] : undefined;
  return { ...(found.options ?? {}), ...(configuration ?? {}) };
}

// The ship targets of a project that inherit this prepare target's devops (and gate on it).
export function findInheritingShips(
  prepareName: string,
  targets: ProjectTargets,
  configurationName: string | undefined,
): { readonly name: string; readonly options: Record<string, unknown> }[] {
  return Object.keys(targets).flatMap((name) => {
    if (targets[name]?.executor !== SHIP_EXECUTOR) return [];
    const options = readTargetOptions(targets, name, configurationName) ?? {};
    return findPrepareName(options) === prepareName ? [{ name, options }] : [];
  });
}
