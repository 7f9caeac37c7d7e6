import type { CellBatch } from './cellBatch.ts';
import type { Reject } from './rowConverter.ts';

/** What the parsing worker sends to the writer, in order: a layout, batches, then done (or an error). */
export type TableFileMessage =
  | { type: 'layout'; unknownColumns: string[] }
  | {
      type: 'batch';
      batch: CellBatch;
      /** The CSV line of each row, to name it if the writer rejects it (duplicate key). */
      lines: Int32Array;
      rejects: Reject[];
      warnedRows: number;
      rowsRead: number;
      bytesRead: number;
      totalBytes: number;
    }
  | { type: 'done'; unknownLevels: [string, [string, number][]][] }
  | { type: 'error'; message: string; importError: boolean };

export interface TableFileJob {
  path: string;
  fileName: string;
  tableName: string;
  batchRows: number;
  maxFieldLength?: number;
  /** Int32Array over it: [batches posted, batches consumed], so the reader never runs far ahead of the writer. */
  control: SharedArrayBuffer;
}

export const MAX_BATCHES_IN_FLIGHT = 4;
