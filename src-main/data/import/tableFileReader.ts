import { startWorker } from '../../runtime/worker.ts';
import { ImportError } from './rowConverter.ts';
import { type TableFileJob, type TableFileMessage } from './tableFileMessages.ts';

const BATCH_ROWS = 8192;

/**
 * Parses a CSV file on a worker thread and yields its batches in order, so parsing the next batch overlaps with
 * writing this one. Call `consumed()` after writing each batch: the worker waits when it gets too far ahead.
 */
export async function* readTableFile(
  path: string,
  fileName: string,
  tableName: string,
  options: { maxFieldLength?: number } = {},
): AsyncGenerator<TableFileMessage, void, void> {
  const control = new SharedArrayBuffer(8);
  const counters = new Int32Array(control);
  const job: TableFileJob = { path, fileName, tableName, batchRows: BATCH_ROWS, control, ...options };
  const worker = startWorker(new URL('./tableFile.worker.ts', import.meta.url), { workerData: job });
  const queue: TableFileMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let exited = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: TableFileMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message) {
        if (message.type === 'error') {
          throw message.importError ? new ImportError(message.message) : new Error(message.message);
        }
        yield message;
        if (message.type === 'batch') {
          Atomics.add(counters, 1, 1);
          Atomics.notify(counters, 1);
        }
        if (message.type === 'done') return;
        continue;
      }
      if (failure) throw failure;
      if (exited) throw new Error(`the reader of ${fileName} stopped unexpectedly`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await worker.terminate();
  }
}
