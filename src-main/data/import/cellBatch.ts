import { tableSpec, type TableName, type TableSpec } from '../schema.ts';

/** Code of a missing categorical cell. */
export const NULL_CODE = -1;
/** Code of a categorical cell whose level is not in the schema; its text is in `unknownTexts`. */
export const UNKNOWN_CODE = -2;

/**
 * A batch of converted rows of one table. Numbers live in a Float64Array (NaN stands for NULL; the parser never
 * yields NaN) and categorical cells as level codes in an Int16Array, so that millions of cells cost no
 * allocation and cross to the writer thread without copying; only levels outside the schema travel as text.
 */
export interface CellBatch {
  table: TableName;
  width: number;
  rowCount: number;
  numbers: Float64Array<ArrayBuffer>;
  /** Level codes (index in the column's schema levels, or NULL_CODE / UNKNOWN_CODE), `textWidth` per row. */
  codes: Int16Array<ArrayBuffer>;
  /** Text of the UNKNOWN_CODE cells, by index in `codes`. */
  unknownTexts: Map<number, string>;
  textWidth: number;
  /** A categorical column's slot in a row of `codes` (-1 for a numeric column). */
  textSlots: Int16Array;
}

export function createCellBatch(table: TableSpec, capacity: number): CellBatch {
  let next = 0;
  const textSlots = Int16Array.from(table.columns, (c) => (c.type === 'category' ? next++ : -1));
  return {
    table: table.name as TableName,
    width: table.columns.length,
    rowCount: 0,
    numbers: new Float64Array(capacity * table.columns.length),
    codes: new Int16Array(capacity * next),
    unknownTexts: new Map(),
    textWidth: next,
    textSlots,
  };
}

/** The text of a categorical cell, from its code. */
export function levelText(batch: CellBatch, levels: readonly string[], cell: number): string | null {
  const code = batch.codes[cell]!;
  if (code >= 0) return levels[code]!;
  return code === NULL_CODE ? null : (batch.unknownTexts.get(cell) ?? null);
}

export function cellValue(batch: CellBatch, row: number, column: number): number | string | null {
  const slot = batch.textSlots[column]!;
  if (slot >= 0) {
    return levelText(batch, tableSpec(batch.table).columns[column]!.levels!, row * batch.textWidth + slot);
  }
  const value = batch.numbers[row * batch.width + column]!;
  return Number.isNaN(value) ? null : value;
}
