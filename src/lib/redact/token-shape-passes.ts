import { MASK, type MaskPass } from './mask-pass';

/**
 * Token shapes, secrets wherever they appear. Each has:
 * - `pattern`, anchored on its left (a word boundary, a literal, a lookbehind), so that a long
 *   run of word characters is not tried from each of its positions (the URL pattern without it
 *   was quadratic on long lines);
 * - `replace`, which puts `***` in place of the secret part only and keeps every other
 *   character (whitespace included), so that a mask never joins text into something else;
 * - `needs`, a substring it cannot match without (or a quick test), checked first so that
 *   long output costs one scan per shape;
 * - `partial`, which matches an end of text that could still grow into a match, or a match
 *   that could still grow or stop matching (a token still open at the end). A stream holds
 *   that back. It is written as a chain of parts, each optional once the one before matched.
 */
export interface TokenShape {
  readonly pattern: RegExp;
  readonly replace: (match: RegExpExecArray) => string;
  readonly needs: string | RegExp;
  // The characters a partial is made of, as runs from its end (a Bearer token, the whitespace
  // before it, the word before that): a partial lies within the text's last such runs.
  readonly runs: readonly RegExp[];
  readonly partial: RegExp;
}

// A token still open this long is no longer held back whole (memory stays bounded).
const MAX_HELD_TOKEN_CHARS = 16 * 1024;

const BEARER_CHARS = '[A-Za-z0-9._~+/=-]';

// `a(?:b(?:c)?)?`: text that may stop after any part once the first one matched.
export function chainParts(parts: readonly string[]): string {
  return parts.reduceRight((rest, part) => (rest ? `${part}(?:${rest})?` : part), '');
}

// The parts of a literal word, one character each, then what may follow it.
export function spellParts(word: string, then: string): string[] {
  return [...[...word].map((char) => char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')), then];
}

// A shape's `partial` from its source: what it matches at the very end of a text.
export function partialOf(source: string, flags = ''): RegExp {
  return new RegExp(`${source}$`, `g${flags}`);
}

// Tokens that are secrets on their own and belong to no platform or registry: GitHub's.
export const USUAL_TOKEN_SHAPES: readonly TokenShape[] = [
  {
    pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
    replace: () => MASK,
    needs: '_',
    runs: [/\w/],
    partial: partialOf(`\\b${chainParts(['g', 'h', '[pousr]', '_[A-Za-z0-9]*'])}`),
  },
];

// Secrets known by the keyword before them, which stays: HTTP authorization values.
export const USUAL_KEYWORD_SHAPES: readonly TokenShape[] = [
  {
    pattern: /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: (match) => `${match[1] ?? ''}${MASK}`,
    needs: /bearer|basic/i,
    runs: [/[\w.~+/=-]/, /\s/, /[a-z]/i],
    partial: partialOf(
      `\\b(?:${['Bearer', 'Basic']
        .map((word) => chainParts(spellParts(word, `\\s+${BEARER_CHARS}*`)))
        .join('|')})`,
      'i',
    ),
  },
];

// Passwords in URLs.
export const URL_PASSWORD_SHAPE: TokenShape = {
  // `scheme://user:password@`: the scheme is not part of the match (the character before
  // `://` is only looked at), so that a stream never holds back a word as a possible scheme.
  // The `:` comes first so that the scan looks for it alone.
  pattern: /(:(?<=[a-z0-9+.-]:)\/\/[^\s/:@'"]+):[^\s@/'"]+@/gi,
  replace: (match) => `${match[1] ?? ''}:${MASK}@`,
  needs: '://',
  runs: [/[^\s'"@]/],
  partial: partialOf(
    chainParts([':(?<=[a-z0-9+.-]:)', '\\/', '\\/', `[^\\s/:@'"]+`, `:[^\\s@/'"]*`]),
    'i',
  ),
};

// The pass that masks one token shape in a text, and tells a stream what to hold back for it.
export function createTokenShapePass(shape: TokenShape): MaskPass {
  const { pattern, replace, needs, runs, partial } = shape;
  const mayMatch = (text: string) =>
    typeof needs === 'string' ? text.includes(needs) : needs.test(text);
  const classes = runs.map(createCharTest);
  // Where the text's last runs start, no further back than `limit`.
  const findRunsStart = (text: string, limit: number) =>
    classes.reduce((start, inRun) => {
      while (start > limit && inRun(text.charCodeAt(start - 1))) start -= 1;
      return start;
    }, text.length);
  return {
    mask(text, before) {
      if (!mayMatch(text)) return text;
      const full = before + text;
      let masked = '';
      let last = before.length;
      pattern.lastIndex = last;
      for (let match = pattern.exec(full); match; match = pattern.exec(full)) {
        masked += full.slice(last, match.index) + replace(match);
        last = pattern.lastIndex;
      }
      return masked + full.slice(last);
    },
    holdBack(text, before) {
      // Searching only the last runs of characters a partial is made of keeps this linear: a
      // search from each position of a longer stretch could rescan it from each.
      const limit = Math.max(0, text.length - MAX_HELD_TOKEN_CHARS);
      const start = findRunsStart(text, limit);
      if (start === text.length) return 0;
      // The character before the text decides a start at 0 (its word boundary, its lookbehind).
      let cut = findOpen(start > 0 ? '' : before, text, start);
      if (cut === text.length) return 0;
      // A whole match across that point (matches are found left to right) waits from its start,
      // unless that is further back than a token is held.
      if (mayMatch(text)) {
        const full = before + text;
        pattern.lastIndex = before.length;
        for (let match = pattern.exec(full); match; match = pattern.exec(full)) {
          if (match.index >= before.length + cut) break;
          if (pattern.lastIndex > before.length + cut) {
            cut = Math.max(limit, match.index - before.length);
            break;
          }
        }
      }
      return text.length - cut;
    },
  };

  // Where the earliest end of the text that is still open starts (the text's length if none).
  function findOpen(before: string, text: string, start: number): number {
    const full = before + text;
    partial.lastIndex = before.length + start;
    const open = partial.exec(full);
    return open ? open.index - before.length : text.length;
  }
}

// A fast test of one character code against a one-character pattern.
function createCharTest(pattern: RegExp): (code: number) => boolean {
  const ascii = Uint8Array.from({ length: 128 }, (_, code) =>
    pattern.test(String.fromCharCode(code)) ? 1 : 0,
  );
  return (code) => (code < 128 ? ascii[code] === 1 : pattern.test(String.fromCharCode(code)));
}
