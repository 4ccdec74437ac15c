/**
 * Characters that do not show as themselves (controls a terminal obeys, direction characters
 * that reorder a line, characters that show nothing), each with how a refusal names it and
 * the escape the printed command line writes for it inside $'...'. Shared by the scanner,
 * quoting and dry-run specs.
 */
export interface HiddenCharacterCase {
  readonly char: string;
  readonly kind: string;
  readonly name: string;
  readonly escape: string;
}

const CASES: readonly [string, string, string, string][] = [
  ['\x1b', 'a control character', 'U+001B ESCAPE', '\\e'],
  ['\r', 'a control character', 'U+000D CARRIAGE RETURN', '\\r'],
  ['\x07', 'a control character', 'U+0007 BELL', '\\a'],
  ['\b', 'a control character', 'U+0008 BACKSPACE', '\\b'],
  ['\v', 'a control character', 'U+000B LINE TABULATION', '\\v'],
  ['\f', 'a control character', 'U+000C FORM FEED', '\\f'],
  ['\x01', 'a control character', 'U+0001 START OF HEADING', '\\x01'],
  ['\x1f', 'a control character', 'U+001F INFORMATION SEPARATOR ONE', '\\x1f'],
  ['\x7f', 'a control character', 'U+007F DELETE', '\\x7f'],
  ['\x85', 'a control character', 'U+0085 NEXT LINE', '\\xc2\\x85'],
  ['\x9b', 'a control character', 'U+009B CONTROL SEQUENCE INTRODUCER', '\\xc2\\x9b'],
  ['\u202a', 'a text direction character', 'U+202A LEFT-TO-RIGHT EMBEDDING', '\\xe2\\x80\\xaa'],
  ['\u202b', 'a text direction character', 'U+202B RIGHT-TO-LEFT EMBEDDING', '\\xe2\\x80\\xab'],
  ['\u202c', 'a text direction character', 'U+202C POP DIRECTIONAL FORMATTING', '\\xe2\\x80\\xac'],
  ['\u202d', 'a text direction character', 'U+202D LEFT-TO-RIGHT OVERRIDE', '\\xe2\\x80\\xad'],
  ['\u202e', 'a text direction character', 'U+202E RIGHT-TO-LEFT OVERRIDE', '\\xe2\\x80\\xae'],
  ['\u2066', 'a text direction character', 'U+2066 LEFT-TO-RIGHT ISOLATE', '\\xe2\\x81\\xa6'],
  ['\u2067', 'a text direction character', 'U+2067 RIGHT-TO-LEFT ISOLATE', '\\xe2\\x81\\xa7'],
  ['\u2068', 'a text direction character', 'U+2068 FIRST STRONG ISOLATE', '\\xe2\\x81\\xa8'],
  ['\u2069', 'a text direction character', 'U+2069 POP DIRECTIONAL ISOLATE', '\\xe2\\x81\\xa9'],
  ['\u200e', 'a text direction character', 'U+200E LEFT-TO-RIGHT MARK', '\\xe2\\x80\\x8e'],
  ['\u200f', 'a text direction character', 'U+200F RIGHT-TO-LEFT MARK', '\\xe2\\x80\\x8f'],
  ['\u061c', 'a text direction character', 'U+061C ARABIC LETTER MARK', '\\xd8\\x9c'],
  ['\u00ad', 'an invisible character', 'U+00AD SOFT HYPHEN', '\\xc2\\xad'],
  ['\u200b', 'an invisible character', 'U+200B ZERO WIDTH SPACE', '\\xe2\\x80\\x8b'],
  ['\u200c', 'an invisible character', 'U+200C ZERO WIDTH NON-JOINER', '\\xe2\\x80\\x8c'],
  ['\u200d', 'an invisible character', 'U+200D ZERO WIDTH JOINER', '\\xe2\\x80\\x8d'],
  ['\u2060', 'an invisible character', 'U+2060 WORD JOINER', '\\xe2\\x81\\xa0'],
  ['\u2062', 'an invisible character', 'U+2062 INVISIBLE TIMES', '\\xe2\\x81\\xa2'],
  ['\ufeff', 'an invisible character', 'U+FEFF ZERO WIDTH NO-BREAK SPACE', '\\xef\\xbb\\xbf'],
  ['\u2028', 'an invisible character', 'U+2028 LINE SEPARATOR', '\\xe2\\x80\\xa8'],
  ['\u2029', 'an invisible character', 'U+2029 PARAGRAPH SEPARATOR', '\\xe2\\x80\\xa9'],
  ['\u{e0001}', 'an invisible character', 'U+E0001 LANGUAGE TAG', '\\xf3\\xa0\\x80\\x81'],
  [
    '\u{e0041}',
    'an invisible character',
    'U+E0041 TAG LATIN CAPITAL LETTER A',
    '\\xf3\\xa0\\x81\\x81',
  ],
  ['\u{e007e}', 'an invisible character', 'U+E007E TAG TILDE', '\\xf3\\xa0\\x81\\xbe'],
  ['\u{e007f}', 'an invisible character', 'U+E007F CANCEL TAG', '\\xf3\\xa0\\x81\\xbf'],
  ['\ufe0f', 'an invisible character', 'U+FE0F VARIATION SELECTOR-16', '\\xef\\xb8\\x8f'],
  ['\u{e0100}', 'an invisible character', 'U+E0100 VARIATION SELECTOR-17', '\\xf3\\xa0\\x84\\x80'],
  ['\u3164', 'an invisible character', 'U+3164 HANGUL FILLER', '\\xe3\\x85\\xa4'],
  ['\u2800', 'an invisible character', 'U+2800 BRAILLE PATTERN BLANK', '\\xe2\\xa0\\x80'],
  ['\u0600', 'an invisible character', 'U+0600', '\\xd8\\x80'],
  ['\u00a0', 'a space other than the ASCII space', 'U+00A0 NO-BREAK SPACE', '\\xc2\\xa0'],
  ['\u3000', 'a space other than the ASCII space', 'U+3000 IDEOGRAPHIC SPACE', '\\xe3\\x80\\x80'],
];

export const HIDDEN_CHARACTER_CASES: readonly HiddenCharacterCase[] = CASES.map(
  ([char, kind, name, escape]) => ({ char, kind, name, escape }),
);

// Tab and line feed: outside quotes a word break and a refused line break, inside quotes
// refused like the others, in an array shown escaped.
export const WHITESPACE_CONTROL_CASES: readonly HiddenCharacterCase[] = [
  { char: '\t', kind: 'a control character', name: 'U+0009 CHARACTER TABULATION', escape: '\\t' },
  { char: '\n', kind: 'a line break', name: 'U+000A LINE FEED', escape: '\\n' },
];
