import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  baseInUse,
  type ClientBase,
  ClientBaseError,
  openClientBase,
  schemaVersion,
} from '../../../src-main/data/clientBase.ts';
import { latestVersion, migrations } from '../../../src-main/data/migrations.ts';
import { sqlType, tables } from '../../../src-main/data/schema.ts';

let dir: string;
let counter = 0;
const open: ClientBase[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoring-desk-base-'));
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  vi.restoreAllMocks();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function newPath(name = 'base'): string {
  return join(dir, `${name}-${counter++}.sqlite`);
}

function track(db: ClientBase): ClientBase {
  open.push(db);
  return db;
}

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

describe('a new client base', () => {
  let db: ClientBase;
  let path: string;
  beforeAll(() => {
    path = newPath();
    db = openClientBase(path, { create: true });
  });
  afterAll(() => db.close());

  it('stands at the latest schema version', () => {
    expect(latestVersion).toBe(Math.max(...migrations.map((m) => m.version)));
    expect(latestVersion).toBeGreaterThanOrEqual(1);
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(existsSync(path)).toBe(true);
  });

  it('has the seven Home Credit tables and the import log (later migrations add their own)', () => {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    expect(tables.map((t) => t.name)).toHaveLength(7);
    expect(names).toEqual(expect.arrayContaining([...tables.map((t) => t.name), 'import_run']));
  });

  it.each(tables.map((t) => [t.name, t] as const))(
    'gives %s exactly the schema columns and types',
    (_, table) => {
      const info = db.pragma(`table_info("${table.name}")`) as ColumnInfo[];
      expect(info.map((c) => [c.name, c.type])).toEqual(table.columns.map((c) => [c.name, sqlType(c)]));
      for (const column of table.columns) {
        const row = info.find((c) => c.name === column.name)!;
        expect(row.pk, column.name).toBe(column.name === table.primaryKey ? 1 : 0);
        // NOT NULL on every key column (a PRIMARY KEY INTEGER is a rowid, never NULL).
        if (column.notNull && column.name !== table.primaryKey) expect(row.notnull, column.name).toBe(1);
        if (!column.notNull) expect(row.notnull, column.name).toBe(0);
      }
    },
  );

  it('makes every table STRICT', () => {
    const strict = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'").all() as {
      name: string;
      strict: number;
    }[];
    for (const table of [...tables.map((t) => t.name), 'import_run']) {
      expect(strict.find((s) => s.name === table)?.strict, table).toBe(1);
    }
    // And STRICT is enforced: text where an integer goes is refused, not stored.
    expect(() =>
      db.prepare('INSERT INTO application (SK_ID_CURR, CNT_CHILDREN) VALUES (1, ?)').run('two'),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('keys application, bureau and previous_application on their ids', () => {
    const primaryKeys = Object.fromEntries(
      tables.map((t) => [
        t.name,
        (db.pragma(`table_info("${t.name}")`) as ColumnInfo[]).filter((c) => c.pk > 0).map((c) => c.name),
      ]),
    );
    expect(primaryKeys).toEqual({
      application: ['SK_ID_CURR'],
      bureau: ['SK_ID_BUREAU'],
      bureau_balance: [],
      previous_application: ['SK_ID_PREV'],
      POS_CASH_balance: [],
      installments_payments: [],
      credit_card_balance: [],
    });
    for (const t of tables) expect(primaryKeys[t.name]).toEqual(t.primaryKey === null ? [] : [t.primaryKey]);
    db.prepare('INSERT INTO bureau (SK_ID_BUREAU, SK_ID_CURR) VALUES (10, 1)').run();
    expect(() => db.prepare('INSERT INTO bureau (SK_ID_BUREAU, SK_ID_CURR) VALUES (10, 2)').run()).toThrow(
      /UNIQUE/,
    );
  });

  it('refuses NULL in a key column', () => {
    expect(() => db.prepare('INSERT INTO installments_payments (SK_ID_PREV) VALUES (1)').run()).toThrow(
      /NOT NULL/,
    );
  });

  it('indexes every join key listed in the schema', () => {
    let expected = 0;
    for (const table of tables) {
      const indexes = db.pragma(`index_list("${table.name}")`) as { name: string }[];
      const indexed = indexes.map(
        (ix) => (db.pragma(`index_info("${ix.name}")`) as { name: string }[]).map((c) => c.name)[0],
      );
      for (const key of table.indexes) {
        expect(indexed, `${table.name}.${key}`).toContain(key);
        expected++;
      }
    }
    // bureau, bureau_balance, previous_application and three with two keys each.
    expect(expected).toBe(9);
  });

  it('is in WAL mode with foreign keys on', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

describe('opening an existing client base', () => {
  it('does not run the migrations again and keeps the data', () => {
    const path = newPath();
    const up = vi.spyOn(migrations[0]!, 'up');
    const first = track(openClientBase(path, { create: true }));
    expect(up).toHaveBeenCalledTimes(1);
    first.prepare('INSERT INTO application (SK_ID_CURR, CODE_GENDER) VALUES (100002, ?)').run('M');
    first.close();

    const again = track(openClientBase(path));
    expect(up).toHaveBeenCalledTimes(1);
    expect(schemaVersion(again)).toBe(latestVersion);
    expect(again.prepare('SELECT CODE_GENDER FROM application WHERE SK_ID_CURR = 100002').pluck().get()).toBe(
      'M',
    );
    again.close();

    const readonly = track(openClientBase(path, { readonly: true }));
    expect(up).toHaveBeenCalledTimes(1);
    expect(readonly.readonly).toBe(true);
    expect(readonly.prepare('SELECT COUNT(*) FROM application').pluck().get()).toBe(1);
  });

  it('migrates an empty SQLite file at version 0', () => {
    const path = newPath();
    new Database(path).close();
    const db = track(openClientBase(path));
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'application'").pluck().get()).toBe(1);
  });

  it('refuses to migrate a base opened read-only', () => {
    const path = newPath();
    new Database(path).close();
    const error = caught(() => openClientBase(path, { readonly: true }));
    expect(error).toBeInstanceOf(ClientBaseError);
    expect(error.message).toBe(`${path} has schema version 0 and needs migrating to ${latestVersion}`);
  });

  it('rolls a failed migration back, leaving the file as it was', () => {
    // An unrelated SQLite file that already has a table of one of our names.
    const path = newPath('foreign');
    const other = new Database(path);
    other.exec('CREATE TABLE bureau (x TEXT)');
    other.close();
    expect(() => openClientBase(path)).toThrow(
      /foreign.*cannot bring the client base to schema version 1.*bureau/,
    );
    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(0);
      expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual([
        'bureau',
      ]);
    } finally {
      check.close();
    }
  });

  it('refuses a base written by a newer version, saying so', () => {
    const path = newPath();
    openClientBase(path, { create: true }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${latestVersion + 1}`);
    raw.close();
    const up = vi.spyOn(migrations[0]!, 'up');
    for (const options of [{}, { readonly: true }]) {
      const error = caught(() => openClientBase(path, options));
      expect(error).toBeInstanceOf(ClientBaseError);
      expect(error.message).toBe(
        `${path} has schema version ${latestVersion + 1}, newer than this Scoring Desk (${latestVersion}): update the application`,
      );
    }
    expect(up).not.toHaveBeenCalled();
    // Untouched by the attempt.
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(latestVersion + 1);
    check.close();
  });

  it('refuses a text file, naming it', () => {
    const path = join(dir, `notes-${counter++}.csv`);
    writeFileSync(path, 'SK_ID_CURR,TARGET\n100002,1\n'.repeat(20));
    for (const options of [{}, { readonly: true }, { create: true }]) {
      const error = caught(() => openClientBase(path, options));
      expect(error).toBeInstanceOf(ClientBaseError);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/not a database/);
    }
  });

  it('refuses a missing file unless asked to create it, naming the file and creating nothing', () => {
    const path = newPath('missing');
    for (const options of [{}, { readonly: true }, { create: false }]) {
      const error = caught(() => openClientBase(path, options));
      expect(error).toBeInstanceOf(ClientBaseError);
      expect(error.message).toBe(`client base not found: ${path}`);
    }
    expect(existsSync(path)).toBe(false);
    track(openClientBase(path, { create: true }));
    expect(existsSync(path)).toBe(true);
  });

  it('refuses a file in a folder that does not exist, naming it', () => {
    const path = join(dir, 'no-such-folder', 'base.sqlite');
    const error = caught(() => openClientBase(path, { create: true }));
    expect(error).toBeInstanceOf(ClientBaseError);
    expect(error.message).toContain(path);
  });
});

describe('whether a base is in use', () => {
  it('folds back a write-ahead log left by a crash, losing nothing, and says no', () => {
    const path = newPath();
    openClientBase(path, { create: true }).close();
    // A program killed while it has the base open leaves its -wal file behind, with its committed writes.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.prepare("INSERT INTO import_run (started_at, finished_at, source, summary_json) VALUES ('2026-11-28', '2026-11-28', 'crash', '{}')").run();
      process.kill(process.pid, 'SIGKILL');`;
    try {
      execFileSync(process.execPath, ['-e', script, path], { stdio: 'ignore' });
    } catch {
      // Killed, as meant.
    }
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(baseInUse(path)).toBe(false);
    expect(existsSync(`${path}-wal`)).toBe(false);
    const db = track(openClientBase(path, { readonly: true }));
    expect(db.prepare("SELECT COUNT(*) FROM import_run WHERE source = 'crash'").pluck().get()).toBe(1);
  });

  it('says yes while another connection has it open', () => {
    const path = newPath();
    const other = track(openClientBase(path, { create: true }));
    other
      .prepare(
        "INSERT INTO import_run (started_at, finished_at, source, summary_json) VALUES ('2026-11-28', '2026-11-28', 'x', '{}')",
      )
      .run();
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(baseInUse(path)).toBe(true);
    other.close();
    expect(baseInUse(path)).toBe(false);
  });
});
