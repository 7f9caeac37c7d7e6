import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClientBase, type ClientBase } from '../../../src-main/data/clientBase.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';
import {
  EDITABLE_FIELDS,
  FeatureError,
  clientFeatures,
  editedApplicationFeatures,
} from '../../../src-main/features/client.ts';
import { applicationBlock, featureIndex, featureNames } from '../../../src-main/features/recipe.ts';
import { loadFeatureMatrix, storedClientFeatures } from '../../../src-main/features/store.ts';
import { demoBase, differences, sampleBase } from './helpers.ts';

function sameBits(a: Float64Array, b: Float64Array): string[] {
  return differences(a, b, featureNames);
}

const bases: { name: string; db: ClientBase }[] = [];

beforeAll(async () => {
  for (const [name, path] of [
    ['the real Kaggle sample', await sampleBase()],
    ['a demo base of 400 clients', await demoBase(400)],
  ] as const) {
    const db = openClientBase(path);
    await computeFeatures(db);
    bases.push({ name, db });
  }
});

afterAll(() => {
  for (const { db } of bases) db.close();
});

describe('one client on demand', () => {
  it('equals the batch exactly, for every feature of every client', () => {
    for (const { name, db } of bases) {
      const matrix = loadFeatureMatrix(db);
      expect(matrix.ids.length, name).toBeGreaterThan(300);
      let nonMissing = 0;
      for (let row = 0; row < matrix.ids.length; row++) {
        const width = featureNames.length;
        const batch = matrix.values.subarray(row * width, (row + 1) * width);
        const single = clientFeatures(db, matrix.ids[row]!);
        expect(sameBits(batch, single), `${name}, client ${matrix.ids[row]}`).toEqual([]);
        nonMissing += single.filter((v) => !Number.isNaN(v)).length;
      }
      // Not a comparison of empty vectors: most blocks are filled.
      expect(nonMissing / (matrix.ids.length * featureNames.length), name).toBeGreaterThan(0.3);
    }
  });

  it('refuses an unknown client and a malformed client number', () => {
    const { db } = bases[0]!;
    expect(() => clientFeatures(db, 999)).toThrow(/no client 999 in the client base/);
    expect(() => clientFeatures(db, 1.5)).toThrow(FeatureError);
    expect(() => clientFeatures(db, -3)).toThrow(/positive integer/);
    expect(() => clientFeatures(db, Number.NaN)).toThrow(/positive integer/);
  });
});

describe('edited application (what-if)', () => {
  const changedBy: Record<string, string[]> = {
    AMT_CREDIT: ['AMT_CREDIT', 'INCOME_CREDIT_PERC', 'PAYMENT_RATE'],
    AMT_ANNUITY: ['AMT_ANNUITY', 'ANNUITY_INCOME_PERC', 'PAYMENT_RATE'],
    AMT_GOODS_PRICE: ['AMT_GOODS_PRICE'],
  };

  it('without edits, gives the stored application block', () => {
    for (const { db } of bases) {
      for (const id of loadFeatureMatrix(db).ids.slice(0, 50)) {
        const stored = storedClientFeatures(db, id)!.subarray(applicationBlock.start, applicationBlock.end);
        expect(sameBits(editedApplicationFeatures(db, id, {}), stored)).toEqual([]);
      }
    }
  });

  it('changes the edited amount and the ratios built on it, and nothing else', () => {
    const { db } = bases[1]!;
    const id = loadFeatureMatrix(db).ids[7]!;
    const before = clientFeatures(db, id).subarray(applicationBlock.start, applicationBlock.end);
    for (const field of EDITABLE_FIELDS) {
      const edited = editedApplicationFeatures(db, id, { [field]: 123456.5 });
      const changed = featureNames.slice(0, edited.length).filter((_, k) => !Object.is(edited[k], before[k]));
      expect(changed.sort(), field).toEqual([...changedBy[field]!].sort());
      expect(edited[featureIndex(field)]).toBe(123456.5);
    }
    const both = editedApplicationFeatures(db, id, { AMT_CREDIT: 300000, AMT_ANNUITY: 15000 });
    expect(both[featureIndex('PAYMENT_RATE')]).toBe(0.05);
    expect(both[featureIndex('INCOME_CREDIT_PERC')]).toBe(before[featureIndex('AMT_INCOME_TOTAL')]! / 300000);
  });

  it('leaves the stored client untouched', () => {
    const { db } = bases[1]!;
    const id = loadFeatureMatrix(db).ids[3]!;
    const stored = db.prepare('SELECT * FROM application WHERE SK_ID_CURR = ?').get(id);
    editedApplicationFeatures(db, id, { AMT_CREDIT: 1, AMT_ANNUITY: 1, AMT_GOODS_PRICE: 1 });
    expect(db.prepare('SELECT * FROM application WHERE SK_ID_CURR = ?').get(id)).toEqual(stored);
  });

  it('refuses an unknown field, a non-positive or non-finite amount, an unknown client', () => {
    const { db } = bases[1]!;
    const id = loadFeatureMatrix(db).ids[0]!;
    expect(() => editedApplicationFeatures(db, id, { AMT_INCOME_TOTAL: 1 } as never)).toThrow(
      /AMT_INCOME_TOTAL cannot be edited; editable fields: AMT_CREDIT, AMT_ANNUITY, AMT_GOODS_PRICE/,
    );
    expect(() => editedApplicationFeatures(db, id, { AMT_CREDIT: 0 })).toThrow(
      /AMT_CREDIT must be a positive amount/,
    );
    expect(() => editedApplicationFeatures(db, id, { AMT_ANNUITY: Infinity })).toThrow(FeatureError);
    expect(() => editedApplicationFeatures(db, id, { AMT_ANNUITY: '5' as never })).toThrow(FeatureError);
    expect(() => editedApplicationFeatures(db, 1, { AMT_CREDIT: 5 })).toThrow(
      /no client 1 in the client base/,
    );
  });
});
