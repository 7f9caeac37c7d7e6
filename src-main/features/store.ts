import type { ClientBase } from '../data/clientBase.ts';
import { createHash } from 'node:crypto';
import { quoteIdent } from '../data/schema.ts';
import { blocks, featureNames } from './recipe.ts';
import { applicationSql, historySql } from './sql.ts';

/**
 * The stored features: `client_features` holds, per client, one Float64Array per block (NaN = missing), in the
 * order of the feature set recorded in `feature_set`. Loading the training matrix is then a few copies per client
 * (docs/features.md, "Storage").
 */

/** Changes whenever a feature name, its order or its SQL changes: stored vectors of another fingerprint are stale. */
export const featureFingerprint: string = createHash('sha256')
  .update(JSON.stringify(featureNames))
  .update(
    blocks
      .map((b, i) => (i === 0 ? applicationSql({ kind: 'all' }) : historySql(b, { kind: 'all' })))
      .join('\n'),
  )
  .digest('hex');

/** How far a source table had been read: its largest rowid and its row count. */
export interface SourceMark {
  maxRowid: number;
  rows: number;
}

export interface FeatureSetState {
  fingerprint: string;
  names: string[];
  computedAt: string;
  sources: Record<string, SourceMark>;
}

export function readFeatureSet(db: ClientBase): FeatureSetState | undefined {
  const row = db.prepare('SELECT * FROM feature_set WHERE id = 1').get() as
    { fingerprint: string; names_json: string; computed_at: string; sources_json: string } | undefined;
  if (!row) return undefined;
  return {
    fingerprint: row.fingerprint,
    names: JSON.parse(row.names_json) as string[],
    computedAt: row.computed_at,
    sources: JSON.parse(row.sources_json) as Record<string, SourceMark>,
  };
}

export function writeFeatureSet(db: ClientBase, sources: Record<string, SourceMark>): void {
  db.prepare(
    `INSERT OR REPLACE INTO feature_set (id, fingerprint, names_json, computed_at, sources_json)
     VALUES (1, ?, ?, ?, ?)`,
  ).run(featureFingerprint, JSON.stringify(featureNames), new Date().toISOString(), JSON.stringify(sources));
}

export class StaleFeaturesError extends Error {
  override name = 'StaleFeaturesError';
}

/** Throws unless the stored vectors follow this version's feature definitions. */
export function assertCurrentFeatures(db: ClientBase): void {
  const state = readFeatureSet(db);
  if (!state)
    throw new StaleFeaturesError('no features computed in this client base: run `scoring-desk features`');
  if (state.fingerprint !== featureFingerprint)
    throw new StaleFeaturesError(
      'the stored features follow other feature definitions: run `scoring-desk features` again',
    );
}

export function vectorBlob(vector: Float64Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** The `client_features` columns holding the block vectors, in vector order. */
export const blockColumns: string = blocks.map((b) => quoteIdent(b.name)).join(', ');

/**
 * Copies one client's stored block vectors (`blobs`, in block order) into `target` at `offset`; a NULL block
 * (no row in that table) becomes NaN.
 */
export function readStoredBlocks(blobs: (Buffer | null)[], target: Float64Array, offset: number): void {
  blocks.forEach((block, i) => {
    const blob = blobs[i];
    const at = offset + block.start;
    const width = block.end - block.start;
    if (blob === null || blob === undefined) {
      target.fill(NaN, at, at + width);
      return;
    }
    if (blob.byteLength !== width * 8)
      throw new StaleFeaturesError(
        `a stored ${block.name} vector has ${blob.byteLength / 8} values, not ${width}`,
      );
    new Uint8Array(target.buffer, target.byteOffset + at * 8, blob.byteLength).set(blob);
  });
}

/** The stored vector of one client, or undefined when none is stored. */
export function storedClientFeatures(db: ClientBase, clientId: number): Float64Array | undefined {
  assertCurrentFeatures(db);
  const blobs = db
    .prepare(`SELECT ${blockColumns} FROM client_features WHERE SK_ID_CURR = ?`)
    .raw(true)
    .get(clientId) as (Buffer | null)[] | undefined;
  if (!blobs) return undefined;
  const vector = new Float64Array(featureNames.length);
  readStoredBlocks(blobs, vector, 0);
  return vector;
}

export interface FeatureMatrix {
  ids: Float64Array;
  /** NaN for an application without TARGET (application_test). */
  target: Float64Array;
  /** Row-major, `ids.length` rows of `names.length` values. */
  values: Float64Array;
  names: readonly string[];
}

/** Every stored vector, by increasing SK_ID_CURR: the training (and scoring) matrix. */
export function loadFeatureMatrix(db: ClientBase): FeatureMatrix {
  return db.transaction(() => {
    assertCurrentFeatures(db);
    const count = db.prepare('SELECT COUNT(*) FROM client_features').pluck().get() as number;
    const width = featureNames.length;
    const matrix: FeatureMatrix = {
      ids: new Float64Array(count),
      target: new Float64Array(count),
      values: new Float64Array(count * width),
      names: featureNames,
    };
    const select = db
      .prepare(`SELECT SK_ID_CURR, TARGET, ${blockColumns} FROM client_features ORDER BY SK_ID_CURR`)
      .raw(true);
    let row = 0;
    for (const [id, target, ...blobs] of select.iterate() as Iterable<
      [number, number | null, ...(Buffer | null)[]]
    >) {
      matrix.ids[row] = id;
      matrix.target[row] = target ?? NaN;
      readStoredBlocks(blobs, matrix.values, row * width);
      row++;
    }
    return matrix;
  })();
}
