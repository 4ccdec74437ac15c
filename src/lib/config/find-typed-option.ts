// What the finder needs of an Nx task: its target and the overrides Nx parsed for it.
export interface TaskOverrides {
  readonly target: { readonly project: string; readonly target: string };
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * Nx's command-line parser turns `--releaseId=20261201` into the number 20261201 and `1e5` into
 * 100000; the text as typed survives only in a task's `overrides.__overrides_unparsed__`. A task
 * whose options came through `dependsOn` (`params: forward`) has an empty list there, so the
 * other tasks of the graph are read too, this target's own first. The text is returned only
 * when it is given once and is what the parser made the number from.
 */
export function findTypedOption(
  name: string,
  value: number,
  tasks: readonly TaskOverrides[],
  own: { readonly project: string; readonly target: string },
): string | undefined {
  const isOwn = (task: TaskOverrides) =>
    task.target.project === own.project && task.target.target === own.target;
  const ordered = [...tasks.filter(isOwn), ...tasks.filter((task) => !isOwn(task))];
  for (const task of ordered) {
    const unparsed = task.overrides?.['__overrides_unparsed__'];
    if (!Array.isArray(unparsed)) continue;
    const texts = readOptionTexts(
      name,
      unparsed.filter((arg) => typeof arg === 'string'),
    );
    if (texts.length === 1 && Number(texts[0]) === value) return texts[0];
  }
  return undefined;
}

// Every value given for `--name` (or `--kebab-name`), as `--name=value` or `--name value`.
function readOptionTexts(name: string, args: readonly string[]): string[] {
  const flags = new Set([`--${name}`, `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`]);
  const texts: string[] = [];
  args.forEach((arg, index) => {
    const equals = arg.indexOf('=');
    if (equals !== -1 && flags.has(arg.slice(0, equals))) texts.push(arg.slice(equals + 1));
    else if (flags.has(arg)) {
      const next = args[index + 1];
      if (next !== undefined && !next.startsWith('-')) texts.push(next);
    }
  });
  return texts;
}
