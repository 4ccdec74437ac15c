import { appendFile } from 'node:fs/promises';
import type { LedgerStore } from '../run/run-plan';
import {
  moveLedgerAside,
  readLedger,
  removeStaleTempFiles,
  writeFileAtomic,
  writeLedger,
} from './ledger-file';

// The run's files on disk: the ledger and reports replaced atomically, the job summary appended.
export const fileStore: LedgerStore = {
  read: readLedger,
  write: writeLedger,
  moveAside: moveLedgerAside,
  writeText: writeFileAtomic,
  appendText: (file, text) => appendFile(file, text, 'utf8'),
  removeStaleTemp: removeStaleTempFiles,
};
