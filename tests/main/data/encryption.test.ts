import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../../src-main/data/backups.ts';
import {
  BaseKeyError,
  baseKeyFromEnvironment,
  generateBaseKey,
  readBaseKeyFile,
  useBaseKey,
} from '../../../src-main/data/baseKey.ts';
import {
  ClientBaseError,
  openClientBase,
  openDatabaseFile,
  type ClientBase,
} from '../../../src-main/data/clientBase.ts';
import { encryptClientBase, rekeyClientBase } from '../../../src-main/data/encryptBase.ts';
import { importCsvFolder } from '../../../src-main/data/import/importer.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';

const SAMPLE = resolve(__dirname, '../../../../shared/data/home-credit-sample');
const CLI = resolve(__dirname, '../../../bin/scoring-desk.js');
const run = promisify(execFile);

let work: string;
const key = generateBaseKey();
const otherKey = generateBaseKey();

/** Client names no real base holds, and text values of the sample's applications: what must not show on disk. */
const names = ['Zéphyrine Quillebœuf', 'Barnabé Tournicoti', 'Philomène Karadoc'];
const nameParts = names.flatMap((name) => name.split(' '));
let sampleTexts: string[];

function needlesFound(file: string): string[] {
  const bytes = readFileSync(file);
  return [...nameParts, ...sampleTexts, 'CREATE TABLE'].filter((needle) => bytes.includes(needle));
}

function addIdentities(db: ClientBase): void {
  const insert = db.prepare(
    'INSERT INTO client_identity (SK_ID_CURR, FIRST_NAME, LAST_NAME, BRANCH, PHONE) VALUES (?, ?, ?, ?, ?)',
  );
  names.forEach((name, i) => {
    const [first, last] = name.split(' ');
    insert.run(100_002 + i, first, last, 'Lyon Part-Dieu', `+33 4 72 00 00 0${i}`);
  });
}

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** A fresh folder holding a base imported from the whole Kaggle sample, encrypted with `withKey` (or not). */
async function importedBase(withKey: string | undefined): Promise<string> {
  useBaseKey(withKey);
  const db = join(mkdtempSync(join(work, 'base-')), 'base.sqlite');
  await importCsvFolder({ dir: SAMPLE, dbPath: db });
  const conn = openClientBase(db);
  addIdentities(conn);
  conn.close();
  return db;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-encryption-'));
  const rows = parse(readFileSync(join(SAMPLE, 'application_train.csv')), { columns: true }) as Record<
    string,
    string
  >[];
  sampleTexts = [...new Set(rows.map((r) => r.ORGANIZATION_TYPE!))].filter((t) => t.length >= 12).slice(0, 8);
  expect(sampleTexts.length).toBeGreaterThan(3);
});
afterEach(() => useBaseKey(undefined));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the key', () => {
  it('comes from SCORING_DESK_KEY, else from the file SCORING_DESK_KEY_FILE names, else there is none', () => {
    const file = join(work, 'env.key');
    writeFileSync(file, `${otherKey}\n`, { mode: 0o600 });
    expect(baseKeyFromEnvironment({ SCORING_DESK_KEY: key, SCORING_DESK_KEY_FILE: file })).toBe(key);
    expect(baseKeyFromEnvironment({ SCORING_DESK_KEY_FILE: file })).toBe(otherKey);
    expect(baseKeyFromEnvironment({})).toBeUndefined();
  });

  it('is 64 hexadecimal digits; a bad one is refused without being echoed', () => {
    const bad = 'correct horse battery staple';
    const error = caught(() => baseKeyFromEnvironment({ SCORING_DESK_KEY: bad }));
    expect(error).toBeInstanceOf(BaseKeyError);
    expect(error.message).toMatch(/SCORING_DESK_KEY environment variable does not hold .* 64 hexadecimal/);
    expect(error.message).not.toContain(bad);
    expect(() => useBaseKey(key.slice(1))).toThrow(BaseKeyError);
  });

  it.skipIf(process.platform === 'win32')('is refused from a file that other users can read', () => {
    const file = join(work, 'open.key');
    writeFileSync(file, key);
    chmodSync(file, 0o644);
    expect(() => readBaseKeyFile(file)).toThrow(`key file ${file} is readable by other users`);
    chmodSync(file, 0o600);
    expect(readBaseKeyFile(file)).toBe(key);
  });
});

