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
  // Context (already passed on) up to `from`, then the pending text.
  text: string;
  from: number;
  // Just after the last line break in `text` (0 when there is none).
  lineEnd: number;
}

// The context kept before pending text: one character, for a token's word boundary.
const CONTEXT_CHARS = 1;
// How much of the text that follows a pass may look at (more only makes it hold longer).
const LOOKAHEAD_CHARS = 8 * 1024;

export function createLiveMasker(
  redact: Redact,
  { maxLineChars = 64 * 1024, keepChars = 1024 } = {},
): LiveMasker {
  const passes = redact.passes ?? [
    { mask: (text: string, from: number) => redact(text.slice(from)) },
  ];
  const stages: Stage[] = passes.map((pass) => ({ pass, text: '', from: 0, lineEnd: 0 }));
  const first = stages[0] as Stage;

  function advance(mode: Mode): string {
    let carry = '';
    for (const [index, stage] of stages.entries()) {
      if (index > 0) {
        // In line mode a stage whose input did not change has nothing new to cut.
        if (carry === '' && mode === 'line') continue;
        append(stage, carry);
      }
      carry = take(stage, mode, index);
    }
    return carry;
  }

  function take(stage: Stage, mode: Mode, index: number): string {
    const { pass, text, from } = stage;
    const limit = mode === 'line' ? stage.lineEnd : text.length;
    if (limit <= from) return '';
    let cut = limit;
    if (mode !== 'end') {
      const head = limit === text.length ? text : text.slice(0, limit);
      const hold = pass.holdBack
        ? pass.holdBack(head, from, readAfter(text.slice(limit), index))
        : mode === 'long'
          ? keepChars
          : 0;
      cut = Math.max(from, limit - hold);
    }
    if (cut === from) return '';
    const shown = pass.mask(cut === text.length ? text : text.slice(0, cut), from);
    const context = Math.min(cut, CONTEXT_CHARS);
    stage.text = text.slice(cut - context);
    stage.from = context;
    stage.lineEnd = Math.max(0, stage.lineEnd - (cut - context));
    return shown;
  }

  // What follows a stage's own text: what the stages before it still hold, nearest first.
  function readAfter(own: string, index: number): string {
    let after = own.slice(0, LOOKAHEAD_CHARS);
    for (let i = index - 1; i >= 0 && after.length < LOOKAHEAD_CHARS; i--) {
      const stage = stages[i] as Stage;
      after += stage.text.slice(stage.from, stage.from + LOOKAHEAD_CHARS - after.length);
    }
    return after;
  }

  return {
    write(text) {
      append(first, text);
      const open = first.text.length - Math.max(first.lineEnd, first.from);
      return advance(open > maxLineChars ? 'long' : 'line');
    },
    settle: () => advance('quiet'),
    end(text = '') {
      append(first, text);
      return advance('end');
    },
    get waiting() {
      return stages.some((stage) => stage.text.length > stage.from);
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
