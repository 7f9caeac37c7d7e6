import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../../../src-main/data/backups.ts';
import { openClientBase } from '../../../../src-main/data/clientBase.ts';
import { ImportError, importCsvFolder } from '../../../../src-main/data/import/importer.ts';

/**
 * Fuzzing the importer with random corruptions of real rows of the Kaggle sample (applications and bureau
 * credits): every corrupted row is rejected with its line number and a reason, every other row is imported, the
 * rows already in the base are untouched; a corruption that makes a whole file unusable leaves the base byte for
 * byte as it was.
 */

const SAMPLE = resolve(__dirname, '../../../../../shared/data/home-credit-sample');
const PREVIOUS_CLIENTS = 60;
const ROWS_PER_FILE = 40;

interface TableFile {
  file: string;
  table: string;
  key: string;
  header: string[];
  rows: string[][];
  integers: string[];
  reals: string[];
  category: string;
}

function sampleFile(
  file: string,
  table: string,
  key: string,
  integers: string[],
  reals: string[],
  category: string,
) {
  const [header, ...rows] = parse(readFileSync(join(SAMPLE, file)), {
    relaxColumnCount: false,
  }) as string[][];
  return { file, table, key, header: header!, rows, integers, reals, category } satisfies TableFile;
}

const applications = sampleFile(
  'application_train.csv',
  'application',
  'SK_ID_CURR',
  ['CNT_CHILDREN', 'DAYS_BIRTH', 'DAYS_EMPLOYED'],
  ['AMT_INCOME_TOTAL', 'AMT_CREDIT', 'AMT_ANNUITY'],
  'NAME_CONTRACT_TYPE',
);
const bureau = sampleFile(
  'bureau.csv',
  'bureau',
  'SK_ID_BUREAU',
  ['DAYS_CREDIT', 'CNT_CREDIT_PROLONG'],
  ['AMT_CREDIT_SUM', 'AMT_CREDIT_SUM_DEBT'],
  'CREDIT_ACTIVE',
);
const sources = [applications, bureau];

const csvLine = (fields: string[]) =>
  fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');

/** What is done to a row, and what the importer must say about it (undefined: the row is imported). */
type Corruption =
  | { kind: 'missing field' | 'extra field' | 'empty key' | 'duplicate key' }
  | { kind: 'not a number'; column: number; text: string }
  | { kind: 'not an integer'; column: number }
  | { kind: 'unknown level' | 'quoted comma'; text: string };

const word = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z ]{0,11}$/)
  .filter((w) => !/^(nan|inf|infinity)$/i.test(w.trim()));

function corruption(source: TableFile): fc.Arbitrary<Corruption> {
  const column = (names: string[]) => fc.constantFrom(...names.map((n) => source.header.indexOf(n)));
  return fc.oneof(
    fc.constantFrom<Corruption>(
      { kind: 'missing field' },
      { kind: 'extra field' },
      { kind: 'empty key' },
      { kind: 'duplicate key' },
    ),
    fc.record({
      kind: fc.constant('not a number' as const),
      column: column([...source.integers, ...source.reals]),
      text: fc.oneof(word, fc.constantFrom('12,5', '1.2.3', '--3', '1e', '€100', '0x')),
    }),
    fc.record({ kind: fc.constant('not an integer' as const), column: column(source.integers) }),
    fc.record({ kind: fc.constant('unknown level' as const), text: word.map((w) => `Zz ${w}`) }),
    fc.record({ kind: fc.constant('quoted comma' as const), text: word.map((w) => `Zz, ${w}`) }),
  );
}

const rejected = (c: Corruption | undefined) =>
  c !== undefined && c.kind !== 'unknown level' && c.kind !== 'quoted comma';

const expectedReason: Record<string, RegExp> = {
  'missing field': /^expected \d+ fields, found \d+$/,
  'extra field': /^expected \d+ fields, found \d+$/,
  'empty key': /^missing value for a key column$/,
  'duplicate key': /^duplicate key/,
  'not a number': /^not a number$/,
  'not an integer': /^not an integer$/,
};

let work: string;
let previousBase: string;
let previousKeys: Map<string, number[]>;
/** Sample rows of each table not in the previous base: what a fuzzed import adds. */
let freshRows: Map<string, string[][]>;
/** Rows of the base before any fuzzed import, table by table, to check that none changes. */
let previousRows: string;

function rowsDigest(db: string): string {
  const conn = openClientBase(db);
  try {
    const hash = createHash('sha256');
    for (const { table, key } of sources) {
      const keys = previousKeys.get(table)!;
      for (const row of conn
        .prepare(`SELECT * FROM ${table} WHERE ${key} IN (${keys.join(',')}) ORDER BY ${key}`)
        .all()) {
        hash.update(JSON.stringify(row));
      }
    }
    return hash.digest('hex');
  } finally {
    conn.close();
  }
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-import-fuzz-'));
  const dir = mkdtempSync(join(work, 'seed-'));
  const previousClients = new Set(applications.rows.slice(0, PREVIOUS_CLIENTS).map((r) => r[0]!));
  const seedBureau = bureau.rows.filter((r) => previousClients.has(r[0]!));
  writeFileSync(
    join(dir, applications.file),
    [applications.header, ...applications.rows.slice(0, PREVIOUS_CLIENTS)].map(csvLine).join('\n'),
  );
  writeFileSync(join(dir, bureau.file), [bureau.header, ...seedBureau].map(csvLine).join('\n'));
  previousBase = join(work, 'previous.sqlite');
  await importCsvFolder({ dir, dbPath: previousBase });
  previousKeys = new Map([
    ['application', [...previousClients].map(Number)],
    ['bureau', seedBureau.map((r) => Number(r[1]))],
  ]);
  previousRows = rowsDigest(previousBase);
  freshRows = new Map(
    sources.map((source) => {
      const keyAt = source.header.indexOf(source.key);
      const known = new Set(previousKeys.get(source.table)!);
      return [source.table, source.rows.filter((r) => !known.has(Number(r[keyAt])))];
    }),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One fuzzed import: fresh rows of each table, some corrupted, and now and then a file made unusable. */
const scenario = fc.record({
  offsets: fc.tuple(fc.nat({ max: 850 }), fc.nat({ max: 3000 })),
  corruptions: fc.tuple(
    fc.array(fc.option(corruption(applications), { freq: 3, nil: undefined }), {
      minLength: ROWS_PER_FILE,
      maxLength: ROWS_PER_FILE,
    }),
    fc.array(fc.option(corruption(bureau), { freq: 3, nil: undefined }), {
      minLength: ROWS_PER_FILE,
      maxLength: ROWS_PER_FILE,
    }),
  ),
  unusableFile: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('drop a required column', 'empty file') },
  ),
});