describe('an encrypted client base', () => {
  let encrypted: string;
  let plain: string;
  beforeAll(async () => {
    encrypted = await importedBase(key);
    plain = await importedBase(undefined);
  }, 60_000);

  it('holds no client data in clear on disk, where an unencrypted one does', () => {
    expect(needlesFound(plain)).toEqual([...nameParts, ...sampleTexts, 'CREATE TABLE']);
    expect(needlesFound(encrypted)).toEqual([]);
    expect(readFileSync(encrypted).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('keeps its write-ahead log encrypted too', () => {
    useBaseKey(key);
    const db = openClientBase(encrypted);
    try {
      db.prepare(
        "UPDATE application SET ORGANIZATION_TYPE = 'Zéphyrine Quillebœuf Inc' WHERE SK_ID_CURR = ?",
      ).run(100_002);
      expect(existsSync(`${encrypted}-wal`)).toBe(true);
      expect(readFileSync(`${encrypted}-wal`).includes('Quillebœuf')).toBe(false);
    } finally {
      db.close();
    }
  });

  it('opens with its key and no other, saying what is wrong', () => {
    useBaseKey(key);
    const db = openClientBase(encrypted, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM application').pluck().get()).toBe(1000);
    db.close();

    useBaseKey(otherKey);
    const wrong = caught(() => openClientBase(encrypted));
    expect(wrong).toBeInstanceOf(ClientBaseError);
    expect(wrong.message).toBe(
      `cannot open client base ${encrypted}: file is not a database: wrong key, or not a Scoring Desk client base`,
    );

    useBaseKey(undefined);
    const missing = caught(() => openClientBase(encrypted, { readonly: true }));
    expect(missing).toBeInstanceOf(ClientBaseError);
    expect(missing.message).toMatch(/if it is an encrypted client base, give its key \(SCORING_DESK_KEY/);

    useBaseKey(key);
    const unencrypted = caught(() => openClientBase(plain));
    expect(unencrypted.message).toContain(`it is not encrypted but a key is configured`);
    expect(unencrypted.message).toContain(`scoring-desk encrypt --db ${plain}`);
  });

  it('stays encrypted through an import (working copy, rename, backup) and a features run', async () => {
    useBaseKey(key);
    const dir = mkdtempSync(join(work, 'csv-'));
    const lines = readFileSync(join(SAMPLE, 'bureau.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'bureau.csv'), lines.slice(0, 50).join('\n'));
    const summary = await importCsvFolder({ dir, dbPath: encrypted });
    expect(summary.backupPath).toBeDefined();
    const db = openClientBase(encrypted);
    const features = await computeFeatures(db, { workers: 2 });
    db.close();
    expect(features.stored).toBeGreaterThan(900);
    for (const file of [encrypted, summary.backupPath!]) {
      expect(needlesFound(file), file).toEqual([]);
      const check = openDatabaseFile(file, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
    }
    // No scratch file of the features run, encrypted or not, is left behind.
    expect(readdirSync(join(encrypted, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is what `encrypt` makes of an unencrypted base and its backups, the data unchanged', async () => {
    useBaseKey(undefined);
    const dir = mkdtempSync(join(work, 'csv-'));
    writeFileSync(
      join(dir, 'bureau.csv'),
      readFileSync(join(SAMPLE, 'bureau.csv'), 'utf8').split('\n').slice(0, 20).join('\n'),
    );
    await importCsvFolder({ dir, dbPath: plain });
    const files = [plain, ...listBackups(plain).map((b) => b.path)];
    expect(files).toHaveLength(2);

    expect(encryptClientBase(plain, key).sort()).toEqual(files.sort());
    for (const file of files) expect(needlesFound(file), file).toEqual([]);
    useBaseKey(key);
    const db = openClientBase(plain, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM application').pluck().get()).toBe(1000);
    expect(db.prepare('SELECT LAST_NAME FROM client_identity ORDER BY SK_ID_CURR').pluck().all()).toEqual(
      names.map((n) => n.split(' ')[1]),
    );
    db.close();
    expect(encryptClientBase(plain, key)).toEqual([]);
  });
});

describe('a new key', () => {
  it('replaces the old one on the base and its backups, the data unchanged; again does nothing', async () => {
    const db = await importedBase(key);
    await importCsvFolder({ dir: SAMPLE, dbPath: db });
    const files = [db, ...listBackups(db).map((b) => b.path)];
    expect(files.length).toBeGreaterThan(1);
    expect(rekeyClientBase(db, key, otherKey).sort()).toEqual(files.sort());
    for (const file of files) {
      expect(needlesFound(file), file).toEqual([]);
      expect(() => openClientBase(file, { key, readonly: true }), file).toThrow(ClientBaseError);
    }
    const reopened = openClientBase(db, { key: otherKey, readonly: true });
    expect(
      reopened.prepare('SELECT LAST_NAME FROM client_identity ORDER BY SK_ID_CURR').pluck().all(),
    ).toEqual(names.map((n) => n.split(' ')[1]));
    reopened.close();
    expect(rekeyClientBase(db, key, otherKey)).toEqual([]);
  });

  it('is refused when the current key is wrong, and nothing changes', async () => {
    const db = await importedBase(key);
    const before = readFileSync(db);
    const error = caught(() => rekeyClientBase(db, generateBaseKey(), otherKey));
    expect(error).toBeInstanceOf(ClientBaseError);
    expect(error.message).toBe(`${db} does not open with the current key: nothing was changed`);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('the CLI', () => {
  it('takes the key from --key-file or SCORING_DESK_KEY, and fails clearly without it', async () => {
    const keyFile = join(work, 'cli.key');
    await run(process.execPath, [CLI, 'new-key', '--out', keyFile]);
    const cliKey = readBaseKeyFile(keyFile);
    await expect(run(process.execPath, [CLI, 'new-key', '--out', keyFile])).rejects.toThrow(/EEXIST/);

    const db = join(mkdtempSync(join(work, 'cli-')), 'base.sqlite');
    await run(process.execPath, [CLI, 'import', SAMPLE, '--db', db, '--key-file', keyFile]);
    useBaseKey(cliKey);
    openClientBase(db, { readonly: true }).close();

    const env = { ...process.env, SCORING_DESK_KEY: undefined, SCORING_DESK_KEY_FILE: undefined };
    const refused = await run(process.execPath, [CLI, 'import', SAMPLE, '--db', db], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/give its key \(SCORING_DESK_KEY/);
    const withEnv = await run(process.execPath, [CLI, 'encrypt', '--db', db], {
      env: { ...env, SCORING_DESK_KEY: cliKey },
    });
    expect(withEnv.stdout).toBe(`${db} and its backups were already encrypted with this key\n`);

    const newKeyFile = join(work, 'cli-new.key');
    await run(process.execPath, [CLI, 'new-key', '--out', newKeyFile]);
    const rekeyed = await run(process.execPath, [CLI, 'rekey', '--db', db, '--new-key-file', newKeyFile], {
      env: { ...env, SCORING_DESK_KEY: cliKey },
    });
    expect(rekeyed.stdout).toMatch(/^Re-encrypted with the new key: /);
    openClientBase(db, { key: readBaseKeyFile(newKeyFile), readonly: true }).close();
  }, 60_000);
});
