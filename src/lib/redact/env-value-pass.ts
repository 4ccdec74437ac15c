import { MASK, type MaskPass } from './mask-pass';

// Masks every occurrence of one secret value, and holds back a start of it (multi-line too).
export function createEnvValuePass(value: string): MaskPass {
  const borders = computeBorders(value);
  // Text that follows can end a start of the value only if no mask there could continue it.
  const canLookAhead = !value.includes(MASK[0] as string);
  return {
    mask: (text) => text.split(value).join(MASK),
    holdBack(text, _before, after) {
      let cut = findOpenStart(text, Math.max(0, text.length - value.length + 1));
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

      /**
       * Where the longest end of the text that may still grow into the value starts (the text's
       * length if none): a Knuth-Morris-Pratt scan from `start` (fewer characters than the value
       * has, so only a proper start is found), linear whatever the value repeats. It goes on
       * into `after` while that is known: a start that `after` contradicts is let go (masks
       * earlier passes may still put there cannot help it: `***` is not in the value).
       */
      function findOpenStart(text: string, start: number): number {
        let matched = 0;
        for (let i = start; i < text.length; i++) matched = step(matched, text.charCodeAt(i));
        if (matched === 0 || !canLookAhead) return text.length - matched;
        for (let i = 0; i < after.length && i < value.length - 1; i++) {
          matched = step(matched, after.charCodeAt(i));
          const open = text.length + i + 1 - matched;
          if (matched === value.length) return open;
          if (open >= text.length) return text.length;
        }
        return Math.min(
          text.length,
          text.length + Math.min(after.length, value.length - 1) - matched,
        );
      }
    },
  };

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
