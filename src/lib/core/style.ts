// Colour for the plugin's own lines: functions that wrap text in ANSI codes, or return it as is.
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
const keep = (text: string) => text;

export const PLAIN: Style = { bold: keep, dim: keep, red: keep, green: keep, yellow: keep };
const ANSI: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
};

/**
 * Colour only where it helps and is wanted: NO_COLOR (any value) turns it off; FORCE_COLOR
 * turns it on (Nx sets it for tasks when its own terminal has colour), except "0"/"false";
 * otherwise only when stdout is a terminal.
 */
export function chooseStyle(
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force === '0' || force === 'false' ? PLAIN : ANSI;
  return isTTY ? ANSI : PLAIN;
}
