import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitStandardiser,
  nearestRows,
  standardisedMatrix,
} from '../../../src-main/services/nearestNeighbours.ts';

/** Brute force: every distance, sorted (ties by row), the first k. */
function bruteForce(
  matrix: Float32Array,
  width: number,
  query: Float32Array,
  k: number,
  exclude: number,
): number[] {
  const rows = matrix.length / width;
  const distances = Array.from({ length: rows }, (_, r) => {
    let d = 0;
    for (let f = 0; f < width; f++) d += (matrix[r * width + f]! - query[f]!) ** 2;
    return { r, d: Math.fround(d) };
  }).filter((x) => x.r !== exclude);
  return distances
    .sort((a, b) => a.d - b.d || a.r - b.r)
    .slice(0, k)
    .map((x) => x.r);
}

describe('exact k nearest neighbours', () => {
  it('equals the brute-force ranking, the excluded row left out', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 1000 }),
        (width, rows, k, seed) => {
          // Small integers, so that ties happen and the tie rule is exercised.
          const values = Float32Array.from({ length: rows * width }, (_, i) => ((i * 7919 + seed) % 5) - 2);
          const query = Float32Array.from({ length: width }, (_, f) => ((f * 31 + seed) % 5) - 2);
          const exclude = seed % (rows + 1) === rows ? -1 : seed % rows;
          const { rows: found, distances } = nearestRows(values, width, query, k, exclude);
          expect(Array.from(found)).toEqual(bruteForce(values, width, query, k, exclude));
          expect(Array.from(distances)).toEqual([...distances].sort((a, b) => a - b));
        },
      ),
    );
  });

  it('standardises to mean 0 and deviation 1, missing values at 0, log for amounts', () => {
    const amounts = [100, 1000, 10000, Number.NaN];
    const s = fitStandardiser([amounts], ['log']);
    const z = standardisedMatrix([amounts], 4, s);
    expect(z[3]).toBe(0);
    expect(z[0]! + z[1]! + z[2]!).toBeCloseTo(0, 5);
    // log1p, not log: the middle of 100, 1000, 10000 is close to, not exactly at, the mean.
    expect(z[1]).toBeCloseTo(0, 2);
    const constant = fitStandardiser([[3, 3, 3]], ['none']);
    expect(Array.from(standardisedMatrix([[3, 3, 3]], 3, constant))).toEqual([0, 0, 0]);
  });
});
