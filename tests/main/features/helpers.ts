import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openClientBase, type ClientBase } from '../../../src-main/data/clientBase.ts';
import { importCsvFolder } from '../../../src-main/data/import/importer.ts';
import { quoteIdent, tableSpec, type TableName } from '../../../src-main/data/schema.ts';
import { clientFeatures } from '../../../src-main/features/client.ts';
import { featureIndex } from '../../../src-main/features/recipe.ts';

export const REPO = resolve(import.meta.dirname, '../../..');
export const SAMPLE = resolve(REPO, '../shared/data/home-credit-sample');

export type Row = Record<string, string | number | null>;

/** A fresh, empty client base in its own temporary folder. */
export function emptyBase(): { db: ClientBase; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'scoring-desk-features-')), 'base.sqlite');
  return { db: openClientBase(path, { create: true }), path };
}

/** Inserts rows given by some of their columns; the others are NULL. */
export function insert(db: ClientBase, table: TableName, ...rows: Row[]): void {
  const known = new Set(tableSpec(table).columns.map((c) => c.name));
  for (const row of rows) {
    const columns = Object.keys(row);
    for (const c of columns) if (!known.has(c)) throw new Error(`test row: ${table} has no column ${c}`);
    db.prepare(
      `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ).run(...columns.map((c) => row[c]));
  }
}

/** An application row with the columns every test needs; `extra` overrides or adds. */
export function application(id: number, extra: Row = {}): Row {
  return {
    SK_ID_CURR: id,
    TARGET: 0,
    CODE_GENDER: 'F',
    FLAG_OWN_CAR: 'N',
    FLAG_OWN_REALTY: 'Y',
    AMT_INCOME_TOTAL: 100000,
    AMT_CREDIT: 200000,
    AMT_ANNUITY: 10000,
    AMT_GOODS_PRICE: 180000,
    DAYS_BIRTH: -10000,
    DAYS_EMPLOYED: -1000,
    CNT_FAM_MEMBERS: 2,
    ...extra,
  };
}

/** Named features of one client, computed on demand. */
export function featuresOf(db: ClientBase, clientId: number): (name: string) => number {
  const vector = clientFeatures(db, clientId);
  return (name) => vector[featureIndex(name)]!;
}

/** A demo base of `clients` clients, generated and imported once per test run and shared by the test files. */
export async function demoBase(clients: number): Promise<string> {
  const dir = join(tmpdir(), `scoring-desk-features-demo-${clients}-${process.pid}`);
  const path = join(dir, 'base.sqlite');
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  execFileSync(
    process.execPath,
    [
      join(REPO, 'bin/scoring-desk.js'),
      'demo-data',
      '--clients',
      String(clients),
      '--seed',
      '3',
      '--out',
      join(dir, 'csv'),
    ],
    { stdio: 'ignore' },
  );
  await importCsvFolder({ dir: join(dir, 'csv'), dbPath: path });
  return path;
}

/** The real Kaggle sample, imported into a fresh base. */
export async function sampleBase(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'scoring-desk-features-sample-')), 'base.sqlite');
  await importCsvFolder({ dir: SAMPLE, dbPath: path });
  return path;
}

/**
 * The features where two vectors differ, NaN equal to NaN: an empty list means bit-for-bit equal values.
 * (A plain loop: deep equality of large typed arrays is far too slow in the test runner.)
 */
export function differences(
  a: Float64Array,
  b: Float64Array,
  names: readonly string[],
  offset = 0,
): string[] {
  const found: string[] = [];
  if (a.length !== b.length) return [`lengths ${a.length} and ${b.length}`];
  for (let k = 0; k < a.length && found.length < 10; k++) {
    if (!Object.is(a[k], b[k])) found.push(`${names[(offset + k) % names.length]}: ${a[k]} vs ${b[k]}`);
  }
  return found;
}
