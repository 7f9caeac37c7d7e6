import type { ColumnSpec, FileSpec, TableSpec } from '../schema.ts';

export type CellValue = number | string | null;

export class ImportError extends Error {
  override name = 'ImportError';
}

/** A row refused by the importer, as written to the rejects report. */
export interface Reject {
  file: string;
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** How one CSV file's header maps onto its table: which field feeds which column, what is extra. */
export interface FileLayout {
  file: string;
  table: TableSpec;
  /** For each table column in schema order, the index of its field in a record, or -1 if the file lacks it. */
  sourceIndex: Int32Array;
  fieldCount: number;
  unknownColumns: string[];
}

const REPORTED_VALUE_LENGTH = 200;
/** Distinct unknown levels listed per column; a column full of garbage must not fill memory. */
const MAX_REPORTED_LEVELS = 100;
export const OTHER_LEVELS = '(other unknown levels)';

/**
 * Reads a header against the schema. A missing column stops the import (the file cannot be what its name
 * says); an extra column is only reported, since exports often carry more than we use.
 */
export function layoutFromHeader(file: string, table: TableSpec, fileSpec: FileSpec, header: string[]): FileLayout {
  if (header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new ImportError(`${file}: the file is empty (no header line)`);
  }
  const position = new Map<string, number>();
  header.forEach((name, i) => {
    const clean = name.trim();
    if (position.has(clean)) throw new ImportError(`${file}: column ${clean} appears twice in the header`);
    position.set(clean, i);
  });
  const absent = new Set(fileSpec.withoutColumns);
  const sourceIndex = new Int32Array(table.columns.length);
  const missing: string[] = [];
  table.columns.forEach((column, k) => {
    const at = position.get(column.name);
    if (at === undefined) {
      if (!absent.has(column.name)) missing.push(column.name);
      sourceIndex[k] = -1;
    } else {
      sourceIndex[k] = at;
    }
  });
  if (missing.length > 0) {
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
    throw new ImportError(`${file}: required column${missing.length > 1 ? 's' : ''} missing from the header: ${list}`);
  }
  const known = new Set(table.columns.map((c) => c.name));
  const unknownColumns = header.map((h) => h.trim()).filter((h) => !known.has(h));
  return { file, table, sourceIndex, fieldCount: header.length, unknownColumns };
}

/** Strict decimal grammar: [+-]digits[.digits][e[+-]digits]. Rejects what Number() would quietly accept. */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 45 || c === 43) i++;
  let digits = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return NaN;
  if (i < n && (text.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < n && ((c = text.charCodeAt(i)) === 45 || c === 43)) i++;
    let expDigits = 0;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      expDigits++;
    }
    if (expDigits === 0) return NaN;
  }
  if (i !== n) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/**
 * Converts records of one file into typed cells, in schema column order. Unknown categorical levels are kept and
 * counted: a level new to us may be legitimate, and dropping the row would lose a client.
 */
export class RowConverter {
  readonly unknownLevels = new Map<string, Map<string, number>>();
  private readonly columns: ColumnSpec[];
  private readonly levelSets: (Set<string> | undefined)[];

  constructor(private readonly layout: FileLayout) {
    this.columns = layout.table.columns;
    this.levelSets = this.columns.map((c) => (c.levels ? new Set(c.levels) : undefined));
  }

  /**
   * Appends the row's cells to `out` and returns undefined, or returns why the row is rejected (leaving `out`
   * as it was). `warned` is set when the row carried an unknown level.
   */
  convertInto(fields: string[], line: number, out: CellValue[]): { reject?: Reject; warned: boolean } {
    const { layout } = this;
    if (fields.length !== layout.fieldCount) {
      return {
        reject: this.reject(line, '', fields.join(',').slice(0, REPORTED_VALUE_LENGTH), `expected ${layout.fieldCount} fields, found ${fields.length}`),
        warned: false,
      };
    }
    const start = out.length;
    let warned = false;
    const columns = this.columns;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k]!;
      const at = layout.sourceIndex[k]!;
      const text = at < 0 ? '' : fields[at]!;
      if (text === '') {
        if (column.notNull) {
          out.length = start;
          return { reject: this.reject(line, column.name, '', 'missing value for a key column'), warned: false };
        }
        out.push(null);
        continue;
      }
      if (column.type === 'category') {
        if (!this.levelSets[k]!.has(text)) {
          this.countUnknownLevel(column.name, text);
          warned = true;
        }
        out.push(text);
        continue;
      }
      const value = parseDecimal(text);
      let reason: string | undefined;
      if (Number.isNaN(value)) reason = 'not a number';
      else if (column.type === 'integer' && !Number.isSafeInteger(value)) reason = 'not an integer';
      else if ((column.min !== undefined && value < column.min) || (column.max !== undefined && value > column.max)) {
        reason = `outside the allowed range [${column.min ?? ''}, ${column.max ?? ''}]`;
      }
      if (reason !== undefined) {
        out.length = start;
        return { reject: this.reject(line, column.name, text, reason), warned: false };
      }
      out.push(value);
    }
    return { warned };
  }

  reject(line: number, column: string, value: string, reason: string): Reject {
    return { file: this.layout.file, line, column, value: value.slice(0, REPORTED_VALUE_LENGTH), reason };
  }

  private countUnknownLevel(column: string, level: string): void {
    let levels = this.unknownLevels.get(column);
    if (!levels) {
      levels = new Map();
      this.unknownLevels.set(column, levels);
    }
    let key = level.slice(0, REPORTED_VALUE_LENGTH);
    if (!levels.has(key) && levels.size >= MAX_REPORTED_LEVELS) key = OTHER_LEVELS;
    levels.set(key, (levels.get(key) ?? 0) + 1);
  }
}
