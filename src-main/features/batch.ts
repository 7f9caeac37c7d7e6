import type { Database } from 'better-sqlite3';
import { quoteIdent, tables } from '../data/schema.ts';
import { writeRow } from './client.ts';
import { applicationBlock, blocks, featureNames, recipe, type Block } from './recipe.ts';
import { applicationSql, CLIENT_SET_TABLE, historySql, type ClientFilter } from './sql.ts';
import { featureFingerprint, readFeatureSet, vectorBlob, writeFeatureSet, type SourceMark } from './store.ts';

/**
 * The batch: materialises the features of every client of the base into `client_features`, or, when the
 * stored features are current, of the clients whose data was added since (docs/features.md, "Incremental").
 * Each block is one pass over its table into a temporary table; the vectors are then assembled client by client.
 */

export interface BlockTiming {
  name: string;
  /** Rows of the block's source tables (the detail table included) read by the pass. */
  sourceRows: number;
  /** Clients the block produced a row for. */
  clients: number;
  ms: number;
}

export interface FeatureRunSummary {
  mode: 'full' | 'incremental' | 'current';
  /** Why this mode: first run, other definitions, rows changed in place, ... */
  reason: string;
  /** Vectors (re)written by this run. */
  written: number;
  /** Vectors stored after the run. */
  stored: number;
  blocks: BlockTiming[];
  writeMs: number;
  elapsedMs: number;
}

export interface FeatureRunOptions {
  /** Recompute every client even if the stored features are current. */
  full?: boolean;
  onProgress?: (event: { phase: 'block' | 'write'; block?: string; done: number; total: number }) => void;
}

/** Above this share of changed clients, one full pass is cheaper than looking each client's rows up. */
const INCREMENTAL_MAX_SHARE = 0.25;
const WRITE_PAGE = 2_000;

function sourceMarks(db: Database): Record<string, SourceMark> {
  const marks: Record<string, SourceMark> = {};
  for (const table of tables) {
    const row = db
      .prepare(`SELECT MAX(rowid) AS maxRowid, COUNT(*) AS rows FROM ${quoteIdent(table.name)}`)
      .get() as {
      maxRowid: number | null;
      rows: number;
    };
    marks[table.name] = { maxRowid: row.maxRowid ?? 0, rows: row.rows };
  }
  return marks;
}

const { excludeRows } = recipe.application;
const kept = `a.${quoteIdent(excludeRows.column)} IS NOT '${excludeRows.level.replaceAll("'", "''")}'`;

interface Plan {
  mode: FeatureRunSummary['mode'];
  reason: string;
}

/**
 * Decides between a full run and an incremental one; for the latter, fills `temp.feature_clients` with the
 * clients to recompute. History rows count as added when their rowid is above last run's largest and the table
 * grew by exactly those rows; anything else (a row deleted or rewritten, a key inserted below the mark) means a
 * full run. New clients are found by their absence from `client_features`.
 */
function plan(db: Database, marks: Record<string, SourceMark>, full: boolean): Plan {
  const state = readFeatureSet(db);
  if (full) return { mode: 'full', reason: 'full run requested' };
  if (!state) return { mode: 'full', reason: 'first computation in this base' };
  if (state.fingerprint !== featureFingerprint)
    return { mode: 'full', reason: 'the stored features follow other definitions' };
  db.exec(`DELETE FROM ${CLIENT_SET_TABLE}`);
  for (const table of tables) {
    if (table.name === 'application') continue;
    const before = state.sources[table.name];
    const now = marks[table.name]!;
    if (!before) return { mode: 'full', reason: `no record of ${table.name} at the last run` };
    const name = quoteIdent(table.name);
    const added = db
      .prepare(`SELECT COUNT(*) FROM ${name} WHERE rowid > ?`)
      .pluck()
      .get(before.maxRowid) as number;
    if (now.rows !== before.rows + added)
      return { mode: 'full', reason: `rows of ${table.name} changed other than by additions` };
    if (added === 0) continue;
    const newRows = table.columns.some((c) => c.name === 'SK_ID_CURR')
      ? `SELECT SK_ID_CURR FROM ${name} WHERE rowid > ?`
      : // bureau_balance reaches its client through bureau.
        `SELECT b.SK_ID_CURR FROM ${name} AS d JOIN bureau AS b ON b.SK_ID_BUREAU = d.SK_ID_BUREAU WHERE d.rowid > ?`;
    db.prepare(`INSERT OR IGNORE INTO ${CLIENT_SET_TABLE} (SK_ID_CURR) ${newRows}`).run(before.maxRowid);
  }
  db.exec(`INSERT OR IGNORE INTO ${CLIENT_SET_TABLE} (SK_ID_CURR)
    SELECT a.SK_ID_CURR FROM application AS a
    WHERE ${kept} AND NOT EXISTS (SELECT 1 FROM client_features AS f WHERE f.SK_ID_CURR = a.SK_ID_CURR)`);
  const changed = db.prepare(`SELECT COUNT(*) FROM ${CLIENT_SET_TABLE}`).pluck().get() as number;
  const gone = db
    .prepare(
      `SELECT COUNT(*) FROM client_features AS f WHERE NOT EXISTS (SELECT 1 FROM application AS a WHERE a.SK_ID_CURR = f.SK_ID_CURR)`,
    )
    .pluck()
    .get() as number;
  if (changed === 0 && gone === 0) return { mode: 'current', reason: 'no data added since the last run' };
  if (changed > INCREMENTAL_MAX_SHARE * marks.application!.rows)
    return { mode: 'full', reason: `${changed} clients changed: a full pass is faster` };
  return { mode: 'incremental', reason: `${changed} clients with added data` };
}

