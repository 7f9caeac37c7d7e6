import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

export type Cell = number | string | null;
/** One row, keyed by column name; null is an empty field (Kaggle's missing value). */
export type Row = Record<string, Cell>;
/** How Kaggle writes a column: pandas float64 columns always carry a decimal point ("9.0"), int64 ones never. */
export type CellFormat = 'int' | 'float' | 'text';

export interface CsvColumn {
  name: string;
  format: CellFormat;
}

const FLUSH_CHARS = 1 << 16;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Writes rows to a stream as CSV, a buffer of about 64 K characters at a time. `write` never waits; the caller
 * awaits `drained()` between batches, which is where backpressure is honoured: a whole table is never held.
 */
export class CsvWriter {
  rows = 0;
  private buffer = '';
  private blocked = false;
  private failure: Error | undefined;
  private readonly names: string[];
  private readonly formats: CellFormat[];

  constructor(
    private readonly out: Writable,
    columns: readonly CsvColumn[],
  ) {
    this.names = columns.map((c) => c.name);
    this.formats = columns.map((c) => c.format);
    out.on('error', (error: Error) => {
      this.failure ??= error;
    });
    this.buffer = this.names.map(csvText).join(',') + '\n';
  }

  write(row: Row): void {
    const { names, formats } = this;
    let line = '';
    for (let i = 0; i < names.length; i++) {
      const value = row[names[i]!];
      if (value === undefined) throw new Error(`row has no value for column ${names[i]}`);
      if (i > 0) line += ',';
      if (value !== null) line += formatCell(value, formats[i]!, names[i]!);
    }
    this.buffer += line + '\n';
    this.rows++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Resolves when the stream has taken what it was given; rejects with the stream's error, if any. */
  async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.blocked) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.out.off('drain', onDrain);
        reject(error);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
    this.blocked = false;
  }

  get needsDrain(): boolean {
    return this.blocked || this.failure !== undefined;
  }

  async end(): Promise<void> {
    this.flush();
    this.out.end();
    await finished(this.out);
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    if (!this.out.write(this.buffer)) this.blocked = true;
    this.buffer = '';
  }
}

function formatCell(value: number | string, format: CellFormat, column: string): string {
  if (typeof value === 'string') {
    if (format !== 'text') throw new Error(`column ${column} is numeric but got the text '${value}'`);
    return csvText(value);
  }
  if (!Number.isFinite(value)) throw new Error(`column ${column} got the non-finite number ${value}`);
  if (format === 'float') return formatFloat(value);
  if (format === 'int' && Number.isInteger(value)) return String(value);
  throw new Error(`column ${column} (${format}) cannot hold the number ${value}`);
}

export function csvText(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A float the way pandas writes it (Python's repr): integral values keep ".0", and magnitudes below 1e-4 or from
 * 1e16 up use an exponent of at least two digits ("8.2e-08", "1e+16"), where JavaScript writes "0.000082" or
 * "10000000000000000".
 */
export function formatFloat(x: number): string {
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
  }
  return Number.isInteger(x) ? `${x}.0` : String(x);
}
