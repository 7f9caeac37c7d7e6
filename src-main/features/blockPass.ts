import type { ClientBase } from '../data/clientBase.ts';
import { quoteIdent } from '../data/schema.ts';
import { writeRow } from './client.ts';
import { applicationBlock, type Block } from './recipe.ts';
import type { ClientFilter } from './sql.ts';
import { blockStatement } from './statements.ts';
import { vectorBlob } from './store.ts';

/**
 * One block of the batch: its statement (the one that also serves a single client) read over the filtered
 * clients, each row packed into a Float64Array and written to a scratch database, keyed by client. Blocks run
 * on worker threads, each with its own connections; the scratch tables are then copied into `client_features`.
 */

export function scratchTable(block: Block): string {
  return quoteIdent(`block_${block.name}`);
}

export function writeBlock(
  source: ClientBase,
  scratch: ClientBase,
  block: Block,
  filter: ClientFilter,
): number {
  const table = scratchTable(block);
  const isApplication = block === applicationBlock;
  scratch.exec(
    `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, ${isApplication ? 'target INTEGER, ' : ''}v BLOB NOT NULL)`,
  );
  const insert = scratch.prepare(`INSERT INTO ${table} VALUES (?, ${isApplication ? '?, ' : ''}?)`);
  const keys = isApplication ? 2 : 1;
  const width = block.end - block.start;
  const vector = new Float64Array(width);
  const blob = vectorBlob(vector);
  let clients = 0;
  const write = scratch.transaction(() => {
    for (const row of blockStatement(source, block, filter).iterate() as Iterable<unknown[]>) {
      writeRow(vector, 0, row, keys, width);
      if (isApplication) insert.run(row[0], row[1], blob);
      else insert.run(row[0], blob);
      clients++;
    }
  });
  write();
  return clients;
}
