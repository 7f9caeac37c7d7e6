import { createHash } from 'node:crypto';
import type { FeatureMatrix } from './featureMatrix.ts';

/**
 * SHA-256 of what a model was trained on: feature names, values (as float32, the precision the model sees) and
 * labels. Two trainings with the same fingerprint saw the same data.
 */
export function trainingFingerprint(matrix: FeatureMatrix, labels: ArrayLike<number>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ rows: matrix.rows, features: matrix.featureNames }));
  const chunkRows = 1 << 16;
  for (let start = 0; start < matrix.values.length; start += chunkRows) {
    const chunk = Float32Array.from(matrix.values.subarray(start, start + chunkRows));
    hash.update(new Uint8Array(chunk.buffer));
  }
  hash.update(Uint8Array.from(labels));
  return `sha256:${hash.digest('hex')}`;
}
