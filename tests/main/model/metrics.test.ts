import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brierScore,
  logLoss,
  maxCalibrationGap,
  reliabilityTable,
  rocAuc,
} from '../../../src-main/model/metrics.ts';

/** AUC by counting every (positive, negative) pair, ties as one half. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let pairs = 0;
  let right = 0;
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((t, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      right += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return right / pairs;
}

describe('rocAuc', () => {
  it('equals the brute-force pairwise count, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.boolean()), { minLength: 2, maxLength: 80 }),
        (rows) => {
          const scores = rows.map(([s]) => s / 4);
          const labels = rows.map(([, y]) => (y ? 1 : 0));
          fc.pre(labels.includes(0) && labels.includes(1));
          expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('gives 1, 0 and 0.5 on perfect, reversed and constant scores; NaN with one class', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 0])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('rejects NaN scores and mismatched lengths', () => {
    expect(() => rocAuc([0.1, NaN], [0, 1])).toThrow(/score 1 is NaN/);
    expect(() => rocAuc([0.1], [0, 1])).toThrow(/1 scores for 2 labels/);
  });
});

describe('log-loss and Brier score', () => {
  it('match hand computations', () => {
    // −(ln 0.8 + ln 0.6) / 2 and ((0.8 − 1)² + (0.4 − 0)²) / 2.
    expect(logLoss([0.8, 0.4], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(brierScore([0.8, 0.4], [1, 0])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });

  it('stays finite on certain but wrong predictions', () => {
    expect(logLoss([0, 1], [1, 0])).toBeCloseTo(-Math.log(1e-15), 2);
  });
});

describe('reliabilityTable', () => {
  it('cuts sorted predictions into equal groups with their mean and observed rate', () => {
    const p = [0.9, 0.1, 0.2, 0.8, 0.15, 0.85];
    const y = [1, 0, 0, 1, 1, 0];
    const table = reliabilityTable(p, y, 2);
    expect(table.map((b) => b.count)).toEqual([3, 3]);
    expect(table[0]!.meanPredicted).toBeCloseTo(0.15, 12);
    expect(table[0]!.observedRate).toBeCloseTo(1 / 3, 12);
    expect(table[1]).toMatchObject({ from: 0.8, to: 0.9 });
    expect(table[1]!.observedRate).toBeCloseTo(2 / 3, 12);
    expect(maxCalibrationGap(table)).toBeCloseTo(Math.abs(0.85 - 2 / 3), 12);
  });
});