function corrupt(source: TableFile, row: string[], c: Corruption | undefined, duplicateOf: number): string[] {
  const fields = [...row];
  const keyAt = source.header.indexOf(source.key);
  switch (c?.kind) {
    case undefined:
      return fields;
    case 'missing field':
      return fields.slice(0, -1);
    case 'extra field':
      return [...fields, 'extra'];
    case 'empty key':
      fields[keyAt] = '';
      return fields;
    case 'duplicate key':
      fields[keyAt] = String(duplicateOf);
      return fields;
    case 'not a number':
      fields[c.column] = c.text;
      return fields;
    case 'not an integer':
      fields[c.column] = `${fields[c.column] || '7'}.5`;
      return fields;
    case 'unknown level':
    case 'quoted comma':
      fields[source.header.indexOf(source.category)] = c.text;
      return fields;
  }
}

describe('importer fuzzing', () => {
  it('rejects each corrupted row by its line, imports every other, and never alters what the base held', async () => {
    let imports = 0;
    let rejectedRows = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ offsets, corruptions, unusableFile }) => {
        const dir = mkdtempSync(join(work, 'csv-'));
        const db = join(mkdtempSync(join(work, 'base-')), 'base.sqlite');
        copyFileSync(previousBase, db);
        const expected = new Map<string, { good: number[]; bad: Map<number, Corruption> }>();
        sources.forEach((source, s) => {
          const rows = freshRows.get(source.table)!.slice(offsets[s]!, offsets[s]! + ROWS_PER_FILE);
          const keyAt = source.header.indexOf(source.key);
          const known = previousKeys.get(source.table)!;
          const good: number[] = [];
          const bad = new Map<number, Corruption>();
          const lines = rows.map((row, i) => {
            const c = corruptions[s]![i];
            if (rejected(c)) bad.set(i + 2, c!);
            else good.push(Number(row[keyAt]));
            return csvLine(corrupt(source, row, c, known[i % known.length]!));
          });
          expected.set(source.table, { good, bad });
          writeFileSync(join(dir, source.file), [csvLine(source.header), ...lines].join('\n') + '\n');
        });

        if (unusableFile) {
          const before = fileHash(db);
          const backups = listBackups(db).length;
          const broken = unusableFile === 'empty file' ? '' : csvLine(applications.header.slice(1)) + '\n';
          writeFileSync(join(dir, applications.file), broken);
          await expect(importCsvFolder({ dir, dbPath: db })).rejects.toThrow(ImportError);
          expect(fileHash(db)).toBe(before);
          expect(listBackups(db)).toHaveLength(backups);
          expect(readdirSync(join(db, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
          return;
        }

        const summary = await importCsvFolder({ dir, dbPath: db });
        imports++;
        const report = parse(readFileSync(summary.rejectsPath), { columns: true }) as Record<
          string,
          string
        >[];
        const conn = openClientBase(db);
        try {
          expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
          for (const source of sources) {
            const { good, bad } = expected.get(source.table)!;
            const rejects = report.filter((r) => r.file === source.file);
            expect(rejects.map((r) => Number(r.line)).sort((a, b) => a - b)).toEqual(
              [...bad.keys()].sort((a, b) => a - b),
            );
            for (const r of rejects) {
              const c = bad.get(Number(r.line))!;
              expect(r.reason, `${source.file}:${r.line} (${c.kind})`).toMatch(expectedReason[c.kind]!);
              if (c.kind === 'not a number' || c.kind === 'not an integer')
                expect(r.column).toBe(source.header[c.column]);
            }
            const table = summary.tables.find((t) => t.table === source.table)!;
            expect(table).toMatchObject({ imported: good.length, rejected: bad.size });
            const newKeys = conn
              .prepare(
                `SELECT ${source.key} FROM ${source.table} WHERE ${source.key} NOT IN (${previousKeys.get(source.table)!.join(',')})`,
              )
              .pluck()
              .all() as number[];
            expect(newKeys.sort((a, b) => a - b)).toEqual([...good].sort((a, b) => a - b));
            rejectedRows += bad.size;
          }
        } finally {
          conn.close();
        }
        expect(rowsDigest(db)).toBe(previousRows);
      }),
      { numRuns: 20 },
    );
    expect(imports).toBeGreaterThan(10);
    expect(rejectedRows).toBeGreaterThan(10 * ROWS_PER_FILE);
  }, 180_000);
});
