// What every pass leaves in place of a secret.
export const MASK = '***';

/**
 * One masking pass (one env value, one token shape). The redactor applies its passes in order,
 * each to the previous one's output; a stream applies each pass to its input piece by piece.
 * `holdBack` is what makes that safe: how many characters at the end of a text must wait for
 * more output, because they could still become (or change) a masked secret. Cutting anywhere
 * else gives the same result as masking the whole text at once, whatever comes next.
 * Both read context they do not mask: `before`, the last character of the previous piece (a
 * token's word boundary); `after`, text known to follow that the pass has not been given yet
 * (earlier passes still hold it, and may yet replace parts of it with `***`), which a pass may
 * use to let go of a start that it contradicts.
 */
export interface MaskPass {
  readonly mask: (text: string, before: string) => string;
  readonly holdBack: (text: string, before: string, after: string) => number;
}
