import { appendFile } from 'node:fs/promises';
import {
  moveLedgerAside,
  readLedger,
  readRunRecord,
  removeStaleTempFiles,
  writeFileAtomic,
  writeLedger,
  writeRunRecord,
} from './ledger-file';
import type { LedgerStore } from './ledger-store';

// The run's files on disk: the ledger, run record and reports replaced atomically, the job
// summary appended.
export const fileStore: LedgerStore = {
  read: readLedger,
  write: writeLedger,
  readRecord: readRunRecord,
  writeRecord: writeRunRecord,
  moveAside: moveLedgerAside,
  writeText: writeFileAtomic,
  appendText: (file, text) => appendFile(file, text, 'utf8'),
  removeStaleTemp: removeStaleTempFiles,
};
