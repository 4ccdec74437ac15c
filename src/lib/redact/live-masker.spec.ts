import fc from 'fast-check';
import { createLiveMasker } from './live-masker';
import { makeRedactor } from '../test-support/make-redactor';

/**
 * Masking must not depend on where a read ends. Random secrets (multi-line ones, ones sharing
 * starts with each other and with the text around them) in random text, cut into random
 * chunks with random quiet moments between them: the output never shows a secret, equals
 * masking the whole text at once, and after each quiet moment shows all but what could still
 * become a secret.
 */

// Characters that start no token shape, so that only the secrets' own starts are held back.
const PLAIN = [...'hijklmopqrstuvwxyzIJKLMOPQRSTUVWXYZ .,;!?%=\n\r'];
// The same with the pieces token shapes are made of, and characters that start them.
const RICH = [
  ...PLAIN,
  ...'abcdefABCDEF0123456789-_:/@Hn\t',
  'Bearer ',
  'basic ',
  'HRKU-',
  'npm_',
  'ghp_',
  'FlyV1 ',
  '_authToken=',
  'https://',
  'u:p@',
];

interface Case {
  readonly secrets: readonly string[];
  readonly text: string;
  readonly cuts: readonly { readonly at: number; readonly quiet: boolean }[];
  readonly maxLineChars: number;
}

// Secrets sharing starts with one another, some of them spanning lines like a PEM key.
function secretsOf(unit: fc.Arbitrary<string>, label: string): fc.Arbitrary<string[]> {
  const pem = fc
    .array(fc.string({ unit, minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 4 })
    .map((lines) => `-----${label}-----\n${lines.join('\n')}\n-----${label}-----`);
  const base = fc.oneof(fc.string({ unit, minLength: 6, maxLength: 30 }), pem);
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), fc.string({ unit, maxLength: 16 })), { maxLength: 3 }))
    .map(([first, variants]) => [
      first,
      ...variants.map(([keep, tail]) => first.slice(0, keep % (first.length + 1)) + tail),
    ])
    .map((list) => [...new Set(list)].filter((secret) => secret.length >= 6))
    .filter((list) => list.length > 0);
}

// Text made of filler, secrets, their starts and ends, and near misses.
function caseOf(chars: readonly string[], pemLabel: string): fc.Arbitrary<Case> {
  const unit = fc.constantFrom(...chars);
  return secretsOf(unit, pemLabel).chain((secrets) => {
    const secret = fc.constantFrom(...secrets);
    const piece = fc.oneof(
      fc.string({ unit, maxLength: 12 }),
      secret,
      fc.tuple(secret, fc.nat()).map(([s, n]) => s.slice(0, n % s.length)),
      fc.tuple(secret, fc.nat()).map(([s, n]) => s.slice(n % s.length)),
      fc
        .tuple(secret, fc.nat(), unit)
        .map(([s, n, c]) => s.slice(0, n % s.length) + c + s.slice((n % s.length) + 1)),
    );
    return fc.record({
      secrets: fc.constant(secrets),
      text: fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
      cuts: fc.array(fc.record({ at: fc.nat(), quiet: fc.boolean() }), { maxLength: 12 }),
      maxLineChars: fc.constantFrom(8, 40, 64 * 1024),
    });
  });
}

function redactorFor(secrets: readonly string[]) {
  const env = Object.fromEntries(secrets.map((secret, i) => [`SECRET_${i}`, secret]));
  return makeRedactor(Object.keys(env), env);
}

// Writes the text in its chunks; after each quiet moment, `isLive` judges what was shown.
function run(
  { secrets, text, cuts, maxLineChars }: Case,
  isLive: (written: string, shown: string) => boolean = () => true,
): { output: string; live: boolean } {
  const masker = createLiveMasker(redactorFor(secrets), { maxLineChars });
  const ends = [...new Set(cuts.map((cut) => cut.at % (text.length + 1)))].sort((a, b) => a - b);
  let shown = '';
  let written = 0;
  let live = true;
  for (const end of ends) {
    shown += masker.write(text.slice(written, end));
    written = end;
    if (cuts.some((cut) => cut.at % (text.length + 1) === end && cut.quiet)) {
      shown += masker.settle();
      live &&= isLive(text.slice(0, written), shown);
    }
  }
  shown += masker.write(text.slice(written));
  return { output: shown + masker.end(), live };
}

