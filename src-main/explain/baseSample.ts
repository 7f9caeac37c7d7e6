import type { ClientBase } from '../data/clientBase.ts';
import { featureNames } from '../features/recipe.ts';
import { assertCurrentFeatures, blockColumns, readStoredBlocks } from '../features/store.ts';
import { Prng } from '../model/prng.ts';
import { modelRow, type ModelFeatures } from './modelFeatures.ts';

/**
 * One pass over the labelled clients' stored vectors: the range of every model input over all of them (what the
 * model was trained on) and a fixed-seed random sample of them, in a random order, kept in memory whatever the
 * size of the base.
 */
export interface BaseSample {
  labelled: number;
  repaid: number;
  /** Smallest and largest value of each input over every labelled client (NaN when always missing). */
  min: Float64Array;
  max: Float64Array;
  rows: number;
  /** Row-major, the model's inputs in its order, NaN = missing. */
  values: Float64Array;
  target: Uint8Array;
  ids: Float64Array;
}

export class ReferenceDataError extends Error {
  override name = 'ReferenceDataError';
}

export function sampleLabelledBase(
  db: ClientBase,
  features: ModelFeatures,
  options: { size: number; seed: number },
): BaseSample {
  return db.transaction(() => {
    assertCurrentFeatures(db);
    const labelledIds = db
      .prepare('SELECT SK_ID_CURR FROM client_features WHERE TARGET IS NOT NULL ORDER BY SK_ID_CURR')
      .pluck()
      .all() as number[];
    if (labelledIds.length === 0) {
      throw new ReferenceDataError(
        'the client base has no labelled client with stored features (run `scoring-desk features`)',
      );
    }
    // Sample positions: the first `size` of a seeded shuffle, so the sample's order is random too.
    const order = new Prng(options.seed).shuffle(Int32Array.from(labelledIds, (_, i) => i));
    const rows = Math.min(options.size, labelledIds.length);
    const slotOf = new Int32Array(labelledIds.length).fill(-1);
    for (let slot = 0; slot < rows; slot++) slotOf[order[slot]!] = slot;

    const width = features.names.length;
    const sample: BaseSample = {
      labelled: labelledIds.length,
      repaid: 0,
      min: new Float64Array(width).fill(Infinity),
      max: new Float64Array(width).fill(-Infinity),
      rows,
      values: new Float64Array(rows * width),
      target: new Uint8Array(rows),
      ids: new Float64Array(rows),
    };
    const vector = new Float64Array(featureNames.length);
    const row = new Float64Array(width);
    const select = db
      .prepare(
        `SELECT SK_ID_CURR, TARGET, ${blockColumns} FROM client_features WHERE TARGET IS NOT NULL ORDER BY SK_ID_CURR`,
      )
      .raw(true);
    let position = 0;
    for (const [id, target, ...blobs] of select.iterate() as Iterable<
      [number, number, ...(Buffer | null)[]]
    >) {
      readStoredBlocks(blobs, vector, 0);
      modelRow(features, vector, row);
      for (let k = 0; k < width; k++) {
        const x = row[k]!;
        if (x < sample.min[k]!) sample.min[k] = x;
        if (x > sample.max[k]!) sample.max[k] = x;
      }
      if (target === 0) sample.repaid++;
      const slot = slotOf[position]!;
      if (slot >= 0) {
        sample.values.set(row, slot * width);
        sample.target[slot] = target;
        sample.ids[slot] = id;
      }
      position++;
    }
    for (let k = 0; k < width; k++) {
      if (sample.min[k] === Infinity) {
        sample.min[k] = NaN;
        sample.max[k] = NaN;
      }
    }
    return sample;
  })();
}
