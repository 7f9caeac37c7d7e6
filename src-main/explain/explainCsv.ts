import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { csvLine } from '../data/csv/csvCell.ts';
import { readCsvFile } from '../data/csv/readCsvFile.ts';
import { InputError, layoutColumns, readRecord, type ColumnLayout } from './csvColumns.ts';
import type { ShapBatch, ShapMethod } from './explainer.ts';
import { readOnnxTrees } from './onnxTrees.ts';
import { openShapRunner } from './shapPool.ts';

export interface ExplainCsvOptions {
  modelFile: string;
  inputFile: string;
  outFile: string;
  /** Rows for interventional TreeSHAP (same columns as the input). */
  backgroundFile?: string;
  threads: number;
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
}

export interface ExplainCsvSummary {
  rows: number;
  method: ShapMethod;
  notice: string;
  /** How the input's columns were matched to the model's features. */
  columns: string;
  threads: number;
  elapsedMs: number;
}

const BATCH_ROWS = 256;
/** Batches handed to the workers before the oldest must be written out: keeps both busy, bounds memory. */
const IN_FLIGHT = 4;
/** Below this, starting worker threads (each loading the model) costs more than it saves. */
const SMALL_INPUT_BYTES = 256 * 1024;

/**
 * Explains every row of a CSV file into another: per row the margin, the model's output, one SHAP value per
 * feature and the bias. Streams both files; the output appears under its name only once complete.
 */
export async function explainCsvFile(options: ExplainCsvOptions): Promise<ExplainCsvSummary> {
  const started = performance.now();
  const model = readOnnxTrees(options.modelFile);
  const names = model.featureNames;
  const n = names.length;
  const background = options.backgroundFile ? readMatrix(options.backgroundFile, names) : undefined;
  if (background && background.rows === 0)
    throw new InputError(`${options.backgroundFile}: no background rows`);
  const threads = inputSize(options.inputFile) < SMALL_INPUT_BYTES ? 1 : options.threads;
  const runner = openShapRunner({ modelFile: options.modelFile, background, threads });
  const partial = `${options.outFile}.partial`;
  let fd: number | undefined;
  try {
    fd = openSync(partial, 'w');
    const out = fd;
    writeSync(
      out,
      csvLine(['margin', 'probability', ...names.map((name) => `shap_${name}`), 'shap_bias']) + '\n',
    );
    let layout: ColumnLayout | undefined;
    let values = new Float64Array(BATCH_ROWS * n);
    let filled = 0;
    let rows = 0;
    const submit = () => {
      runner.submit({ values, rows: filled });
      values = new Float64Array(BATCH_ROWS * n);
      filled = 0;
      while (runner.pending >= IN_FLIGHT) writeSync(out, formatBatch(runner.take(), n));
    };
    readCsvFile(
      options.inputFile,
      (record) => {
        if (!layout) {
          layout = layoutColumns(options.inputFile, record, names);
          if (layout.hasHeader) return;
        }
        readRecord(options.inputFile, layout, names, record, values, filled * n);
        filled++;
        rows++;
        if (filled === BATCH_ROWS) submit();
      },
      { onChunk: (bytesRead, totalBytes) => options.onProgress?.(bytesRead, totalBytes, rows) },
    );
    if (!layout) throw new InputError(`${options.inputFile}: the file is empty`);
    if (filled > 0) submit();
    while (runner.pending > 0) writeSync(out, formatBatch(runner.take(), n));
    closeSync(out);
    fd = undefined;
    renameSync(partial, options.outFile);
    return {
      rows,
      method: runner.method,
      notice: runner.notice,
      columns: layout.description,
      threads,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await runner.close();
  }
}

function inputSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    throw new InputError(`${file}: cannot read the input (${(error as Error).message})`);
  }
}

/** A whole CSV file of rows, matched to the features like the input. */
function readMatrix(file: string, names: readonly string[]): { values: Float64Array; rows: number } {
  const n = names.length;
  const rows: Float64Array[] = [];
  let layout: ColumnLayout | undefined;
  readCsvFile(file, (record) => {
    if (!layout) {
      layout = layoutColumns(file, record, names);
      if (layout.hasHeader) return;
    }
    const row = new Float64Array(n);
    readRecord(file, layout, names, record, row, 0);
    rows.push(row);
  });
  const values = new Float64Array(rows.length * n);
  rows.forEach((row, r) => values.set(row, r * n));
  return { values, rows: rows.length };
}

function formatBatch(batch: ShapBatch, n: number): string {
  const lines: string[] = [];
  for (let r = 0; r < batch.rows; r++) {
    const fields = [String(batch.margins[r]), String(batch.outputs[r])];
    for (let j = 0; j <= n; j++) fields.push(String(batch.shap[r * (n + 1) + j]));
    lines.push(fields.join(','));
  }
  return lines.join('\n') + '\n';
}
