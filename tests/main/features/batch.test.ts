import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openClientBase, type ClientBase } from '../../../src-main/data/clientBase.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';
import { clientFeatures } from '../../../src-main/features/client.ts';
import { featureNames } from '../../../src-main/features/recipe.ts';
import { loadFeatureMatrix, storedClientFeatures } from '../../../src-main/features/store.ts';
import { application, differences, insert, sampleBase } from './helpers.ts';

let sample: string;
const open: ClientBase[] = [];

beforeAll(async () => {
  sample = await sampleBase();
  const db = openClientBase(sample);
  await computeFeatures(db);
  db.close();
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

/** A copy of the sample base whose features are current. */
function copyOfSample(): ClientBase {
  const path = join(mkdtempSync(join(tmpdir(), 'scoring-desk-batch-')), 'base.sqlite');
  copyFileSync(sample, path);
  const db = openClientBase(path);
  open.push(db);
  return db;
}

/** Every stored vector equals the features computed now: what a full run would store. */
function expectStoredIsCurrent(db: ClientBase): void {
  const matrix = loadFeatureMatrix(db);
  const width = featureNames.length;
  for (let row = 0; row < matrix.ids.length; row++) {
    const now = clientFeatures(db, matrix.ids[row]!);
    const stored = matrix.values.subarray(row * width, (row + 1) * width);
    expect(differences(stored, now, featureNames), `client ${matrix.ids[row]}`).toEqual([]);
  }
}

const firstClients = (db: ClientBase, n: number) =>
  db.prepare('SELECT SK_ID_CURR FROM application ORDER BY SK_ID_CURR LIMIT ?').pluck().all(n) as number[];

describe('the batch', () => {
  it('stores one vector per application, with its TARGET, and leaves no scratch file behind', async () => {
    const db = copyOfSample();
    const summary = await computeFeatures(db, { full: true, workers: 2 });
    expect(summary.mode).toBe('full');
    expect(summary.written).toBe(1000);
    expect(summary.stored).toBe(1000);
    expect(summary.blocks.map((b) => b.name)).toEqual([
      'application',
      'bureau',
      'previous',
      'pos',
      'installments',
      'creditCard',
    ]);
    const matrix = loadFeatureMatrix(db);
    expect(matrix.values).toHaveLength(1000 * 795);
    expect(matrix.target.filter((t) => t === 1)).toHaveLength(70);
    expect(readdirSync(dirname(db.name)).filter((f) => f.includes('.features-'))).toEqual([]);
  });

  it('gives the same vectors with one worker as with two', async () => {
    const one = copyOfSample();
    await computeFeatures(one, { full: true, workers: 1 });
    const two = copyOfSample();
    await computeFeatures(two, { full: true, workers: 2 });
    expect(differences(loadFeatureMatrix(one).values, loadFeatureMatrix(two).values, featureNames)).toEqual(
      [],
    );
  });

  it('does nothing when no data was added since the last run', async () => {
    const summary = await computeFeatures(copyOfSample());
    expect(summary).toMatchObject({ mode: 'current', written: 0, stored: 1000, blocks: [] });
  });
});

describe('incremental runs', () => {
  it('recompute only the clients whose data was added, through any table', async () => {
    const db = copyOfSample();
    const [a, b, c, d, e] = firstClients(db, 5) as [number, number, number, number, number];
    const bureauOfB = db
      .prepare('SELECT SK_ID_BUREAU FROM bureau WHERE SK_ID_CURR = ? LIMIT 1')
      .pluck()
      .get(b) as number | undefined;
    const bureauB = bureauOfB ?? 9_000_001;
    if (bureauOfB === undefined) insert(db, 'bureau', { SK_ID_CURR: b, SK_ID_BUREAU: bureauB });
    const maxBureau = db.prepare('SELECT MAX(SK_ID_BUREAU) FROM bureau').pluck().get() as number;
    const before = storedClientFeatures(db, e)!;
    await computeFeatures(db);

    insert(db, 'installments_payments', {
      SK_ID_PREV: 1,
      SK_ID_CURR: a,
      DAYS_INSTALMENT: -10,
      AMT_INSTALMENT: 5,
    });
    insert(db, 'bureau_balance', { SK_ID_BUREAU: bureauB, MONTHS_BALANCE: -99, STATUS: '5' });
    insert(db, 'bureau', {
      SK_ID_CURR: c,
      SK_ID_BUREAU: maxBureau + 10,
      CREDIT_ACTIVE: 'Active',
      DAYS_CREDIT: -3,
    });
    insert(db, 'credit_card_balance', { SK_ID_PREV: 2, SK_ID_CURR: d, MONTHS_BALANCE: -1, AMT_BALANCE: 7 });
    // a new client whose number falls between existing ones
    const gap = db
      .prepare(
        'SELECT MIN(SK_ID_CURR) + 1 FROM application AS a WHERE NOT EXISTS (SELECT 1 FROM application AS b WHERE b.SK_ID_CURR = a.SK_ID_CURR + 1)',
      )
      .pluck()
      .get() as number;
    expect(gap).toBeLessThan(101_156);
    insert(db, 'application', application(gap));
    const summary = await computeFeatures(db);
    expect(summary.mode).toBe('incremental');
    expect(summary.reason).toBe('5 clients with added data');
    expect(summary.written).toBe(5);
    expect(summary.stored).toBe(1001);
    expect(differences(storedClientFeatures(db, e)!, before, featureNames)).toEqual([]);
    expectStoredIsCurrent(db);
  });

  it('recompute everything when a row was deleted or a key inserted below the last one', async () => {
    const deleted = copyOfSample();
    deleted.exec('DELETE FROM POS_CASH_balance WHERE rowid = 5');
    expect(await computeFeatures(deleted)).toMatchObject({
      mode: 'full',
      reason: 'rows of POS_CASH_balance changed other than by additions',
      written: 1000,
    });
    expectStoredIsCurrent(deleted);

    const below = copyOfSample();
    const [client] = firstClients(below, 1);
    insert(below, 'bureau', { SK_ID_CURR: client!, SK_ID_BUREAU: 1, DAYS_CREDIT: -1 });
    expect(await computeFeatures(below)).toMatchObject({ mode: 'full', written: 1000 });
    expectStoredIsCurrent(below);
  });

  it('recompute everything when the stored vectors follow other definitions', async () => {
    const db = copyOfSample();
    db.exec("UPDATE feature_set SET fingerprint = 'an older recipe'");
    expect(() => loadFeatureMatrix(db)).toThrow(
      /other feature definitions: run `scoring-desk features` again/,
    );
    expect(await computeFeatures(db)).toMatchObject({
      mode: 'full',
      reason: 'the stored features follow other definitions',
    });
  });

  it('do not count an excluded XNA application as new, and drop the vector of a removed client', async () => {
    const db = copyOfSample();
    insert(db, 'application', application(99, { CODE_GENDER: 'XNA' }));
    expect(await computeFeatures(db)).toMatchObject({ mode: 'current', stored: 1000 });
    const [gone] = firstClients(db, 2).slice(1);
    db.prepare('DELETE FROM application WHERE SK_ID_CURR = ?').run(gone);
    expect(await computeFeatures(db)).toMatchObject({ mode: 'current', stored: 999 });
    expect(storedClientFeatures(db, gone!)).toBeUndefined();
  });

  it('refuse an in-memory base and a base that does not exist', async () => {
    const { default: Database } = await import('better-sqlite3');
    await expect(computeFeatures(new Database(':memory:'))).rejects.toThrow(/client base file/);
    expect(existsSync('/nonexistent/base.sqlite')).toBe(false);
    expect(() => openClientBase('/nonexistent/base.sqlite')).toThrow(/client base not found/);
  });
});
