import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { csvQuoted } from '../csv/csvCell.ts';

export type Cell = number | string | null;
/** One row, keyed by column name; null is an empty field (Kaggle's missing value). */
export type Row = Record<string, Cell>;
/** How Kaggle writes a column: pandas float64 columns always carry a decimal point ("9.0"), int64 ones never. */
export type CellFormat = 'int' | 'float' | 'text';

export interface CsvColumn {
  name: string;
  format: CellFormat;
}

const CHUNK_BYTES = 1 << 18;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
/** Largest magnitude the exact fixed-point path handles: x * 10^4 stays an exact integer well below 2^53. */
const FIXED_LIMIT = 1e11;
const POWERS_OF_TEN = Array.from({ length: 17 }, (_, k) => 10 ** k);

/**
 * Writes rows to a stream as CSV. Fields are encoded straight into a byte buffer handed to the stream every
 * 256 KiB: no string per row or per number, which at the Kaggle scale (58 million rows) is what the garbage
 * collector would otherwise spend its time on. `write` never waits; the caller awaits `drained()` between
 * batches, which is where backpressure is honoured: a whole table is never held.
 */
export class CsvWriter {
  rows = 0;
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
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
    this.text(this.names.map(csvQuoted).join(',') + '\n');
  }

  /** Appends one row; a row that fails validation leaves nothing behind. */
  write(row: Row): void {
    const { names, formats } = this;
    const rowStart = this.pos;
    try {
      for (let i = 0; i < names.length; i++) {
        const value = row[names[i]!];
        if (value === undefined) throw new Error(`row has no value for column ${names[i]}`);
        if (i > 0) this.byte(COMMA);
        if (value !== null) this.cell(value, formats[i]!, names[i]!);
      }
      this.byte(NEWLINE);
    } catch (error) {
      this.pos = rowStart;
      throw error;
    }
    this.rows++;
    if (this.pos >= CHUNK_BYTES - 4096) this.flush();
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
    if (this.pos === 0) return;
    // The stream keeps the chunk until it is written, so the next rows go to a fresh buffer.
    if (!this.out.write(this.buf.subarray(0, this.pos))) this.blocked = true;
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
  }

  /** Makes room for n more bytes in the current row, growing the buffer rather than splitting a row. */
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  private text(s: string): void {
    this.reserve(3 * s.length);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  private cell(value: number | string, format: CellFormat, column: string): void {
    if (typeof value === 'string') {
      if (format !== 'text') throw new Error(`column ${column} is numeric but got the text '${value}'`);
      this.text(csvQuoted(value));
      return;
    }
    if (!Number.isFinite(value)) throw new Error(`column ${column} got the non-finite number ${value}`);
    if (format === 'int') {
      if (!Number.isInteger(value)) throw new Error(`column ${column} (int) cannot hold the number ${value}`);
      this.fixed(value, 0);
      return;
    }
    if (format === 'text') throw new Error(`column ${column} is text but got the number ${value}`);
    // Amounts, days and building ratios have at most 4 decimals; their shortest decimal form is then exactly
    // the fixed-point one, which is written digit by digit. Anything else goes through formatFloat.
    const magnitude = Math.abs(value);
    const scaled = Math.round(value * 10000);
    if (magnitude < FIXED_LIMIT && (magnitude >= 1e-4 || value === 0) && scaled / 10000 === value) {
      this.fixed(scaled, 4);
    } else {
      this.text(formatFloat(value));
    }
  }

  /**
   * Writes the integer n as a number with `decimals` implied decimal places, trailing zeros dropped; with
   * decimals > 0 at least one decimal digit is kept, so an integral float comes out as "9.0".
   */
  private fixed(n: number, decimals: number): void {
    if (Math.abs(n) >= 2 ** 53) {
      this.text(String(n));
      return;
    }
    this.reserve(24);
    const buf = this.buf;
    if (n < 0) {
      buf[this.pos++] = MINUS;
      n = -n;
    }
    let fraction = 0;
    let whole = n;
    if (decimals > 0) {
      fraction = n % POWERS_OF_TEN[decimals]!;
      whole = (n - fraction) / POWERS_OF_TEN[decimals]!;
    }
    // Digits are written right to left into their final place; the subtraction keeps the division exact.
    let length = 1;
    while (length < 16 && whole >= POWERS_OF_TEN[length]!) length++;
    let at = this.pos + length - 1;
    // Most numbers fit in 31 bits, where integer division is far cheaper than on doubles.
    while (whole >= 2147483648) {
      const digit = whole % 10;
      buf[at--] = ZERO + digit;
      whole = (whole - digit) / 10;
    }
    let small = whole | 0;
    do {
      const quotient = (small / 10) | 0;
      buf[at--] = ZERO + small - quotient * 10;
      small = quotient;
    } while (small > 0);
    this.pos += length;
    if (decimals === 0) return;
    buf[this.pos++] = DOT;
    let digits = decimals;
    while (digits > 1 && fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    at = this.pos + digits - 1;
    let rest = fraction | 0;
    for (let d = 0; d < digits; d++) {
      const quotient = (rest / 10) | 0;
      buf[at--] = ZERO + rest - quotient * 10;
      rest = quotient;
    }
    this.pos += digits;
  }
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
