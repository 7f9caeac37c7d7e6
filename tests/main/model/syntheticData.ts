import type { FeatureMatrix } from '../../../src-main/model/featureMatrix.ts';
import { Prng } from '../../../src-main/model/prng.ts';

/**
 * A small binary problem for tests: a few informative features (one with a nonlinear effect, one with missing
 * values that carry signal), some noise features with ties, and labels drawn from a known logistic model.
 */
export function syntheticProblem(
  rows: number,
  seed = 1,
  noiseFeatures = 3,
): { matrix: FeatureMatrix; labels: Uint8Array; trueProbabilities: Float64Array } {
  const prng = new Prng(seed);
  const gauss = () =>
    Math.sqrt(-2 * Math.log(1 - prng.nextFloat())) * Math.cos(2 * Math.PI * prng.nextFloat());
  const cols = 3 + noiseFeatures;
  const values = new Float64Array(rows * cols);
  const trueProbabilities = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = gauss();
    const b = gauss();
    const c = prng.nextFloat() < 0.3 ? NaN : gauss();
    values[r] = a;
    values[rows + r] = Math.round(b * 4) / 4;
    values[2 * rows + r] = c;
    for (let f = 3; f < cols; f++) values[f * rows + r] = prng.nextInt(20);
    const margin = -3 + 1.2 * a + 0.8 * Math.abs(b) + (c !== c ? 0.7 : 0.4 * c);
    trueProbabilities[r] = 1 / (1 + Math.exp(-margin));
    labels[r] = prng.nextFloat() < trueProbabilities[r]! ? 1 : 0;
  }
  const featureNames = [
    'a',
    'b_abs',
    'c_missing',
    ...Array.from({ length: noiseFeatures }, (_, i) => `noise${i}`),
  ];
  return { matrix: { rows, featureNames, values }, labels, trueProbabilities };
}
