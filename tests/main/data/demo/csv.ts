import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A reference CSV reader for the tests, written independently of the writer: RFC 4180 quoting ("" inside quotes),
 * LF or CRLF line ends. Unquoted fields are sliced out whole, which keeps it quick on the generated files. The
 * separator can be another character, the way French Excel reads a file with `;`.
 */
export function parseCsv(text: string, separator = ','): string[][] {
  const separatorCode = separator.charCodeAt(0);
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      field = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === separatorCode || c === 10 || c === 13) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (text[i] === separator) {
      i++;
      if (i === n) row.push('');
    } else {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

export interface Table {
  header: string[];
  rows: string[][];
  /** Several numeric columns at once, for destructuring. */
  nums<const N extends readonly string[]>(...names: N): { [K in keyof N]: number[] };
  /** Several text columns at once, for destructuring. */
  cols<const N extends readonly string[]>(...names: N): { [K in keyof N]: string[] };
  /** Values of one column, as written ('' for missing). */
  col(name: string): string[];
  /** Values of one column as numbers, NaN for missing. */
  num(name: string): number[];
}

const cache = new Map<string, Table>();

/** A CSV file as a table; each file is parsed once per test process. */
export function readTable(dir: string, file: string): Table {
  const path = join(dir, file);
  let table = cache.get(path);
  if (!table) cache.set(path, (table = parseTable(path)));
  return table;
}

function parseTable(path: string): Table {
  const file = path;
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) throw new Error(`${file} is empty`);
  const index = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file} has no column ${name}`);
    return i;
  };
  const columns = new Map<string, string[]>();
  const numbers = new Map<string, number[]>();
  const col = (name: string) => {
    let values = columns.get(name);
    if (!values) {
      const i = index(name);
      columns.set(name, (values = rows.map((r) => r[i]!)));
    }
    return values;
  };
  const num = (name: string) => {
    let values = numbers.get(name);
    if (!values) numbers.set(name, (values = col(name).map((v) => (v === '' ? NaN : Number(v)))));
    return values;
  };
  const nums = <const N extends readonly string[]>(...names: N) =>
    names.map(num) as { [K in keyof N]: number[] };
  const cols = <const N extends readonly string[]>(...names: N) =>
    names.map(col) as { [K in keyof N]: string[] };
  return { header, rows, col, num, nums, cols };
}

/** The q-quantile of the non-missing values (nearest rank on the sorted values). */
export function quantile(values: number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

export function share<T>(values: T[], test: (v: T) => boolean): number {
  return values.filter(test).length / values.length;
}
