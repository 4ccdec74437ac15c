import { MASK, type MaskPass } from './mask-pass';

// How many places the quick search for a value's start tries before the linear scan takes over.
const QUICK_TRIES = 16;

// Masks every occurrence of one secret value, and holds back a start of it (multi-line too).
export function createEnvValuePass(value: string): MaskPass {
  const borders = computeBorders(value);
  const first = value.charAt(0);
  // What follows can rule out a start of the value only if no mask there could continue it.
  const canLookAhead = !value.includes(MASK.charAt(0));
  return {
    mask: (text) => text.split(value).join(MASK),
    holdBack(text, _before, after) {
      let cut = findOpenStart(text, after);
      if (cut === text.length) return 0;
      // A whole occurrence across that point would be cut too: wait from its start instead.
      // Occurrences are taken left to right without overlap, as `split` does.
      for (let at = text.indexOf(value); at !== -1 && at < cut;) {
        if (at + value.length > cut) {
          cut = at;
          break;
        }
        at = text.indexOf(value, at + value.length);
      }
      return text.length - cut;
    },
  };

  /**
   * Where the longest end of the text that may still grow into the value starts (the text's
   * length if none): a Knuth-Morris-Pratt scan of the text's last characters (fewer than the
   * value has, so that only a proper start is found), linear whatever the value repeats. It
   * goes on into `after` while that is known, letting go of a start that `after` contradicts
   * (a mask an earlier pass may still put there cannot continue it: `***` is not in the value).
   */
  function findOpenStart(text: string, after: string): number {
    let matched = matchEnd(text, Math.max(0, text.length - value.length + 1));
    if (matched === 0 || !canLookAhead) return text.length - matched;
    const known = Math.min(after.length, value.length - 1);
    for (let i = 0; i < known; i++) {
      matched = step(matched, after.charCodeAt(i));
      const open = text.length + i + 1 - matched;
      if (matched === value.length) return open;
      if (open >= text.length) return text.length;
    }
    return Math.min(text.length, text.length + known - matched);
  }

  /**
   * The length of the longest end of text[from..] that is a start of the value. Most texts hold
   * few of the value's first character, so those places are tried first (a native search);
   * past a few, the Knuth-Morris-Pratt scan from the next one keeps it linear.
   */
  function matchEnd(text: string, from: number): number {
    let tries = 0;
    for (let at = text.indexOf(first, from); at !== -1; at = text.indexOf(first, at + 1)) {
      if (tries++ === QUICK_TRIES) {
        let matched = 0;
        for (let i = at; i < text.length; i++) matched = step(matched, text.charCodeAt(i));
        return matched;
      }
      if (value.startsWith(text.slice(at))) return text.length - at;
    }
    return 0;
  }

  // One character more: the longest end of what was scanned that is a start of the value.
  function step(matched: number, char: number): number {
    let next = matched === value.length ? (borders[matched - 1] ?? 0) : matched;
    while (next > 0 && value.charCodeAt(next) !== char) next = borders[next - 1] ?? 0;
    return value.charCodeAt(next) === char ? next + 1 : 0;
  }
}

// borders[i]: the longest proper start of value[0..i] that is also its end.
function computeBorders(value: string): Int32Array {
  const borders = new Int32Array(value.length);
  let length = 0;
  for (let i = 1; i < value.length; i++) {
    const char = value.charCodeAt(i);
    while (length > 0 && value.charCodeAt(length) !== char) length = borders[length - 1] ?? 0;
    if (value.charCodeAt(length) === char) length += 1;
    borders[i] = length;
  }
  return borders;
}
