import { appendFile } from 'node:fs/promises';
import type { LedgerStore } from '../run/run-plan';
import {
  moveLedgerAside,
  readLedger,
  readRunRecord,
  removeStaleTempFiles,
  writeFileAtomic,
  writeLedger,
  writeRunRecord,
} from './ledger-file';

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
