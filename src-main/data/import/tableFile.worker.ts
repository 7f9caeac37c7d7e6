import { parentPort, workerData } from 'node:worker_threads';
import { CsvFileError, readCsvFile } from '../csv/readCsvFile.ts';
import { fileSpecFor } from '../schema.ts';
import { type CellBatch, createCellBatch } from './cellBatch.ts';
import { ImportError, type Reject, RowConverter, layoutFromHeader } from './rowConverter.ts';
import { MAX_BATCHES_IN_FLIGHT, type TableFileJob, type TableFileMessage } from './tableFileMessages.ts';

const job = workerData as TableFileJob;
const port = parentPort!;
const control = new Int32Array(job.control);

function post(message: TableFileMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** Blocks this thread while the writer is MAX_BATCHES_IN_FLIGHT batches behind, bounding memory. */
function waitForWriter(): void {
  for (;;) {
    const consumed = Atomics.load(control, 1);
    if (Atomics.load(control, 0) - consumed < MAX_BATCHES_IN_FLIGHT) return;
    Atomics.wait(control, 1, consumed, 1000);
  }
}

try {
  const match = fileSpecFor(job.fileName);
  if (!match || match.table.name !== job.tableName)
    throw new Error(`${job.fileName} is not a ${job.tableName} file`);
  let converter: RowConverter | undefined;
  let batch: CellBatch = createCellBatch(match.table, job.batchRows);
  let lines: number[] = [];
  let rejects: Reject[] = [];
  let warnedRows = 0;
  let rowsRead = 0;
  let bytesRead = 0;
  let totalBytes = 0;
  const flush = () => {
    const lineArray = Int32Array.from(lines);
    waitForWriter();
    Atomics.add(control, 0, 1);
    post({ type: 'batch', batch, lines: lineArray, rejects, warnedRows, rowsRead, bytesRead, totalBytes }, [
      lineArray.buffer,
      batch.numbers.buffer,
      batch.codes.buffer,
    ]);
    batch = createCellBatch(match.table, job.batchRows);
    lines = [];
    rejects = [];
    warnedRows = 0;
    rowsRead = 0;
  };
  readCsvFile(
    job.path,
    (record) => {
      if (!converter) {
        if (record.error) throw new ImportError(`${job.fileName}: unreadable header line: ${record.error}`);
        const layout = layoutFromHeader(job.fileName, match.table, match.file, record.fields);
        post({ type: 'layout', unknownColumns: layout.unknownColumns });
        converter = new RowConverter(layout);
        return;
      }
      rowsRead++;
      if (record.error) {
        rejects.push(converter.reject(record.line, '', record.fields.join(',').slice(0, 200), record.error));
      } else {
        const result = converter.convertInto(record.fields, record.line, batch);
        if (result.reject) rejects.push(result.reject);
        else {
          batch.rowCount++;
          lines.push(record.line);
          if (result.warned) warnedRows++;
        }
      }
      if (lines.length >= job.batchRows || rejects.length >= job.batchRows) flush();
    },
    {
      maxFieldLength: job.maxFieldLength,
      onChunk: (read, total) => {
        bytesRead = read;
        totalBytes = total;
      },
    },
  );
  if (!converter) throw new ImportError(`${job.fileName}: the file is empty (no header line)`);
  flush();
  post({
    type: 'done',
    unknownLevels: [...converter.unknownLevels].map(([column, levels]) => [column, [...levels]]),
  });
} catch (error) {
  post({
    type: 'error',
    message: (error as Error).message,
    importError: error instanceof ImportError || error instanceof CsvFileError,
  });
}
