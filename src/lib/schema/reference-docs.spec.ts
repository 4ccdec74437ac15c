import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildDevopsJsonSchema, type JsonSchema } from './build-devops-json-schema';
import { ALWAYS_MASKED_ENV, prepareOptionsSchema, shipOptionsSchema } from './schema-sources';

// Every key the code accepts is documented where users look it up: docs/reference.md (every
// devops key, every key inside one, every platform setting, every executor option) and the
// README's devops table; and every list of the always-masked variables is complete.
const ROOT = path.join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const REFERENCE = read('docs/reference.md');

const DEVOPS = buildDevopsJsonSchema() as { properties: Record<string, JsonSchema> };
const PLATFORM_NAMES = (DEVOPS.properties['platform']?.['enum'] ?? []) as string[];

// The keys inside a devops key's value: its object's, or those of the objects it may be.
function listInnerKeys(schema: JsonSchema): string[] {
  const alternatives = [
    schema,
    ...((schema['anyOf'] as JsonSchema[] | undefined) ?? []),
    ...(schema['items'] ? [schema['items'] as JsonSchema] : []),
  ];
  const keys = alternatives.flatMap((alternative) =>
    alternative === schema
      ? Object.keys((schema['properties'] as object | undefined) ?? {})
      : listInnerKeys(alternative),
  );
  return [...new Set(keys)];
}

// The text under the heading that names `devops.<key>`, up to the next heading.
function readSection(markdown: string, code: string): string | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.includes(`\`${code}\``));
  if (start === -1) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^#+ /.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

describe('docs/reference.md', () => {
  const keys = Object.keys(DEVOPS.properties);

  it.each(keys)('has a section for devops.%s', (key) => {
    expect(readSection(REFERENCE, `devops.${key}`)).toBeDefined();
  });

  it.each(
    keys.flatMap((key) =>
      listInnerKeys(DEVOPS.properties[key] as JsonSchema).map((inner) => [key, inner]),
    ),
  )('names devops.%s.%s in that section', (key, inner) => {
    const section = readSection(REFERENCE, `devops.${key}`) ?? '';
    expect({
      key,
      inner,
      named: [`\`${inner}\``, `"${inner}"`].some((form) => section.includes(form)),
    }).toEqual({
      key,
      inner,
      named: true,
    });
  });

  it.each([
    ...new Set([
      ...Object.keys(prepareOptionsSchema.shape),
      ...Object.keys(shipOptionsSchema.shape),
    ]),
  ])('has a section for the executor option %s', (option) => {
    expect(REFERENCE.split('\n').some((line) => line.startsWith(`### \`${option}\``))).toBe(true);
  });
});

describe("README's devops table", () => {
  const table = (readSection(read('README.md'), 'devops') ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'));

  it.each(Object.keys(DEVOPS.properties).filter((key) => !PLATFORM_NAMES.includes(key)))(
    'has a row for %s',
    (key) => {
      expect(table.filter((row) => row.startsWith(`| \`${key}\` `))).toHaveLength(1);
    },
  );
});

// A paragraph (or table) that names three or more of them as `NAME` is a list of them.
describe('lists of the always-masked variables', () => {
  const files = [
    'README.md',
    ...readdirSync(path.join(ROOT, 'docs')).map((name) => `docs/${name}`),
  ];
  const lists = files.flatMap((file) =>
    read(file)
      .split(/\n\s*\n/)
      .filter(
        (block) => ALWAYS_MASKED_ENV.filter((name) => block.includes(`\`${name}\``)).length >= 3,
      )
      .map((block) => [file, block.trim().split('\n')[0], block] as const),
  );

  it('are found', () => {
    expect(lists.length).toBeGreaterThan(0);
  });

  it.each(lists)('in %s name every one: %s', (_file, _line, block) => {
    expect(ALWAYS_MASKED_ENV.filter((name) => !block.includes(`\`${name}\``))).toEqual([]);
  });
});
