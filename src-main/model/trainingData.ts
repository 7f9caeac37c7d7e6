import type { ClientBase } from '../data/clientBase.ts';
import { quoteIdent } from '../data/schema.ts';
import { modelInputIndices, modelInputs } from '../features/catalogue.ts';
import { featureNames, recipe } from '../features/recipe.ts';
import {
  assertCurrentFeatures,
  blockColumns,
  readFeatureSet,
  readStoredBlocks,
  StaleFeaturesError,
} from '../features/store.ts';
import type { FeatureMatrix } from './featureMatrix.ts';

/**
 * The model's view of a client base: the stored feature vectors (client_features) reduced to the model inputs
 * (protected attributes left out, catalogue order), read one client at a time so that memory holds only the
 * float32 matrix being built.
 */

/** Features missing, computed with other definitions, or behind the base's clients. */
export class MissingFeaturesError extends Error {
  override name = 'MissingFeaturesError';
}

const { excludeRows } = recipe.application;

/**
 * Throws MissingFeaturesError, telling to run `scoring-desk features --db <file>`, unless every client the recipe
 * keeps has a stored vector that follows the current feature definitions.
 */
export function checkStoredFeatures(db: ClientBase, file: string): void {
  const rerun = `run \`scoring-desk features --db ${file}\` first`;
  try {
    assertCurrentFeatures(db);
  } catch (error) {
    if (!(error instanceof StaleFeaturesError)) throw error;
    const why = readFeatureSet(db)
      ? 'its stored features follow other feature definitions than this version’s'
      : 'it has no computed features';
    throw new MissingFeaturesError(`client base ${file}: ${why}; ${rerun}`);
  }
  const without = db
    .prepare(
      `SELECT COUNT(*) FROM application AS a
       WHERE a.${quoteIdent(excludeRows.column)} IS NOT ?
         AND NOT EXISTS (SELECT 1 FROM client_features AS f WHERE f.SK_ID_CURR = a.SK_ID_CURR)`,
    )
    .pluck()
    .get(excludeRows.level) as number;
  if (without > 0) {
    throw new MissingFeaturesError(
      `client base ${file}: ${without} clients were added since the features were computed; ${rerun}`,
    );
  }
}

export interface LabelledMatrix {
  /** Column-major model inputs of the labelled clients, by increasing SK_ID_CURR. */
  matrix: FeatureMatrix;
  labels: Uint8Array;
  ids: Float64Array;
}

type StoredRow = [number, number | null, ...(Buffer | null)[]];

/** The model inputs and TARGET of every client whose TARGET is known (check the features first). */
export function loadLabelledMatrix(db: ClientBase): LabelledMatrix {
  return db.transaction(() => {
    const rows = db
      .prepare('SELECT COUNT(*) FROM client_features WHERE TARGET IS NOT NULL')
      .pluck()
      .get() as number;
    const width = modelInputIndices.length;
    const values = new Float32Array(rows * width);
    const labels = new Uint8Array(rows);
    const ids = new Float64Array(rows);
    const vector = new Float64Array(featureNames.length);
    const select = db
      .prepare(
        `SELECT SK_ID_CURR, TARGET, ${blockColumns} FROM client_features
         WHERE TARGET IS NOT NULL ORDER BY SK_ID_CURR`,
      )
      .raw(true);
    let r = 0;
    for (const [id, target, ...blobs] of select.iterate() as Iterable<StoredRow>) {
      if (target !== 0 && target !== 1) throw new Error(`client ${id} has TARGET ${target}, expected 0 or 1`);
      readStoredBlocks(blobs, vector, 0);
      for (let k = 0; k < width; k++) values[k * rows + r] = vector[modelInputIndices[k]!]!;
      labels[r] = target;
      ids[r] = id;
      r++;
    }
    return { matrix: { rows, featureNames: modelInputs, values }, labels, ids };
  })();
}

export interface ModelInputBatch {
  ids: Float64Array;
  /** Row-major model inputs (the layout onnxruntime takes), NaN = missing. */
  values: Float32Array;
}

/**
 * The model inputs of up to `limit` clients with SK_ID_CURR > `afterId`, in SK_ID_CURR order: batches by key, so
 * that the caller can write between reads on the same connection.
 */
export function readModelInputBatch(db: ClientBase, afterId: number, limit: number): ModelInputBatch {
  const stored = db
    .prepare(
      `SELECT SK_ID_CURR, ${blockColumns} FROM client_features
       WHERE SK_ID_CURR > ? ORDER BY SK_ID_CURR LIMIT ?`,
    )
    .raw(true)
    .all(afterId, limit) as [number, ...(Buffer | null)[]][];
  const width = modelInputIndices.length;
  const values = new Float32Array(stored.length * width);
  const vector = new Float64Array(featureNames.length);
  stored.forEach(([, ...blobs], r) => {
    readStoredBlocks(blobs, vector, 0);
    selectModelInputs(vector, values, r * width);
  });
  return { ids: Float64Array.from(stored, (row) => row[0]), values };
}

/** The model inputs of a full feature vector (catalogue order, NaN = missing), written into `out` at `at`. */
export function selectModelInputs(vector: Float64Array, out: Float32Array, at = 0): void {
  if (vector.length !== featureNames.length) {
    throw new Error(`a feature vector has ${featureNames.length} values, not ${vector.length}`);
  }
  for (let k = 0; k < modelInputIndices.length; k++) out[at + k] = vector[modelInputIndices[k]!]!;
}

/** Attributes the fairness report groups clients by; they are not model inputs. */
export interface FairnessAttributes {
  /** CODE_GENDER, null when not recorded. */
  gender: (string | null)[];
  /** DAYS_BIRTH (negative: days before the application), null when not recorded. */
  daysBirth: (number | null)[];
}

/** CODE_GENDER and DAYS_BIRTH of the given clients, read from the application table. */
export function readFairnessAttributes(db: ClientBase, ids: ArrayLike<number>): FairnessAttributes {
  const select = db.prepare('SELECT CODE_GENDER, DAYS_BIRTH FROM application WHERE SK_ID_CURR = ?');
  const gender: (string | null)[] = [];
  const daysBirth: (number | null)[] = [];
  for (let i = 0; i < ids.length; i++) {
    const row = select.get(ids[i]) as { CODE_GENDER: string | null; DAYS_BIRTH: number | null } | undefined;
    if (!row) throw new Error(`client ${ids[i]} has stored features but no application row`);
    gender.push(row.CODE_GENDER);
    daysBirth.push(row.DAYS_BIRTH);
  }
  return { gender, daysBirth };
}
