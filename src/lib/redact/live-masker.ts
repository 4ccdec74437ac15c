import type { MaskPass } from './mask-pass';
import type { Redact } from './redact';

/**
 * Masks output as it arrives, so that the result never depends on where a read ended. Each
 * pass of the redactor keeps its own pending text (its input not yet passed on); what it passes
 * on goes to the next pass. Complete lines go on at once, an open line when the stream is
 * quiet or too long, and every cut stops before what the pass holds back (what could still
 * become a secret), except at the end. A redactor without passes falls back to cutting after
 * line breaks only (the long-line cut then keeps `keepChars`, its best guess).
 */
export interface LiveMasker {
  // Takes more text; returns what can be shown now.
  write(text: string): string;
  // After a quiet moment: everything but what is held back.
  settle(): string;
  // At the end of the stream: everything.
  end(text?: string): string;
  // Whether some text waits (for a line break, a quiet moment, or to be proven no secret).
  readonly waiting: boolean;
}

type Mode = 'line' | 'quiet' | 'long' | 'end';

interface Stage {
  readonly pass: Pick<MaskPass, 'mask'> & Partial<Pick<MaskPass, 'holdBack'>>;
  // The pass's input not passed on yet.
  text: string;
  // The last character passed on (context for a word boundary).
  before: string;
  // Just after the last line break in `text` (0 when there is none; first pass only).
  lineEnd: number;
}

// How much of the text that follows a pass may look at (more only makes it hold longer).
const LOOKAHEAD_CHARS = 8 * 1024;

export function createLiveMasker(
  redact: Redact,
  { maxLineChars = 64 * 1024, keepChars = 1024 } = {},
): LiveMasker {
  const passes = redact.passes ?? [{ mask: (text: string) => redact(text) }];
  const stages: Stage[] = passes.map((pass) => ({ pass, text: '', before: '', lineEnd: 0 }));
  const first = stages[0] as Stage;

  function advance(mode: Mode): string {
    let carry = '';
    for (let index = 0; index < stages.length; index++) {
      const stage = stages[index] as Stage;
      if (index > 0) {
        // In line mode a stage whose input did not change has nothing new to cut.
        if (carry === '' && mode === 'line') continue;
        stage.text += carry;
      }
      carry = take(stage, mode, index);
    }
    return carry;
  }

  function take(stage: Stage, mode: Mode, index: number): string {
    const { pass, text, before } = stage;
    // Only the first pass waits for whole lines: the others get whole lines, or the start of
    // one that the first pass cut before what it holds back.
    const limit = mode === 'line' && stage === first ? stage.lineEnd : text.length;
    if (limit === 0) return '';
    let cut = limit;
    if (mode !== 'end') {
      const head = limit === text.length ? text : text.slice(0, limit);
      const hold = pass.holdBack
        ? pass.holdBack(head, before, readAfter(text.slice(limit), index))
        : mode === 'long'
          ? keepChars
          : 0;
      cut = Math.max(0, limit - hold);
    }
    if (cut === 0) return '';
    const shown = pass.mask(cut === text.length ? text : text.slice(0, cut), before);
    stage.before = text.charAt(cut - 1);
    stage.text = text.slice(cut);
    stage.lineEnd = Math.max(0, stage.lineEnd - cut);
    return shown;
  }

  // What follows a stage's own text: what the stages before it still hold, nearest first.
  function readAfter(own: string, index: number): string {
    let after = own.slice(0, LOOKAHEAD_CHARS);
    for (let i = index - 1; i >= 0 && after.length < LOOKAHEAD_CHARS; i--) {
      const { text } = stages[i] as Stage;
      if (text !== '') after += text.slice(0, LOOKAHEAD_CHARS - after.length);
    }
    return after;
  }

  return {
    write(text) {
      append(first, text);
      const open = first.text.length - first.lineEnd;
      return advance(open > maxLineChars ? 'long' : 'line');
    },
    settle: () => advance('quiet'),
    end(text = '') {
      append(first, text);
      return advance('end');
    },
    get waiting() {
      return stages.some((stage) => stage.text !== '');
    },
  };
}

function append(stage: Stage, text: string): void {
  if (text === '') return;
  const at = stage.text.length;
  stage.text += text;
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  if (lastBreak !== -1) stage.lineEnd = at + lastBreak + 1;
}
