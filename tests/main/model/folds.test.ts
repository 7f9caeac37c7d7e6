import { describe, expect, it } from 'vitest';
import { foldRows, stratifiedFolds } from '../../../src-main/model/folds.ts';

describe('stratifiedFolds', () => {
  const labels = Uint8Array.from({ length: 1003 }, (_, i) => (i % 12 === 0 ? 1 : 0));
  const positives = labels.reduce((s, y) => s + y, 0);

  it('keeps the share of positives in every fold and sizes within one row', () => {
    const foldOf = stratifiedFolds(labels, 5, 1);
    for (let k = 0; k < 5; k++) {
      const { valid, train } = foldRows(foldOf, k);
      expect(valid.length + train.length).toBe(labels.length);
      expect(Math.abs(valid.length - labels.length / 5)).toBeLessThanOrEqual(1);
      const foldPositives = Array.from(valid).filter((r) => labels[r] === 1).length;
      expect(Math.abs(foldPositives - positives / 5)).toBeLessThanOrEqual(1);
    }
  });

  it('is reproducible for a seed and shuffles differently for another', () => {
    expect(stratifiedFolds(labels, 5, 1)).toEqual(stratifiedFolds(labels, 5, 1));
    expect(stratifiedFolds(labels, 5, 2)).not.toEqual(stratifiedFolds(labels, 5, 1));
  });

  it('refuses folds it cannot stratify', () => {
    expect(() => stratifiedFolds([1, 0, 0, 0], 2, 1)).toThrow(/at least 2 rows of each class/);
    expect(() => stratifiedFolds(labels, 1, 1)).toThrow(/folds must be an integer in \[2, 255\]/);
  });
});
