import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { BaseKey } from '../data/baseKey.ts';
import { attachDatabaseFile, baseKeyOf, type ClientBase } from '../data/clientBase.ts';
import { quoteIdent, tables } from '../data/schema.ts';
import { startWorker } from '../runtime/worker.ts';
import { scratchTable } from './blockPass.ts';
import type { BlockJob, BlockReply, BlockRequest } from './blockPassMessages.ts';
import { applicationBlock, blocks, recipe, type Block } from './recipe.ts';
import { CLIENT_SET_TABLE } from './sql.ts';
import {
  blockColumns,
  featureFingerprint,
  readFeatureSet,
  writeFeatureSet,
  type SourceMark,
} from './store.ts';

/**
 * The batch: materialises the features of every client of the base into `client_features`, or, when the
 * stored features are current, of the clients whose data was added since (docs/features.md, "Incremental").
 * Each block is one pass over its table on a worker thread, into a scratch file; the block vectors are then stored.
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
  /** Worker threads computing the blocks (default: one per core). */
  workers?: number;
  onProgress?: (event: { phase: 'block' | 'write'; block?: string; done: number; total: number }) => void;
}

/** Above this share of changed clients, one full pass is cheaper than looking each client's rows up. */
const INCREMENTAL_MAX_SHARE = 0.25;
/** Page cache of each worker's connection to the base. */
const WORKER_CACHE_KIB = 256 * 1024;

