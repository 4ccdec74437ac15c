import { readFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { renderSchemaFiles } from '../lib/schema/render-schema-files';

// schema.json and schema.d.ts are written from the zod schemas by `npm run schema` and
// committed; they must be exactly what the generator writes now, so that Nx Console, --help and
// the published types never drift from what the executor accepts.
const ROOT = path.join(__dirname, '..', '..');

describe.each(renderSchemaFiles().map((file) => [file.path, file] as const))('%s', (_, file) => {
  it('is what the zod schemas give (run npm run schema after changing them)', async () => {
    const target = path.join(ROOT, file.path);
    const expected = await format(file.text, {
      ...(await resolveConfig(target)),
      filepath: target,
    });
    expect(readFileSync(target, 'utf8')).toBe(expected);
  });
});
