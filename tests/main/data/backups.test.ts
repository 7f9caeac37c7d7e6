import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KEPT_BACKUPS,
  backUpBase,
  backupFolder,
  listBackups,
  restoreBackup,
} from '../../../src-main/data/backups.ts';
import { ClientBaseError, openClientBase } from '../../../src-main/data/clientBase.ts';
import { importCsvFolder } from '../../../src-main/data/import/importer.ts';

const SAMPLE = resolve(__dirname, '../../../../shared/data/home-credit-sample');
const CLI = resolve(__dirname, '../../../bin/scoring-desk.js');
const run = promisify(execFile);

let work: string;
const appLines = readFileSync(join(SAMPLE, 'application_train.csv'), 'utf8').split('\n');

/** A folder with `count` sample applications starting at `from`. */
function applications(from: number, count: number): string {
  const dir = mkdtempSync(join(work, 'csv-'));
  writeFileSync(
    join(dir, 'application_train.csv'),
    [appLines[0], ...appLines.slice(1 + from, 1 + from + count)].join('\n'),
  );
  return dir;
}

function hash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Read-write: a read-only connection leaves -wal and -shm files, which would pass for a program using the base. */
function clients(db: string): number {
  const conn = openClientBase(db);
  try {
    return conn.prepare('SELECT COUNT(*) FROM application').pluck().get() as number;
  } finally {
    conn.close();
  }
}

function newBase(): string {
  return join(mkdtempSync(join(work, 'base-')), 'base.sqlite');
}

/** Appends audit entries as the decision service would (the chain itself is not the point here). */
function addAuditEntries(db: string, count: number): void {
  const conn = openClientBase(db);
  const insert = conn.prepare(
    `INSERT INTO audit_log (at, actor, action, SK_ID_CURR, trace_id, details_json, prev_hash, hash)
     VALUES (?, 'manager', 'decision', 100002, ?, '{}', ?, ?)`,
  );
  for (let i = 0; i < count; i++) {
    insert.run(new Date().toISOString(), `trace-${Math.random()}`, `prev-${i}`, `hash-${i}`);
  }
  conn.close();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-backups-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('backups before every import', () => {
  it('keeps the base as it was before each import, the last three, newest first', async () => {
    const db = newBase();
    const first = await importCsvFolder({ dir: applications(0, 10), dbPath: db });
    expect(first.backupPath).toBeUndefined();
    expect(listBackups(db)).toEqual([]);

    const states: string[] = [];
    for (let i = 1; i <= 5; i++) {
      states.push(hash(db));
      const summary = await importCsvFolder({ dir: applications(10 * i, 10), dbPath: db });
      expect(summary.backupPath).toBe(listBackups(db)[0]!.path);
      expect(hash(summary.backupPath!)).toBe(states.at(-1));
    }
    const kept = listBackups(db);
    expect(kept).toHaveLength(KEPT_BACKUPS);
    expect(kept.map((b) => hash(b.path))).toEqual(states.slice(-KEPT_BACKUPS).reverse());
    expect(kept.every((b) => b.path.startsWith(join(backupFolder(db), `${basename(db)}.`)))).toBe(true);
    // The oldest kept is the base after the second import: 30 clients; the newest, 50.
    expect(kept.map((b) => clients(b.path))).toEqual([50, 40, 30]);
    expect(clients(db)).toBe(60);
  });

  it('adds none when the import fails', async () => {
    const db = newBase();
    await importCsvFolder({ dir: applications(0, 10), dbPath: db });
    await importCsvFolder({ dir: applications(10, 10), dbPath: db });
    const before = listBackups(db);
    const bad = mkdtempSync(join(work, 'bad-'));
    writeFileSync(join(bad, 'bureau.csv'), 'SK_ID_CURR,SK_ID_BUREAU\n1,2\n');
    await expect(importCsvFolder({ dir: bad, dbPath: db })).rejects.toThrow(/required columns missing/);
    expect(listBackups(db)).toEqual(before);
  });

  it('gives two backups in the same millisecond distinct, ordered names', () => {
    const db = newBase();
    openClientBase(db, { create: true }).close();
    const at = new Date('2030-01-01T00:00:00.000Z');
    const a = backUpBase(db, at)!;
    const b = backUpBase(db, at)!;
    expect(b.takenAt.getTime()).toBe(a.takenAt.getTime() + 1);
    expect(listBackups(db).map((x) => x.path)).toEqual([b.path, a.path]);
  });
});

describe('restore', () => {
  let db: string;
  beforeAll(async () => {
    db = newBase();
    for (let i = 0; i < 3; i++) await importCsvFolder({ dir: applications(10 * i, 10), dbPath: db });
  });

  it('puts the newest backup back by default, keeping the replaced base as a backup', () => {
    const newest = listBackups(db)[0]!;
    const current = hash(db);
    const expected = hash(newest.path);
    const result = restoreBackup(db);
    expect(result.restored).toBe(newest.path);
    expect(hash(db)).toBe(expected);
    expect(clients(db)).toBe(20);
    expect(hash(result.savedAs!)).toBe(current);
    // And it can be undone.
    restoreBackup(db, { backup: result.savedAs });
    expect(hash(db)).toBe(current);
  });

  it('refuses to drop audit entries written since the backup, unless forced', () => {
    addAuditEntries(db, 2);
    const before = hash(db);
    const backup = listBackups(db)[0]!.path;
    expect(() => restoreBackup(db, { backup })).toThrow(
      /holds 2 audit entries \(decisions\) written after the backup .* Add --force/,
    );
    expect(hash(db)).toBe(before);
    const result = restoreBackup(db, { backup, force: true });
    expect(hash(result.savedAs!)).toBe(before);
  });

  it('refuses a damaged or missing backup, leaving the base as it was', () => {
    const before = hash(db);
    const damaged = join(work, 'damaged.bak');
    writeFileSync(damaged, readFileSync(listBackups(db)[0]!.path).subarray(0, 4096 * 3));
    expect(() => restoreBackup(db, { backup: damaged })).toThrow(ClientBaseError);
    expect(() => restoreBackup(db, { backup: join(work, 'nothing.bak') })).toThrow(/backup not found/);
    expect(() => restoreBackup(newBase())).toThrow(/no backup of/);
    expect(hash(db)).toBe(before);
  });

  it('refuses while another program has the base open', () => {
    const open = openClientBase(db);
    try {
      open
        .prepare(
          "INSERT INTO import_run (started_at, finished_at, source, summary_json) VALUES ('now', 'now', 'test', '[]')",
        )
        .run();
      const before = hash(db);
      expect(() => restoreBackup(db)).toThrow(/in use by another program/);
      expect(hash(db)).toBe(before);
    } finally {
      open.close();
    }
  });

  it('is a CLI command that lists and restores', async () => {
    const list = await run(process.execPath, [CLI, 'restore', '--db', db, '--list']);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(KEPT_BACKUPS);
    expect(lines.map((l) => l.split(/\s+/).at(-1))).toEqual(listBackups(db).map((b) => b.path));
    const oldest = listBackups(db).at(-1)!;
    const expected = hash(oldest.path);
    const restored = await run(process.execPath, [
      CLI,
      'restore',
      '--db',
      db,
      '--backup',
      oldest.path,
      '--force',
    ]);
    expect(restored.stdout).toContain(`Restored ${db} from ${oldest.path}`);
    expect(hash(db)).toBe(expected);
  }, 30_000);
});