function sourceMarks(db: ClientBase): Record<string, SourceMark> {
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
function plan(db: ClientBase, marks: Record<string, SourceMark>, full: boolean): Plan {
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
  if (changed === 0) return { mode: 'current', reason: 'no data added since the last run' };
  if (changed > INCREMENTAL_MAX_SHARE * marks.application!.rows)
    return { mode: 'full', reason: `${changed} clients changed: a full pass is faster` };
  return { mode: 'incremental', reason: `${changed} clients with added data` };
}

function sourceRowCount(block: Block, marks: Record<string, SourceMark>): number {
  return marks[block.table]!.rows + (block.detail ? marks[block.detail.table]!.rows : 0);
}

/** A rough cost to hand the larger blocks out first: rows read times values computed per row. */
function estimatedCost(block: Block, marks: Record<string, SourceMark>): number {
  const width = block.end - block.start;
  const detail = block.detail ? marks[block.detail.table]!.rows * (block.detail.outputs.length + 10) : 0;
  return marks[block.table]!.rows * (width + 10) + detail;
}

interface ScratchFiles {
  paths: string[];
  /** Which scratch file holds each block's table. */
  holder: Map<string, number>;
}

/** Scratch files of runs that died mid-way: never attached to a committed state, so worthless. */
function removeStaleScratch(dbPath: string): void {
  const prefix = `${basename(dbPath)}.features-`;
  for (const name of readdirSync(dirname(dbPath))) {
    if (name.startsWith(prefix) && name.endsWith('.tmp'))
      rmSync(join(dirname(dbPath), name), { force: true });
  }
}

/**
 * Computes every block on worker threads, each with its own connection and scratch file; a worker asks for the
 * next block as soon as it is free, the costliest first.
 */
async function runBlocks(
  dbPath: string,
  key: BaseKey | undefined,
  clients: number[] | null,
  marks: Record<string, SourceMark>,
  workerCount: number,
  scratch: ScratchFiles,
  summary: FeatureRunSummary,
  progress: NonNullable<FeatureRunOptions['onProgress']>,
): Promise<void> {
  const queue = [...blocks].sort((a, b) => estimatedCost(b, marks) - estimatedCost(a, marks));
  let done = 0;
  const runWorker = (index: number) =>
    new Promise<void>((resolvePromise, reject) => {
      const scratchPath = `${dbPath}.features-${process.pid}-${index}.tmp`;
      scratch.paths.push(scratchPath);
      const job: BlockJob = { dbPath, scratchPath, clients, cacheKiB: WORKER_CACHE_KIB, key };
      const worker = startWorker(new URL('./blockPass.worker.ts', import.meta.url), { workerData: job });
      let failure: Error | undefined;
      const next = () => {
        const block = queue.shift();
        if (!block) return worker.postMessage({ type: 'close' } satisfies BlockRequest);
        scratch.holder.set(block.name, index);
        worker.postMessage({ type: 'block', block: block.name } satisfies BlockRequest);
      };
      worker.on('message', (reply: BlockReply) => {
        if (reply.type === 'error') {
          failure = new Error(reply.message);
          queue.length = 0;
          worker.postMessage({ type: 'close' } satisfies BlockRequest);
          return;
        }
        if (reply.type === 'done') {
          const block = blocks.find((b) => b.name === reply.block)!;
          summary.blocks.push({
            name: block.name,
            sourceRows: sourceRowCount(block, marks),
            clients: reply.clients,
            ms: reply.ms,
          });
          progress({ phase: 'block', block: block.name, done: ++done, total: blocks.length });
        }
        next();
      });
      worker.on('error', (error) => (failure = error));
      worker.on('exit', () => (failure ? reject(failure) : resolvePromise()));
    });
  const results = await Promise.allSettled(Array.from({ length: workerCount }, (_, i) => runWorker(i)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  summary.blocks.sort(
    (a, b) => blocks.findIndex((x) => x.name === a.name) - blocks.findIndex((x) => x.name === b.name),
  );
}

/** Stores each client's block vectors, straight from the scratch tables; a block without a row stays NULL. */
function storeVectors(db: ClientBase, scratch: ScratchFiles): number {
  scratch.paths.forEach((path, i) => attachDatabaseFile(db, path, `scratch${i}`));
  const table = (block: Block) => `scratch${scratch.holder.get(block.name)}.${scratchTable(block)}`;
  const history = blocks.filter((b) => b !== applicationBlock);
  return db
    .prepare(
      `INSERT OR REPLACE INTO client_features (SK_ID_CURR, TARGET, ${blockColumns})
       SELECT a.id, a.target, a.v, ${history.map((_, i) => `h${i}.v`).join(', ')}
       FROM ${table(applicationBlock)} AS a
       ${history.map((b, i) => `LEFT JOIN ${table(b)} AS h${i} ON h${i}.id = a.id`).join('\n')}`,
    )
    .run().changes;
}

function detachScratch(db: ClientBase, scratch: ScratchFiles): void {
  for (const attached of db.pragma('database_list') as { name: string }[]) {
    if (attached.name.startsWith('scratch')) db.exec(`DETACH ${attached.name}`);
  }
  for (const path of scratch.paths) rmSync(path, { force: true });
}

export async function computeFeatures(
  db: ClientBase,
  options: FeatureRunOptions = {},
): Promise<FeatureRunSummary> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  if (db.memory) throw new Error('features are computed on a client base file, not an in-memory database');
  const dbPath = resolve(db.name);
  db.exec(
    `CREATE TEMP TABLE IF NOT EXISTS ${CLIENT_SET_TABLE.replace('temp.', '')} (SK_ID_CURR INTEGER PRIMARY KEY)`,
  );
  const scratch: ScratchFiles = { paths: [], holder: new Map() };
  // The write lock is held from the plan to the commit, so the sources the workers read cannot change meanwhile.
  db.exec('BEGIN IMMEDIATE');
  try {
    removeStaleScratch(dbPath);
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
      const clients =
        decided.mode === 'incremental'
          ? (db.prepare(`SELECT SK_ID_CURR FROM ${CLIENT_SET_TABLE}`).pluck().all() as number[])
          : null;
      const workerCount = Math.max(1, Math.min(options.workers ?? availableParallelism(), blocks.length));
      await runBlocks(dbPath, baseKeyOf(db), clients, marks, workerCount, scratch, summary, progress);
      progress({ phase: 'write', done: 0, total: 1 });
      const t0 = performance.now();
      if (decided.mode === 'full') db.exec('DELETE FROM client_features');
      else
        db.exec(
          `DELETE FROM client_features WHERE SK_ID_CURR IN (SELECT SK_ID_CURR FROM ${CLIENT_SET_TABLE})`,
        );
      summary.written = storeVectors(db, scratch);
      summary.writeMs = performance.now() - t0;
    }
    db.exec('DELETE FROM client_features WHERE SK_ID_CURR NOT IN (SELECT SK_ID_CURR FROM application)');
    writeFeatureSet(db, marks);
    summary.stored = db.prepare('SELECT COUNT(*) FROM client_features').pluck().get() as number;
    db.exec('COMMIT');
    // A full run writes gigabytes through the write-ahead log: fold it back now rather than keep it around.
    if (summary.written > 0) db.pragma('wal_checkpoint(TRUNCATE)');
    summary.elapsedMs = performance.now() - started;
    return summary;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    detachScratch(db, scratch);
  }
}
