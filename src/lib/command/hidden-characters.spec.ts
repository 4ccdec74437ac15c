import {
  HIDDEN_CHARACTER_CASES,
  WHITESPACE_CONTROL_CASES,
} from '../test-support/hidden-characters';
import {
  classifyHiddenCharacter,
  describeCharacter,
  findHiddenCharacter,
  isHiddenCharacter,
} from './hidden-characters';

describe('isHiddenCharacter', () => {
  it.each([...HIDDEN_CHARACTER_CASES, ...WHITESPACE_CONTROL_CASES].map((c) => [c.name, c]))(
    'finds %s hidden, named and classified',
    (_name, { char, kind, name }) => {
      expect(isHiddenCharacter(char)).toBe(true);
      expect(describeCharacter(char)).toBe(name);
      expect(classifyHiddenCharacter(char)).toBe(kind);
    },
  );

  it.each(Array.from(' aZ09~é日🚀\u0301\u0336\ue000'))(
    'leaves %j alone: it shows (a space, a letter, an emoji, a combining mark, a private-use glyph)',
    (char) => {
      expect(isHiddenCharacter(char)).toBe(false);
    },
  );

  it('names every C0 and C1 control and every tag character', () => {
    const codes = [
      ...Array.from({ length: 0x20 }, (_, code) => code),
      ...Array.from({ length: 0x20 }, (_, index) => 0x80 + index),
      ...Array.from({ length: 0x80 }, (_, index) => 0xe0000 + index).filter(
        (code) => code === 0xe0001 || code >= 0xe0020,
      ),
    ];
    for (const code of codes) {
      expect(describeCharacter(String.fromCodePoint(code))).toMatch(/^U\+[0-9A-F]{4,5} [A-Z]/);
    }
  });
});

describe('findHiddenCharacter', () => {
  it.each<[string, number, number | undefined, number]>([
    ['plain words', 0, undefined, -1],
    ['a\u202eb', 0, undefined, 1],
    ['ab\u{e0041}', 0, undefined, 2],
    ['a\x1bb\x1b', 2, undefined, 3],
    ['a\x1bb', 2, undefined, -1],
    ['ab\x1b', 0, 2, -1],
  ])('in %j from %i to %s finds %i', (text, from, to, found) => {
    expect(findHiddenCharacter(text, from, to)).toBe(found);
  });
});
