import { describe, expect, it } from 'vitest';
import { ratesByGroup } from '../../../src-main/model/fairness.ts';

describe('ratesByGroup', () => {
  it('gives refusal and error rates per group at the threshold', () => {
    const p = [0.5, 0.05, 0.2, 0.3, 0.02, 0.01];
    const y = [1, 0, 0, 1, 0, 1];
    const g = ['F', 'F', 'F', 'M', 'M', 'M'];
    const [f, m] = ratesByGroup(p, y, g, 0.1);
    // F: refused 0.5 (defaulter) and 0.2 (good): 2/3 refused, TPR 1/1, FPR 1/2.
    expect(f).toMatchObject({ group: 'F', count: 3, truePositiveRate: 1, falsePositiveRate: 0.5 });
    expect(f!.refusalRate).toBeCloseTo(2 / 3, 12);
    expect(f!.defaultRate).toBeCloseTo(1 / 3, 12);
    // M: refused 0.3 (defaulter) only; the defaulter at 0.01 is granted: TPR 1/2, FPR 0/1.
    expect(m).toMatchObject({ group: 'M', truePositiveRate: 0.5, falsePositiveRate: 0 });
    expect(m!.meanPredicted).toBeCloseTo(0.11, 12);
  });

  it('says NaN for an error rate a group cannot have', () => {
    const [only] = ratesByGroup([0.5], [0], ['X'], 0.1);
    expect(only!.truePositiveRate).toBeNaN();
    expect(only!.falsePositiveRate).toBe(1);
  });
});
