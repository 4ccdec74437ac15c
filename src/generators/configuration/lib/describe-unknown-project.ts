import { suggestKey } from '../../../lib/config/suggest-key';

// A generator cannot create the project: name the closest existing one and how to list them all.
export function describeUnknownProject(name: string, known: readonly string[]): string {
  const guess = suggestKey(name, known);
  return (
    `Cannot add the release targets: project "${name}" was not found in this workspace.` +
    (guess ? ` Did you mean "${guess}"?` : '') +
    ' Pass the name of an existing project as --project (nx show projects lists them).'
  );
}
