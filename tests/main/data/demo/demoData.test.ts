import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData, type DemoDataSummary } from '../../../../src-main/data/demo/generate.ts';
import { tables } from '../../../../src-main/data/schema.ts';
import { readTable, share, type Table } from './csv.ts';

const CLIENTS = 1000;
const KAGGLE_FILES = tables.flatMap((t) => t.files.map((f) => f.name));
const SAMPLE_DIR = resolve(import.meta.dirname, '../../../../../shared/data/home-credit-sample');

let work: string;
let dir: string;
let summary: DemoDataSummary;
const read = (file: string): Table => readTable(dir, file);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'demo-data-'));
  dir = join(work, 'set');
  summary = await generateDemoData({ clients: CLIENTS, seed: 11, outDir: dir });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('demo-data files', () => {
  it('are the same bytes for the same seed, and differ for another seed', async () => {
    const run = async (name: string, seed: number) => {
      const out = join(work, name);
      await generateDemoData({ clients: 300, seed, outDir: out });
      return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    };
    const first = await run('a', 5);
    const again = await run('b', 5);
    const other = await run('c', 6);
    expect(Object.keys(first).sort()).toEqual([...KAGGLE_FILES, 'client_identity.csv'].sort());
    for (const [file, bytes] of Object.entries(first)) {
      expect(bytes.equals(again[file]!), `${file} differs between two runs with seed 5`).toBe(true);
    }
    for (const file of [
      'application_train.csv',
      'bureau.csv',
      'installments_payments.csv',
      'client_identity.csv',
    ]) {
      expect(first[file]!.equals(other[file]!), `${file} is the same for seeds 5 and 6`).toBe(false);
    }
  });

  it('have exactly the schema columns, in order, on every row', () => {
    for (const table of tables) {
      for (const file of table.files) {
        const t = read(file.name);
        const expected = table.columns.map((c) => c.name).filter((c) => !file.withoutColumns.includes(c));
        expect(t.header, file.name).toEqual(expected);
        expect(t.rows.length, file.name).toBeGreaterThan(0);
        expect(
          t.rows.filter((row) => row.length !== expected.length),
          `${file.name}: rows of another width`,
        ).toEqual([]);
      }
    }
    expect(read('client_identity.csv').header).toEqual([
      'SK_ID_CURR',
      'FIRST_NAME',
      'LAST_NAME',
      'BRANCH',
      'PHONE',
    ]);
  });

  it('hold only schema levels in categorical columns and numbers in numeric ones, every column filled somewhere', () => {
    for (const table of tables) {
      for (const file of table.files) {
        const t = read(file.name);
        for (const column of table.columns.filter((c) => !file.withoutColumns.includes(c.name))) {
          const values = t.col(column.name).filter((v) => v !== '');
          if (column.name !== 'RATE_INTEREST_PRIMARY' && column.name !== 'RATE_INTEREST_PRIVILEGED') {
            expect(values.length, `${file.name} ${column.name} is always empty`).toBeGreaterThan(0);
          }
          if (column.type === 'category') {
            const unknown = values.filter((v) => !column.levels!.includes(v));
            expect(unknown, `${file.name} ${column.name}`).toEqual([]);
          } else {
            const bad = values.filter((v) => !Number.isFinite(Number(v)));
            expect(bad, `${file.name} ${column.name}`).toEqual([]);
            if (column.type === 'integer' && column.notNull) expect(values.length).toBe(t.rows.length);
          }
        }
      }
    }
  });

  it('write numbers the way the real files do: floats with a decimal point, integers without', () => {
    const kind = (v: string) => (/^-?\d+$/.test(v) ? 'int' : 'float');
    for (const file of ['application_train.csv', 'previous_application.csv']) {
      // These two sample files are straight Kaggle rows (the history samples were re-saved without ".0").
      const sample = readTable(SAMPLE_DIR, file);
      const ours = read(file);
      for (const column of sample.header) {
        const sampleKinds = new Set(
          sample
            .col(column)
            .filter((v) => /^-?[\d.e+-]+$/.test(v))
            .map(kind),
        );
        if (sampleKinds.size === 0) continue;
        const oursKinds = new Set(
          ours
            .col(column)
            .filter((v) => v !== '')
            .map(kind),
        );
        const expected = sampleKinds.has('float') ? 'float' : 'int';
        expect([...oursKinds], `${file} ${column}`).toEqual([expected]);
      }
    }
    const installments = read('installments_payments.csv');
    expect(installments.col('DAYS_INSTALMENT').every((v) => v.endsWith('.0'))).toBe(true);
    expect(installments.col('NUM_INSTALMENT_NUMBER').every((v) => /^\d+$/.test(v))).toBe(true);
    expect(
      read('bureau_balance.csv')
        .col('MONTHS_BALANCE')
        .every((v) => /^-?\d+$/.test(v)),
    ).toBe(true);
  }, 30_000);

  it('number clients from 100002 like Kaggle, about 85 % labelled, and keep every history row attached', () => {
    const train = read('application_train.csv');
    const test = read('application_test.csv');
    const ids = [...train.num('SK_ID_CURR'), ...test.num('SK_ID_CURR')].sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: CLIENTS }, (_, i) => 100002 + i));
    expect(train.rows.length / CLIENTS).toBeGreaterThan(0.82);
    expect(train.rows.length / CLIENTS).toBeLessThan(0.88);
    expect(summary.trainClients).toBe(train.rows.length);
    expect(summary.testClients).toBe(test.rows.length);
    expect(new Set(train.col('TARGET'))).toEqual(new Set(['0', '1']));

    const clients = new Set(ids);
    const bureau = read('bureau.csv');
    const bureauIds = bureau.num('SK_ID_BUREAU');
    expect(new Set(bureauIds).size).toBe(bureauIds.length);
    expect(bureau.num('SK_ID_CURR').every((id) => clients.has(id))).toBe(true);
    const knownBureau = new Set(bureauIds);
    expect(
      read('bureau_balance.csv')
        .num('SK_ID_BUREAU')
        .every((id) => knownBureau.has(id)),
    ).toBe(true);

    const previous = read('previous_application.csv');
    const prevIds = previous.num('SK_ID_PREV');
    expect(new Set(prevIds).size).toBe(prevIds.length);
    const approved = new Map<number, { client: number; type: string }>();
    const [status, prevClient, type] = [
      previous.col('NAME_CONTRACT_STATUS'),
      previous.num('SK_ID_CURR'),
      previous.col('NAME_CONTRACT_TYPE'),
    ];
    prevIds.forEach((id, i) => {
      if (status[i] === 'Approved') approved.set(id, { client: prevClient[i]!, type: type[i]! });
    });
    const attached = (file: string, revolving: boolean | null) => {
      const t = read(file);
      const prev = t.num('SK_ID_PREV');
      const curr = t.num('SK_ID_CURR');
      const stray = prev.filter((id, i) => {
        const loan = approved.get(id);
        return (
          loan === undefined ||
          loan.client !== curr[i] ||
          (revolving !== null && (loan.type === 'Revolving loans') !== revolving)
        );
      });
      expect(stray, `${file}: rows not attached to an approved application of their client`).toEqual([]);
    };
    attached('POS_CASH_balance.csv', false);
    attached('credit_card_balance.csv', true);
    attached('installments_payments.csv', null);
    for (const file of summary.files) expect(read(file.name).rows.length, file.name).toBe(file.rows);
  });

  it('write a French-looking identity for every client, with unique phone numbers', () => {
    const identity = read('client_identity.csv');
    expect(identity.num('SK_ID_CURR')).toEqual(Array.from({ length: CLIENTS }, (_, i) => 100002 + i));
    const phones = identity.col('PHONE');
    expect(phones.every((p) => /^0[67]( \d\d){4}$/.test(p))).toBe(true);
    expect(new Set(phones).size).toBe(CLIENTS);
    for (const column of ['FIRST_NAME', 'LAST_NAME', 'BRANCH']) {
      expect(
        identity.col(column).every((v) => /^\p{Lu}[\p{L}' -]+$/u.test(v)),
        column,
      ).toBe(true);
    }
    expect(new Set(identity.col('LAST_NAME')).size).toBeGreaterThan(100);
    expect(share(identity.col('BRANCH'), (b) => b === 'Paris')).toBeGreaterThan(0.1);
  });

  it('leave nothing but the nine files in the output folder', () => {
    expect(readdirSync(dir).sort()).toEqual([...KAGGLE_FILES, 'client_identity.csv'].sort());
    expect(existsSync(SAMPLE_DIR), `the real sample is expected at ${SAMPLE_DIR}`).toBe(true);
  });
});
