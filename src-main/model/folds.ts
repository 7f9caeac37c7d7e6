import { Prng } from './prng.ts';

/**
 * Stratified K-fold assignment: each class is shuffled apart and dealt round-robin, so every fold holds the same
 * share of positives (to one row) and the fold sizes differ by at most one. Returns the fold of each row.
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed: number): Uint8Array {
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= 255)) {
    throw new Error(`folds must be an integer in [2, 255], got ${folds}`);
  }
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? positives : negatives).push(i);
  if (positives.length < folds || negatives.length < folds) {
    throw new Error(
      `${folds} stratified folds need at least ${folds} rows of each class (${positives.length} positive, ${negatives.length} negative)`,
    );
  }
  const prng = new Prng(seed);
  const foldOf = new Uint8Array(labels.length);
  let next = 0;
  for (const group of [positives, negatives]) {
    const shuffled = prng.shuffle(Int32Array.from(group));
    for (const row of shuffled) {
      foldOf[row] = next;
      next = (next + 1) % folds;
    }
  }
  return foldOf;
}

/** Rows of fold `k` (validation) and of the other folds (training), ascending. */
export function foldRows(foldOf: Uint8Array, k: number): { train: Int32Array; valid: Int32Array } {
  const train: number[] = [];
  const valid: number[] = [];
  for (let i = 0; i < foldOf.length; i++) (foldOf[i] === k ? valid : train).push(i);
  return { train: Int32Array.from(train), valid: Int32Array.from(valid) };
}
