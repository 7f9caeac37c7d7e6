import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Backup, backUpBase, dropBackup } from '../backups.ts';
import {
  baseInUse,
  ClientBaseError,
  openClientBase,
  openDatabaseFile,
  type ClientBase,
} from '../clientBase.ts';
import {
  createIndexSql,
  fileSpecFor,
  indexName,
  quoteIdent,
  tableSpec,
  tables,
  type TableSpec,
} from '../schema.ts';
import { carryOverLateRecords } from './carryOver.ts';
import type { CellBatch } from './cellBatch.ts';
import { isIdentityFile, loadIdentityFile } from './identityFile.ts';
import { RejectsReport } from './rejectsReport.ts';
import { ImportError, OTHER_LEVELS } from './rowConverter.ts';
import { readTableFile } from './tableFileReader.ts';
import { TableWriter } from './tableWriter.ts';
import { syncFile, syncFolder } from '../../runtime/durableFiles.ts';

export { ImportError };

export interface ImportOptions {
  /** Folder holding Kaggle-named CSV files (any subset, names case-insensitive). */
  dir: string;
  /** The client base; created if missing, otherwise the new rows are added to it. */
  dbPath: string;
  /** Where the rejects report goes; default `<dbPath>.rejects.csv`. */
  rejectsPath?: string;
  maxFieldLength?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'prepare' | 'load' | 'index' | 'check';
  file?: string;
  bytesDone: number;
  bytesTotal: number;
  rowsDone: number;
}

export interface TableImportSummary {
  table: string;
  files: string[];
  rowsRead: number;
  imported: number;
  rejected: number;
  /** Rows kept with a categorical level outside the schema's list. */
  warned: number;
  /** Imported rows whose parent (client, or bureau credit) is not in the base. */
  orphans: number;
  unknownColumns: { file: string; columns: string[] }[];
  unknownLevels: { column: string; level: string; count: number }[];
  /** Time spent loading this table's files (indexing and checking come after, for all tables at once). */
  elapsedMs: number;
}

export interface ImportSummary {
  dbPath: string;
  rejectsPath: string;
  tables: TableImportSummary[];
  ignoredFiles: string[];
  elapsedMs: number;
  /** Where the base as it was before this import is kept (undefined when the import created the base). */
  backupPath?: string;
}

interface SourceFile {
  path: string;
  name: string;
  size: number;
  table: TableSpec;
}

/**
 * Imports a folder of Kaggle CSV files into a client base, atomically: the work happens on a copy beside the
 * target, which replaces it only once complete and sound, so an interrupted or failed import leaves the previous
 * base as it was. The previous base is kept as a backup (see backups.ts).
 */
