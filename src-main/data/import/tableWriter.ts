import type { ClientBase, Statement } from '../clientBase.ts';
import { quoteIdent, type TableSpec } from '../schema.ts';
import { type CellBatch, levelText } from './cellBatch.ts';

/** Rows per INSERT statement: one N-API call per 32 rows halves the cost of a row-at-a-time loop. */
const ROWS_PER_STATEMENT = 32;

/** Appends batches of rows to one table with prepared multi-row inserts. */
export class TableWriter {
  private readonly width: number;
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly params: (number | string | null)[];
  private readonly levels: (readonly string[] | undefined)[];

  constructor(db: ClientBase, table: TableSpec) {
    this.width = table.columns.length;
    this.levels = table.columns.map((c) => c.levels);
    const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
    const tuple = `(${Array.from({ length: this.width }, () => '?').join(', ')})`;
    const insert = `INSERT INTO ${quoteIdent(table.name)} (${columns}) VALUES `;
    this.many = db.prepare(insert + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', '));
    this.one = db.prepare(insert + tuple);
    this.params = new Array<number | string | null>(this.width * ROWS_PER_STATEMENT).fill(null);
  }

  /** Writes the batch's rows whose index passes `keep` (all rows when undefined); returns how many. */
  write(batch: CellBatch, keep?: (row: number) => boolean): number {
    const { width, params } = this;
    const { numbers, textSlots, textWidth } = batch;
    let filled = 0;
    let written = 0;
    for (let row = 0; row < batch.rowCount; row++) {
      if (keep && !keep(row)) continue;
      const numberBase = row * width;
      const textBase = row * textWidth;
      const at = filled * width;
      for (let k = 0; k < width; k++) {
        const slot = textSlots[k]!;
        if (slot >= 0) {
          params[at + k] = levelText(batch, this.levels[k]!, textBase + slot);
        } else {
          const value = numbers[numberBase + k]!;
          params[at + k] = value === value ? value : null;
        }
      }
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
