import type { Database, Statement } from 'better-sqlite3';
import { quoteIdent, type TableSpec } from '../schema.ts';
import type { CellValue } from './rowConverter.ts';

/** Rows per INSERT statement: one N-API call per 32 rows halves the cost of a row-at-a-time loop. */
const ROWS_PER_STATEMENT = 32;

/** Appends rows of cells (schema column order, flattened) to one table with prepared multi-row inserts. */
export class TableWriter {
  private readonly width: number;
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly params: CellValue[];

  constructor(db: Database, table: TableSpec) {
    this.width = table.columns.length;
    const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
    const tuple = `(${Array.from({ length: this.width }, () => '?').join(', ')})`;
    const insert = `INSERT INTO ${quoteIdent(table.name)} (${columns}) VALUES `;
    this.many = db.prepare(insert + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', '));
    this.one = db.prepare(insert + tuple);
    this.params = new Array<CellValue>(this.width * ROWS_PER_STATEMENT);
  }

  /** Writes rows of `values` whose index passes `keep` (all rows when undefined). */
  write(values: CellValue[], rowCount: number, keep?: (row: number) => boolean): number {
    const { width, params } = this;
    let filled = 0;
    let written = 0;
    for (let row = 0; row < rowCount; row++) {
      if (keep && !keep(row)) continue;
      const from = row * width;
      const at = filled * width;
      for (let k = 0; k < width; k++) params[at + k] = values[from + k]!;
      filled++;
      if (filled === ROWS_PER_STATEMENT) {
        this.many.run(params);
        written += filled;
        filled = 0;
      }
    }
    for (let r = 0; r < filled; r++) this.one.run(params.slice(r * width, (r + 1) * width));
    return written + filled;
  }
}