// Whether some end of the text is a proper start of a secret.
function endsInSecretStart(text: string, secrets: readonly string[]): boolean {
  return secrets.some((secret) =>
    Array.from({ length: Math.min(secret.length - 1, text.length) }, (_, i) => i + 1).some((size) =>
      secret.startsWith(text.slice(text.length - size)),
    ),
  );
}

/**
 * Whether a quiet moment showed all it may: the masking of what was written but for a held
 * end, one that begins where a secret (or a start of one) begins, is no longer than each
 * secret's start and an occurrence of it across that start, and is held only if the text
 * ends in a start of a secret.
 */
function showsAllButSecretStarts(secrets: readonly string[], written: string, shown: string) {
  const redact = redactorFor(secrets);
  const most = secrets.reduce((sum, secret) => sum + 2 * secret.length - 2, 0);
  const cuts = [written.length];
  for (let at = written.length - 1; at >= Math.max(0, written.length - most); at--) {
    const rest = written.slice(at);
    if (secrets.some((secret) => secret.startsWith(rest) || rest.startsWith(secret))) cuts.push(at);
  }
  const kept = cuts.find((at) => redact(written.slice(0, at)) === shown);
  return kept === written.length || (kept !== undefined && endsInSecretStart(written, secrets));
}

// The output shows no secret and is what masking the whole text at once gives.
function masksAsWhole(secrets: readonly string[], text: string, output: string): boolean {
  return (
    !secrets.some((secret) => output.includes(secret)) && output === redactorFor(secrets)(text)
  );
}

// Runs per property: each writes its text in up to 13 chunks, with up to 12 quiet moments.
const RUNS = 3000;

describe('createLiveMasker', () => {
  it('masks secrets however the text is chunked, and shows all but their starts when quiet', () => {
    fc.assert(
      fc.property(caseOf(PLAIN, 'TLS KXY'), (input) => {
        const { output, live } = run(input, (written, shown) =>
          showsAllButSecretStarts(input.secrets, written, shown),
        );
        return live && masksAsWhole(input.secrets, input.text, output);
      }),
      { numRuns: RUNS },
    );
  });

  it('masks secrets and token shapes however the text is chunked', () => {
    fc.assert(
      fc.property(caseOf(RICH, 'BEGIN PRIVATE KEY'), (input) =>
        masksAsWhole(input.secrets, input.text, run(input).output),
      ),
      { numRuns: RUNS },
    );
  });

  it('passes complete lines at once and an open line only when quiet', () => {
    const masker = createLiveMasker(makeRedactor([], {}));
    expect(masker.write('one\ntwo\nthr')).toBe('one\ntwo\n');
    expect(masker.waiting).toBe(true);
    expect(masker.settle()).toBe('thr');
    expect(masker.write('ee\n')).toBe('ee\n');
    expect(masker.waiting).toBe(false);
  });

  it('lets go of a start of one secret that what another still holds contradicts', () => {
    const masker = createLiveMasker(redactorFor(['hhhhhhhhJ', 'hhhhJM']));
    // `hhhhJ` could start the second secret, but `hh` follows (held as a start of the first).
    expect(masker.write('QhhhhhhhJhh') + masker.settle()).toBe('QhhhhhhhJ');
    expect(masker.end()).toBe('hh');
  });

  it('cuts a long open line, still holding back a secret start', () => {
    const masker = createLiveMasker(makeRedactor(['KEY'], { KEY: 'sk-live-123456' }), {
      maxLineChars: 100,
    });
    expect(masker.write('x'.repeat(99))).toBe('');
    expect(masker.write('x sk-li')).toBe(`${'x'.repeat(100)} `);
    expect(masker.write('ve-123456 y') + masker.end()).toBe('*** y');
  });

  it('falls back to line cuts for a plain function', () => {
    const masker = createLiveMasker((text: string) => text.split('sk-live').join('***'), {
      maxLineChars: 10,
      keepChars: 4,
    });
    expect(masker.write('a sk-live\nb sk-')).toBe('a ***\n');
    expect(masker.write('live and more')).toBe('b *** and ');
    expect(masker.end()).toBe('more');
  });
});
