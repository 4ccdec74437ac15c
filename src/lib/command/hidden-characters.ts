import { nameCodePoint } from './character-names';

/**
 * Characters that do not show as themselves on a terminal, so that a printed command line
 * holding one could read as another command: controls (C0 with tab and line feed, DEL, C1: a
 * terminal obeys ESC and CR sequences), format characters (bidi embeddings, overrides,
 * isolates and marks reorder the text around them; zero-width characters, the soft hyphen and
 * tag characters show nothing), the other default-ignorable code points (variation selectors,
 * Hangul fillers, which also show nothing), the line and paragraph separators, every space
 * but the ASCII one (it reads as a word break that is not one) and the blank braille cell.
 * Combining marks, private-use and unassigned code points are not in it: they change or show
 * a glyph (a box when the font has none), so the reader sees that something is there.
 */
const HIDDEN_SOURCE = String.raw`(?! )\p{Zs}|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]`;
const HIDDEN = new RegExp(`^(?:${HIDDEN_SOURCE})$`, 'u');
const HIDDEN_ANYWHERE = new RegExp(HIDDEN_SOURCE, 'gu');

// The direction characters: they reorder how the text around them is shown.
const DIRECTION = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

// True for one character (a code point) that does not show as itself.
export function isHiddenCharacter(char: string): boolean {
  return HIDDEN.test(char);
}

// The index (in UTF-16 units) of the first hidden character of text[from, to), or -1.
export function findHiddenCharacter(text: string, from = 0, to = text.length): number {
  HIDDEN_ANYWHERE.lastIndex = from;
  const match = HIDDEN_ANYWHERE.exec(text);
  return match && match.index < to ? match.index : -1;
}

// The character for a message: `U+202E RIGHT-TO-LEFT OVERRIDE`, or the code point alone.
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const name = nameCodePoint(code);
  const point = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return name === undefined ? point : `${point} ${name}`;
}

// What kind of hidden character it is, as a message says it: `a text direction character`.
export function classifyHiddenCharacter(char: string): string {
  if (char === '\n') return 'a line break';
  if (/\p{Cc}/u.test(char)) return 'a control character';
  if (DIRECTION.test(char)) return 'a text direction character';
  if (/\p{Zs}/u.test(char)) return 'a space other than the ASCII space';
  return 'an invisible character';
}