export async function importCsvFolder(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const dbPath = resolve(options.dbPath);
  const rejectsPath = resolve(options.rejectsPath ?? `${dbPath}.rejects.csv`);
  const { files, identity, ignored } = discoverFiles(options.dir);
  const bytesTotal = [...files, ...(identity ? [identity] : [])].reduce((sum, f) => sum + f.size, 0);
  const progress = options.onProgress ?? (() => {});

  removeStaleWork(dbPath);
  const tmpPath = `${dbPath}.import-${process.pid}.tmp`;
  const rejects = new RejectsReport(rejectsPath);
  let db: ClientBase | undefined;
  try {
    progress({ phase: 'prepare', bytesDone: 0, bytesTotal, rowsDone: 0 });
    db = prepareWorkingCopy(dbPath, tmpPath);
    const summaries: TableImportSummary[] = [];
    const keySets = new Map<string, Set<number>>();
    let bytesBefore = 0;
    let rowsDone = 0;
    for (const table of tables) {
      const tableFiles = files.filter((f) => f.table === table);
      if (tableFiles.length === 0) continue;
      const summary = await loadTable(
        db,
        table,
        tableFiles,
        keySets,
        rejects,
        options.maxFieldLength,
        (file, bytes, rows) => {
          rowsDone += rows;
          progress({ phase: 'load', file, bytesDone: bytesBefore + bytes, bytesTotal, rowsDone });
        },
      );
      bytesBefore += tableFiles.reduce((sum, f) => sum + f.size, 0);
      summaries.push(summary);
    }
    if (identity) {
      const loadStarted = Date.now();
      const clients = loadKeys(db, tableSpec('application'), keySets)!;
      const loaded = loadIdentityFile(db, identity.path, identity.name, clients, rejects);
      rowsDone += loaded.rowsRead;
      progress({ phase: 'load', file: identity.name, bytesDone: bytesTotal, bytesTotal, rowsDone });
      summaries.push({
        table: 'client_identity',
        files: [identity.name],
        rowsRead: loaded.rowsRead,
        imported: loaded.imported,
        rejected: loaded.rejected,
        warned: 0,
        orphans: loaded.orphans,
        unknownColumns:
          loaded.unknownColumns.length > 0 ? [{ file: identity.name, columns: loaded.unknownColumns }] : [],
        unknownLevels: [],
        elapsedMs: Date.now() - loadStarted,
      });
    }
    progress({ phase: 'index', bytesDone: bytesTotal, bytesTotal, rowsDone });
    // An encrypted base sorts in memory (clientBase.ts), ~50 bytes a row: 1.3 GB for bureau_balance at full
    // scale. These sorts may spill to temporary files, which SQLite does not encrypt, as they hold only the
    // indexed identifiers (client, credit and application numbers), never client data.
    db.pragma('temp_store = FILE');
    for (const table of tables) for (const sql of createIndexSql(table)) db.exec(sql);
    progress({ phase: 'check', bytesDone: bytesTotal, bytesTotal, rowsDone });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the imported base failed its integrity check: ${String(check)}`);
    const summary: ImportSummary = {
      dbPath,
      rejectsPath,
      tables: summaries,
      ignoredFiles: ignored,
      elapsedMs: Date.now() - started,
    };
    db.prepare(
      'INSERT INTO import_run (started_at, finished_at, source, summary_json) VALUES (?, ?, ?, ?)',
    ).run(
      new Date(started).toISOString(),
      new Date().toISOString(),
      resolve(options.dir),
      JSON.stringify(summary.tables),
    );
    db.pragma('journal_mode = WAL');
    db.close();
    db = undefined;
    summary.backupPath = replaceTarget(tmpPath, dbPath)?.path;
    rejects.commit();
    return summary;
  } catch (error) {
    db?.close();
    rmSync(tmpPath, { force: true });
    rejects.discard();
    throw error;
  }
}

interface IdentitySource {
  path: string;
  name: string;
  size: number;
}

/**
 * A named pipe would make the import wait forever for a writer, a link to /dev/zero read forever: refused before
 * any work starts (the reader checks the opened file again).
 */
function regularFileSize(path: string, name: string): number {
  const stats = statSync(path);
  if (!stats.isFile()) {
    throw new ImportError(
      `${name} is not a regular file (a pipe, a device or a folder): copy the data into a file`,
    );
  }
  return stats.size;
}

function discoverFiles(dir: string): { files: SourceFile[]; identity?: IdentitySource; ignored: string[] } {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ImportError(`${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`cannot read the folder ${dir}: ${(error as Error).message}`);
  }
  const files: SourceFile[] = [];
  const ignored: string[] = [];
  let identity: IdentitySource | undefined;
  for (const name of names.sort()) {
    if (!name.toLowerCase().endsWith('.csv')) continue;
    if (isIdentityFile(name)) {
      if (identity) throw new ImportError(`${dir} holds both ${identity.name} and ${name}: keep only one`);
      const path = join(dir, name);
      identity = { path, name, size: regularFileSize(path, name) };
      continue;
    }
    const match = fileSpecFor(name);
    if (!match) {
      ignored.push(name);
      continue;
    }
    const twin = files.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (twin) throw new ImportError(`${dir} holds both ${twin.name} and ${name}: keep only one`);
    const path = join(dir, name);
    files.push({ path, name, size: regularFileSize(path, name), table: match.table });
  }
  if (files.length === 0 && !identity) {
    const expected = tables.flatMap((t) => t.files.map((f) => f.name)).join(', ');
    throw new ImportError(`no Home Credit CSV file in ${dir} (expected any of: ${expected})`);
  }
  // Within a table, files go in schema order (application_train before application_test).
  const order = (f: SourceFile) =>
    f.table.files.findIndex((s) => s.name.toLowerCase() === f.name.toLowerCase());
  files.sort((a, b) => tables.indexOf(a.table) - tables.indexOf(b.table) || order(a) - order(b));
  return { files, identity, ignored };
}

