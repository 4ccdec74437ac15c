// One thing wrong with a target's options: where (option path), what, and how to fix it.
export interface ConfigIssue {
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

// Joins an option path the way users write it in project.json: devops.publish[0].name.
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return path === '' ? String(segment) : `${path}.${String(segment)}`;
  }, '');
}
