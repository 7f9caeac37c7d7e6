// `better-sqlite3` is SQLite3 Multiple Ciphers' build of it (package.json aliases better-sqlite3-multiple-ciphers):
// the same API, plus SQLCipher-compatible encryption.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { type BaseKey, configuredBaseKey, keyEnvVar, keyFileEnvVar } from './baseKey.ts';
import { latestVersion, migrations } from './migrations.ts';
import { nativeBindingOption } from './nativeBinding.ts';

/** This module is the one place that creates SQLite connections: every file Scoring Desk writes gets the key. */
export type ClientBase = Database.Database;
export type Statement = Database.Statement;

export class ClientBaseError extends Error {
  override name = 'ClientBaseError';
}

export interface OpenOptions {
  /** Create the file if it does not exist (default false: a missing base is an error). */
  create?: boolean;
  readonly?: boolean;
  /** The encryption key; default: the process's (`configuredBaseKey`); null: an unencrypted file. */
  key?: BaseKey | null;
}

const keys = new WeakMap<ClientBase, BaseKey | undefined>();

/**
 * Opens an SQLite file of Scoring Desk (a client base, an import's working copy, a scratch file), encrypted with
 * SQLCipher 4's format when a key is given, so that the sqlcipher tool opens it too. Reads the first page at once,
 * so a wrong or missing key fails here, with a message saying which, and not at the first query.
 */
export function openDatabaseFile(file: string, options: OpenOptions = {}): ClientBase {
  const key = options.key === undefined ? configuredBaseKey() : (options.key ?? undefined);
  let db: ClientBase;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: !options.create,
      ...nativeBindingOption(),
    });
  } catch (error) {
    throw new ClientBaseError(`cannot open client base ${file}: ${(error as Error).message}`);
  }
  try {
    if (key) {
      db.pragma(`cipher = 'sqlcipher'`);
      db.pragma('legacy = 4');
      db.key(Buffer.from(`x'${key}'`));
      // SQLite encrypts the base, its journal and its write-ahead log, not its temporary files: sorts and
      // temporary tables stay in memory.
      db.pragma('temp_store = MEMORY');
    }
    db.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
  } catch (error) {
    db.close();
    throw new ClientBaseError(openFailure(file, key, error as Error & { code?: string }));
  }
  keys.set(db, key);
  return db;
}

/**
 * Whether another program has the base open. The last connection to close a base folds its write-ahead log back
 * and removes it, so a -wal file that survives opening and closing the base here belongs to a connection still
 * open elsewhere; one left by a crash or by a read-only connection is folded back on the way (nothing is lost).
 */
export function baseInUse(file: string, options: Pick<OpenOptions, 'key'> = {}): boolean {
  if (!existsSync(`${file}-wal`)) return false;
  openDatabaseFile(file, options).close();
  return existsSync(`${file}-wal`);
}

/** The key a connection was opened with, for the files made beside it (working copies, scratch files). */
export function baseKeyOf(db: ClientBase): BaseKey | undefined {
  return keys.get(db);
}

/** Attaches another file to a connection, with that connection's key. */
export function attachDatabaseFile(db: ClientBase, file: string, schema: string): void {
  const name = `"${schema.replaceAll('"', '""')}"`;
  const key = baseKeyOf(db);
  if (key) db.prepare(`ATTACH ? AS ${name} KEY ?`).run(file, `x'${key}'`);
  else db.prepare(`ATTACH ? AS ${name}`).run(file);
}

const plainHeader = Buffer.from('SQLite format 3\0', 'latin1');

function hasPlainHeader(file: string): boolean {
  const header = Buffer.alloc(plainHeader.length);
  try {
    const fd = openSync(file, 'r');
    try {
      readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return header.equals(plainHeader);
}

function openFailure(file: string, key: BaseKey | undefined, error: Error & { code?: string }): string {
  const message = `cannot open client base ${file}: ${error.message}`;
  if (error.code !== 'SQLITE_NOTADB') return message;
  if (key && hasPlainHeader(file)) {
    return `${message}: it is not encrypted but a key is configured; encrypt it with \`scoring-desk encrypt --db ${file}\``;
  }
  if (key) return `${message}: wrong key, or not a Scoring Desk client base`;
  return `${message}: if it is an encrypted client base, give its key (${keyEnvVar}, ${keyFileEnvVar} or --key-file)`;
}

/**
 * Opens a client base and brings its schema up to date. A file that is not an SQLite database, or one written by
 * a newer version of Scoring Desk, is refused with a message naming the file.
 */
export function openClientBase(file: string, options: OpenOptions = {}): ClientBase {
  if (!options.create && !existsSync(file)) {
    throw new ClientBaseError(`client base not found: ${file}`);
  }
  const db = openDatabaseFile(file, { ...options, create: true });
  try {
    configure(db, file, options.readonly ?? false);
    migrate(db, file, options.readonly ?? false);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function configure(db: ClientBase, file: string, readonly: boolean): void {
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // A commit (a decision above all) survives a power cut, not only a crash of the program: the log is synced
      // at every commit, where WAL's default syncs it only at checkpoints.
      db.pragma('synchronous = FULL');
    }
  } catch (error) {
    throw new ClientBaseError(`cannot open client base ${file}: ${(error as Error).message}`);
  }
}

export function schemaVersion(db: ClientBase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: ClientBase, file: string, readonly: boolean): void {
  let current: number;
  try {
    current = schemaVersion(db);
  } catch (error) {
    throw new ClientBaseError(`${file} is not a Scoring Desk client base: ${(error as Error).message}`);
  }
  if (current > latestVersion) {
    throw new ClientBaseError(
      `${file} has schema version ${current}, newer than this Scoring Desk (${latestVersion}): update the application`,
    );
  }
  if (current === latestVersion) return;
  if (readonly) {
    throw new ClientBaseError(
      `${file} has schema version ${current} and needs migrating to ${latestVersion}`,
    );
  }
  for (const migration of migrations.filter((m) => m.version > current)) {
    try {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw new ClientBaseError(
        `${file}: cannot bring the client base to schema version ${migration.version} (${migration.description}): ${(error as Error).message}`,
      );
    }
  }
}
