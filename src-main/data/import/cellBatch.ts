import type { TableSpec } from '../schema.ts';

/**
 * A batch of converted rows of one table. Numbers live in a Float64Array (NaN stands for NULL; the parser never
 * yields NaN) so that millions of cells cost no allocation and cross to the writer thread without copying;
 * categorical text sits beside them.
 */
export interface CellBatch {
  width: number;
  rowCount: number;
  numbers: Float64Array<ArrayBuffer>;
  /** Text cells, `textWidth` per row; a column's slot is `textSlots[k]` (-1 for a numeric column). */
  texts: (string | null)[];
  textWidth: number;
  textSlots: Int16Array;
}

export function createCellBatch(table: TableSpec, capacity: number): CellBatch {
  let next = 0;
  const textSlots = Int16Array.from(table.columns, (c) => (c.type === 'category' ? next++ : -1));
  return {
    width: table.columns.length,
    rowCount: 0,
    numbers: new Float64Array(capacity * table.columns.length),
    texts: new Array<string | null>(capacity * next).fill(null),
    textWidth: next,
    textSlots,
  };
}

export function cellValue(batch: CellBatch, row: number, column: number): number | string | null {
  const slot = batch.textSlots[column]!;
  if (slot >= 0) return batch.texts[row * batch.textWidth + slot] ?? null;
  const value = batch.numbers[row * batch.width + column]!;
  return Number.isNaN(value) ? null : value;
}
