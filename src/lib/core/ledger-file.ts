// The ledger's file name in a stage's output directory: the run writes it, and the ship gate's
// configuration names prepare's.
export const LEDGER_FILE = 'checks_run.json';