/** Leftovers of imports killed mid-way: they were never renamed over the base, so they hold nothing of value. */
function removeStaleWork(dbPath: string): void {
  const dir = dirname(dbPath);
  if (!existsSync(dir)) throw new ImportError(`the folder of the client base does not exist: ${dir}`);
  const prefix = `${basename(dbPath)}.import-`;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && /\.tmp(-journal|-wal|-shm)?$/.test(name))
      rmSync(join(dir, name), { force: true });
  }
}

function prepareWorkingCopy(dbPath: string, tmpPath: string): ClientBase {
  if (existsSync(dbPath)) {
    let source: ClientBase;
    try {
      // With the process's key: VACUUM INTO then writes the working copy encrypted with it too.
      source = openDatabaseFile(dbPath);
      // Folds any write-ahead log into the file, so the copy and the later rename see all committed data.
      source.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      if (error instanceof ClientBaseError) throw new ImportError(error.message);
      throw new ImportError(`cannot open the existing client base ${dbPath}: ${(error as Error).message}`);
    }
    try {
      source.prepare('VACUUM INTO ?').run(tmpPath);
    } finally {
      source.close();
    }
  }
  const db = openClientBase(tmpPath, { create: true });
  // The working copy is thrown away on any failure, so durability during the load buys nothing.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -131072');
  return db;
}

function replaceTarget(tmpPath: string, dbPath: string): Backup | undefined {
  const refuseIfInUse = () => {
    if (existsSync(dbPath) && baseInUse(dbPath)) {
      throw new ImportError(
        `${dbPath} is in use by another program (its -wal file exists): close it and import again`,
      );
    }
  };
  refuseIfInUse();
  if (existsSync(dbPath)) {
    carryOverLateRecords(tmpPath, dbPath);
    // A program that opened the base during the carry-over could write after it: refuse rather than lose that.
    refuseIfInUse();
  }
  syncFile(tmpPath);
  const backup = backUpBase(dbPath);
  try {
    renameSync(tmpPath, dbPath);
  } catch (error) {
    if (backup) dropBackup(backup);
    throw error;
  }
  syncFolder(dirname(dbPath));
  return backup;
}

/** The column linking a table to its parent (the client, or the bureau credit), and that parent table. */
function parentLink(table: TableSpec): { column: string; parent: string } | undefined {
  if (table.name === 'application') return undefined;
  if (table.columns.some((c) => c.name === 'SK_ID_CURR'))
    return { column: 'SK_ID_CURR', parent: 'application' };
  const column = table.indexes[0];
  const parent = tables.find((t) => t.primaryKey === column);
  return column && parent ? { column, parent: parent.name } : undefined;
}

function loadKeys(
  db: ClientBase,
  table: TableSpec,
  keySets: Map<string, Set<number>>,
): Set<number> | undefined {
  if (!table.primaryKey) return undefined;
  let keys = keySets.get(table.name);
  if (!keys) {
    keys = new Set<number>();
    const select = db
      .prepare(`SELECT ${quoteIdent(table.primaryKey)} FROM ${quoteIdent(table.name)}`)
      .pluck();
    for (const key of select.iterate()) keys.add(key as number);
    keySets.set(table.name, keys);
  }
  return keys;
}

