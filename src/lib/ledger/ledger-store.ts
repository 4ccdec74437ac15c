import type { Stage } from '../config/release-config';
import type { Ledger } from './ledger';
import type { LedgerRead } from './parse-ledger';
import type { RunRecord, RunRecordRead } from './run-record';

// The run's file operations, passed in so that tests can fail or watch them.
export interface LedgerStore {
  read(file: string): Promise<LedgerRead>;
  write(file: string, ledger: Ledger): Promise<void>;
  readRecord(
    file: string,
    owner: { readonly project: string; readonly stage: Stage },
  ): Promise<RunRecordRead>;
  writeRecord(file: string, record: RunRecord): Promise<void>;
  moveAside(file: string, now: Date): Promise<string>;
  writeText(file: string, text: string): Promise<void>;
  appendText(file: string, text: string): Promise<void>;
  removeStaleTemp(dir: string, of?: string): Promise<void>;
}
