import { describe, expect, it } from 'vitest';
import { confusionAt, costCurve, costOptimalThreshold } from '../../../src-main/model/decisionCost.ts';

describe('cost-minimising threshold', () => {
  // Ten clients. Refusing when p ≥ t: at t ≤ 0.05 all are refused (FP = 7); at t in (0.05, 0.1] client p = 0.05
  // is granted (good, FP = 6); at (0.1, 0.2] the defaulter at 0.1 is granted too (FN = 1, FP = 6: cost 16) ...
  const p = [0.05, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9];
  const y = [0, 1, 0, 0, 0, 1, 0, 1, 0, 1];

  it('counts errors on the grid as a hand computation does', () => {
    const curve = costCurve(p, y, { falseNegative: 10, falsePositive: 1 }, 20);
    const at = (t: number) => curve.find((c) => Math.abs(c.threshold - t) < 1e-12)!;
    expect(at(0)).toMatchObject({ falseNegative: 0, falsePositive: 6, cost: 6 });
    expect(at(0.1)).toMatchObject({ falseNegative: 0, falsePositive: 5, cost: 5 });
    expect(at(0.15)).toMatchObject({ falseNegative: 1, falsePositive: 5, cost: 15 });
    expect(at(0.25)).toMatchObject({ falseNegative: 1, falsePositive: 3, cost: 13 });
    expect(at(1)).toMatchObject({ falseNegative: 4, falsePositive: 0, cost: 40 });
  });

  it('picks the lowest-cost threshold and gives its confusion matrix', () => {
    const best = costOptimalThreshold(p, y, { falseNegative: 10, falsePositive: 1 }, 20);
    // Lowest cost 5: every threshold in (0.05, 0.1]; on the 0.05 grid that is 0.1 (refuses p ≥ 0.1).
    expect(best.threshold).toBeCloseTo(0.1, 12);
    expect(best.cost).toBe(5);
    expect(best.costPerClient).toBe(0.5);
    expect(best.confusion).toEqual({ truePositive: 4, falsePositive: 5, trueNegative: 1, falseNegative: 0 });
  });

  it('moves the threshold up when a missed default costs less', () => {
    const best = costOptimalThreshold(p, y, { falseNegative: 1, falsePositive: 1 }, 20);
    // Equal costs: t in (0.3, 0.4] grants the defaulter at 0.1 and refuses the good clients at 0.5 and 0.7
    // (cost 3, as t in (0.7, 0.9]); every other threshold costs more. The lowest on the grid is 0.35.
    expect(best.threshold).toBeCloseTo(0.35, 12);
    expect(best.cost).toBe(3);
  });

  it('checks its input', () => {
    expect(() => confusionAt([0.1], [1, 0], 0.5)).toThrow(/1 predictions for 2 labels/);
    expect(() => costCurve([0.1], [1], { falseNegative: -1, falsePositive: 1 })).toThrow(/costs must be ≥ 0/);
  });
});