async function loadTable(
  db: ClientBase,
  table: TableSpec,
  files: SourceFile[],
  keySets: Map<string, Set<number>>,
  rejects: RejectsReport,
  maxFieldLength: number | undefined,
  onBatch: (file: string, bytesInTable: number, rows: number) => void,
): Promise<TableImportSummary> {
  const summary: TableImportSummary = {
    table: table.name,
    files: files.map((f) => f.name),
    rowsRead: 0,
    imported: 0,
    rejected: 0,
    warned: 0,
    orphans: 0,
    unknownColumns: [],
    unknownLevels: [],
    elapsedMs: 0,
  };
  const started = Date.now();
  const empty =
    db
      .prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${quoteIdent(table.name)})`)
      .pluck()
      .get() === 1;
  // Into an empty table, building the indexes once after the load is much faster than maintaining them.
  if (empty)
    for (const column of table.indexes)
      db.exec(`DROP INDEX IF EXISTS ${quoteIdent(indexName(table, column))}`);
  const keys = loadKeys(db, table, keySets);
  const keyIndex = table.primaryKey ? table.columns.findIndex((c) => c.name === table.primaryKey) : -1;
  const link = parentLink(table);
  const parentKeys = link && tables.find((t) => t.name === link.parent);
  const parentSet = parentKeys ? loadKeys(db, parentKeys, keySets) : undefined;
  const linkIndex = link ? table.columns.findIndex((c) => c.name === link.column) : -1;
  const width = table.columns.length;
  const writer = new TableWriter(db, table);
  const levelCounts = new Map<string, number>();
  let bytesOfEarlierFiles = 0;

  db.exec('BEGIN');
  try {
    for (const file of files) {
      for await (const message of readTableFile(file.path, file.name, table.name, { maxFieldLength })) {
        if (message.type === 'layout') {
          if (message.unknownColumns.length > 0)
            summary.unknownColumns.push({ file: file.name, columns: message.unknownColumns });
        } else if (message.type === 'batch') {
          const { batch, lines } = message;
          const duplicates = keys ? findDuplicates(batch, keyIndex, keys) : undefined;
          if (duplicates) {
            rejects.add(
              [...duplicates].map((row) => ({
                file: file.name,
                line: lines[row]!,
                column: table.primaryKey!,
                value: String(batch.numbers[row * width + keyIndex]),
                reason: `duplicate key: ${table.primaryKey} already in the base or earlier in the file`,
              })),
            );
          }
          const written = writer.write(batch, duplicates ? (row) => !duplicates.has(row) : undefined);
          if (parentSet) {
            for (let row = 0; row < batch.rowCount; row++) {
              if (duplicates?.has(row)) continue;
              if (!parentSet.has(batch.numbers[row * width + linkIndex]!)) summary.orphans++;
            }
          }
          rejects.add(message.rejects);
          summary.rowsRead += message.rowsRead;
          summary.imported += written;
          summary.rejected += message.rejects.length + (duplicates?.size ?? 0);
          summary.warned += message.warnedRows;
          onBatch(file.name, bytesOfEarlierFiles + message.bytesRead, message.rowsRead);
        } else if (message.type === 'done') {
          for (const [column, levels] of message.unknownLevels) {
            for (const [level, count] of levels) {
              const key = `${column}\u0000${level}`;
              levelCounts.set(key, (levelCounts.get(key) ?? 0) + count);
            }
          }
        }
      }
      bytesOfEarlierFiles += file.size;
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  summary.unknownLevels = [...levelCounts]
    .map(([key, count]) => {
      const [column = '', level = ''] = key.split('\u0000');
      return { column, level, count };
    })
    .sort((a, b) => a.column.localeCompare(b.column) || (a.level === OTHER_LEVELS ? 1 : b.count - a.count));
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** Rows whose key is already known (in the base, or earlier in this import); records the new keys. */
function findDuplicates(batch: CellBatch, keyIndex: number, keys: Set<number>): Set<number> | undefined {
  let duplicates: Set<number> | undefined;
  for (let row = 0; row < batch.rowCount; row++) {
    const key = batch.numbers[row * batch.width + keyIndex]!;
    if (keys.has(key)) (duplicates ??= new Set()).add(row);
    else keys.add(key);
  }
  return duplicates;
}
