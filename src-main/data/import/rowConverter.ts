import type { ColumnSpec, FileSpec, TableSpec } from '../schema.ts';
import { type CellBatch, NULL_CODE, UNKNOWN_CODE } from './cellBatch.ts';
import { forbiddenCharacter, visibleText } from './textCharacters.ts';

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
export function layoutFromHeader(
  file: string,
  table: TableSpec,
  fileSpec: FileSpec,
  header: string[],
): FileLayout {
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
    const list =
      missing.length > 5
        ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more`
        : missing.join(', ');
    throw new ImportError(
      `${file}: required column${missing.length > 1 ? 's' : ''} missing from the header: ${list}`,
    );
  }
  const known = new Set(table.columns.map((c) => c.name));
  const unknownColumns = header.map((h) => h.trim()).filter((h) => !known.has(h));
  return { file, table, sourceIndex, fieldCount: header.length, unknownColumns };
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Strict decimal grammar, [+-]digits[.digits][e[+-]digits], returning NaN for anything else (Number() would
 * quietly accept '', ' 1', '0x1F', 'Infinity'). Values with at most 15 significant digits and a small exponent
 * are computed in one pass (exact: an integer below 2^53 divided or multiplied by an exact power of ten rounds
 * once); the rest go through Number() for correct rounding.
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let scale = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    if (significant > 0 || c !== 48) significant++;
    mantissa = mantissa * 10 + (c - 48);
    i++;
    digits++;
  }
  if (i < n && c === 46) {
    i++;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) significant++;
      mantissa = mantissa * 10 + (c - 48);
      scale++;
      i++;
      digits++;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (i < n && (c | 32) === 101) {
    i++;
    let expNegative = false;
    if (i < n && ((c = text.charCodeAt(i)) === 45 || c === 43)) {
      expNegative = c === 45;
      i++;
    }
    let expDigits = 0;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      exponent = exponent * 10 + (c - 48);
      i++;
      expDigits++;
    }
    if (expDigits === 0) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== n) return NaN;
  const power = exponent - scale;
  if (significant <= 15 && power >= -22 && power <= 22) {
    const magnitude = power < 0 ? mantissa / POWERS_OF_TEN[-power]! : mantissa * POWERS_OF_TEN[power]!;
    return negative ? -magnitude : magnitude;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/**
 * Converts records of one file into typed cells, in schema column order. Unknown categorical levels are kept and
 * counted: a level new to us may be legitimate, and dropping the row would lose a client.
 */
const NO_PROBLEM = [{ warned: false }, { warned: true }] as const;

const KIND_CATEGORY = 0;
const KIND_INTEGER = 1;
const KIND_REAL = 2;

export class RowConverter {
  readonly unknownLevels = new Map<string, Map<string, number>>();
  private readonly columns: ColumnSpec[];
  // The hot loop reads these flat arrays rather than the column objects: it runs once per cell.
  private readonly kinds: Int8Array;
  private readonly notNull: Uint8Array;
  private readonly ranged: Uint8Array;
  private readonly levelCodes: (Map<string, number> | undefined)[];

  constructor(private readonly layout: FileLayout) {
    this.columns = layout.table.columns;
    this.kinds = Int8Array.from(this.columns, (c) =>
      c.type === 'category' ? KIND_CATEGORY : c.type === 'integer' ? KIND_INTEGER : KIND_REAL,
    );
    this.notNull = Uint8Array.from(this.columns, (c) => (c.notNull ? 1 : 0));
    this.ranged = Uint8Array.from(this.columns, (c) => (c.min !== undefined || c.max !== undefined ? 1 : 0));
    this.levelCodes = this.columns.map((c) =>
      c.levels ? new Map(c.levels.map((l, i) => [l, i])) : undefined,
    );
  }

  /**
   * Writes the row's cells at row `batch.rowCount` of the batch (the caller advances rowCount when it keeps the
   * row) or returns why the row is rejected. `warned` is set when the row carried an unknown level.
   */
  convertInto(fields: string[], line: number, batch: CellBatch): { reject?: Reject; warned: boolean } {
    const { layout, kinds, notNull, ranged } = this;
    if (fields.length !== layout.fieldCount) {
      const reason = `expected ${layout.fieldCount} fields, found ${fields.length}`;
      return { reject: this.reject(line, '', fields.join(','), reason), warned: false };
    }
    const sourceIndex = layout.sourceIndex;
    const width = kinds.length;
    const { numbers, codes, textSlots } = batch;
    const numberBase = batch.rowCount * width;
    const textBase = batch.rowCount * batch.textWidth;
    // Unknown levels are counted only once the row is known to be kept: the summary reports them as kept.
    let unknownAt: number[] | undefined;
    for (let k = 0; k < width; k++) {
      const at = sourceIndex[k]!;
      const text = at < 0 ? '' : fields[at]!;
      const kind = kinds[k];
      if (text.length === 0) {
        if (notNull[k] === 1) {
          return {
            reject: this.reject(line, this.columns[k]!.name, '', 'missing value for a key column'),
            warned: false,
          };
        }
        if (kind === KIND_CATEGORY) codes[textBase + textSlots[k]!] = NULL_CODE;
        else numbers[numberBase + k] = NaN;
        continue;
      }
      if (kind === KIND_CATEGORY) {
        const cell = textBase + textSlots[k]!;
        const code = this.levelCodes[k]!.get(text);
        if (code === undefined) {
          // Known levels are clean; only a new one, kept as text, can bring a control or bidi character.
          const problem = forbiddenCharacter(text);
          if (problem !== undefined) {
            return { reject: this.reject(line, this.columns[k]!.name, text, problem), warned: false };
          }
          (unknownAt ??= []).push(k);
          codes[cell] = UNKNOWN_CODE;
          batch.unknownTexts.set(cell, text);
        } else {
          codes[cell] = code;
        }
        continue;
      }
      const value = parseDecimal(text);
      if (value !== value || (kind === KIND_INTEGER && !Number.isSafeInteger(value)) || ranged[k] === 1) {
        const reason = this.numberProblem(this.columns[k]!, value);
        if (reason !== undefined)
          return { reject: this.reject(line, this.columns[k]!.name, text, reason), warned: false };
      }
      numbers[numberBase + k] = value;
    }
    if (unknownAt === undefined) return NO_PROBLEM[0];
    for (const k of unknownAt) this.countUnknownLevel(this.columns[k]!.name, fields[sourceIndex[k]!]!);
    return NO_PROBLEM[1];
  }

  reject(line: number, column: string, value: string, reason: string): Reject {
    return {
      file: this.layout.file,
      line,
      column,
      value: visibleText(value.slice(0, REPORTED_VALUE_LENGTH)),
      reason,
    };
  }

  private numberProblem(column: ColumnSpec, value: number): string | undefined {
    if (Number.isNaN(value)) return 'not a number';
    if (column.type === 'integer' && !Number.isSafeInteger(value)) return 'not an integer';
    if (
      (column.min !== undefined && value < column.min) ||
      (column.max !== undefined && value > column.max)
    ) {
      if (column.max === undefined) return `below the minimum ${column.min}`;
      if (column.min === undefined) return `above the maximum ${column.max}`;
      return `outside the allowed range [${column.min}, ${column.max}]`;
    }
    return undefined;
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