function blockTable(block: Block): string {
  return `temp.${quoteIdent(`features_${block.name}`)}`;
}

/** Runs one block's SQL into its temporary table, keyed by client. */
function computeBlock(db: Database, block: Block, filter: ClientFilter): number {
  const columns = featureNames.slice(block.start, block.end).map(quoteIdent);
  const keys = block === applicationBlock ? ['id INTEGER PRIMARY KEY', 'target'] : ['id INTEGER PRIMARY KEY'];
  const table = blockTable(block);
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.exec(`CREATE TABLE ${table} (${[...keys, ...columns].join(', ')})`);
  const select = block === applicationBlock ? applicationSql(filter) : historySql(block, filter);
  return db.prepare(`INSERT INTO ${table} ${select}`).run().changes;
}

function sourceRowCount(block: Block, marks: Record<string, SourceMark>): number {
  return marks[block.table]!.rows + (block.detail ? marks[block.detail.table]!.rows : 0);
}

/** Joins the block tables client by client into vectors and stores them. */
function writeVectors(db: Database, onRow: (done: number) => void): number {
  const history = blocks.slice(1);
  // Pages of clients rather than one cursor: a connection cannot write while a query of it is open.
  const select = db
    .prepare(
      `SELECT a.*, ${history.map((_, i) => `h${i}.*`).join(', ')}
       FROM ${blockTable(applicationBlock)} AS a
       ${history.map((b, i) => `LEFT JOIN ${blockTable(b)} AS h${i} ON h${i}.id = a.id`).join('\n')}
       WHERE a.id > ? ORDER BY a.id LIMIT ${WRITE_PAGE}`,
    )
    .raw(true);
  const insert = db.prepare(
    'INSERT OR REPLACE INTO client_features (SK_ID_CURR, TARGET, vector) VALUES (?, ?, ?)',
  );
  const vector = new Float64Array(featureNames.length);
  const blob = vectorBlob(vector);
  let written = 0;
  for (
    let page = select.all(-Infinity) as unknown[][];
    page.length > 0;
    page = select.all(page.at(-1)![0]) as unknown[][]
  ) {
    for (const row of page) {
      let column = 0;
      for (const block of blocks) {
        column += block === applicationBlock ? 2 : 1;
        writeRow(vector, block.start, row, column, block.end - block.start);
        column += block.end - block.start;
      }
      insert.run(row[0], row[1], blob);
    }
    written += page.length;
    onRow(written);
  }
  return written;
}

export function computeFeatures(db: Database, options: FeatureRunOptions = {}): FeatureRunSummary {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  db.exec(
    `CREATE TEMP TABLE IF NOT EXISTS ${CLIENT_SET_TABLE.replace('temp.', '')} (SK_ID_CURR INTEGER PRIMARY KEY)`,
  );
  const run = db.transaction((): FeatureRunSummary => {
    const marks = sourceMarks(db);
    const decided = plan(db, marks, options.full ?? false);
    const summary: FeatureRunSummary = {
      ...decided,
      written: 0,
      stored: 0,
      blocks: [],
      writeMs: 0,
      elapsedMs: 0,
    };
    if (decided.mode !== 'current') {
      const filter: ClientFilter = decided.mode === 'full' ? { kind: 'all' } : { kind: 'set' };
      blocks.forEach((block, i) => {
        progress({ phase: 'block', block: block.name, done: i, total: blocks.length });
        const t0 = performance.now();
        const clients = computeBlock(db, block, filter);
        summary.blocks.push({
          name: block.name,
          sourceRows: sourceRowCount(block, marks),
          clients,
          ms: performance.now() - t0,
        });
      });
      const t0 = performance.now();
      if (decided.mode === 'full') db.exec('DELETE FROM client_features');
      else
        db.exec(
          `DELETE FROM client_features WHERE SK_ID_CURR IN (SELECT SK_ID_CURR FROM ${CLIENT_SET_TABLE})`,
        );
      const total = summary.blocks[0]!.clients;
      summary.written = writeVectors(db, (done) => progress({ phase: 'write', done, total }));
      for (const block of blocks) db.exec(`DROP TABLE ${blockTable(block)}`);
      summary.writeMs = performance.now() - t0;
    }
    db.exec('DELETE FROM client_features WHERE SK_ID_CURR NOT IN (SELECT SK_ID_CURR FROM application)');
    writeFeatureSet(db, marks);
    summary.stored = db.prepare('SELECT COUNT(*) FROM client_features').pluck().get() as number;
    return summary;
  });
  const summary = run.immediate();
  summary.elapsedMs = performance.now() - started;
  return summary;
}
