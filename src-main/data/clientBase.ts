import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { latestVersion, migrations } from './migrations.ts';

export type ClientBase = Database.Database;

export class ClientBaseError extends Error {
  override name = 'ClientBaseError';
}

export interface OpenOptions {
  /** Create the file if it does not exist (default false: a missing base is an error). */
  create?: boolean;
  readonly?: boolean;
}

/**
 * Opens a client base and brings its schema up to date. A file that is not an SQLite database, or one written by
 * a newer version of Scoring Desk, is refused with a message naming the file.
 */
export function openClientBase(file: string, options: OpenOptions = {}): ClientBase {
  if (!options.create && !existsSync(file)) {
    throw new ClientBaseError(`client base not found: ${file}`);
  }
  let db: ClientBase;
  try {
    db = new Database(file, { readonly: options.readonly ?? false });
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) db.pragma('journal_mode = WAL');
  } catch (error) {
    throw new ClientBaseError(`cannot open client base ${file}: ${(error as Error).message}`);
  }
  try {
    migrate(db, file, options.readonly ?? false);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
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
