import { describe, expect, it } from 'vitest';
import { fitPlatt } from '../../../src-main/model/plattCalibration.ts';
import { Prng } from '../../../src-main/model/prng.ts';
import {
  affineMarginModel,
  predictMargins,
  sigmoid,
  type TreeModel,
} from '../../../src-main/model/treeModel.ts';

describe('fitPlatt', () => {
  it('recovers the slope and intercept that generated the labels', () => {
    const prng = new Prng(3);
    const margins = Float64Array.from({ length: 40_000 }, () => 6 * prng.nextFloat() - 3);
    const labels = Uint8Array.from(margins, (m) => (prng.nextFloat() < sigmoid(0.5 * m - 1) ? 1 : 0));
    const { a, b } = fitPlatt(margins, labels);
    expect(a).toBeCloseTo(0.5, 1);
    expect(b).toBeCloseTo(-1, 1);
  });

  it('refuses margins without spread', () => {
    expect(() => fitPlatt([1, 1, 1], [0, 1, 0])).toThrow(/do not separate a slope/);
  });
});

describe('affineMarginModel', () => {
  it('folds a·m + b into the leaves and the base', () => {
    const model: TreeModel = {
      featureNames: ['x'],
      baseMargin: -1,
      trees: [
        {
          feature: Int32Array.from([0, -1, -1]),
          bin: Int32Array.from([0, -1, -1]),
          threshold: Float32Array.from([0.5, 0, 0]),
          defaultLeft: Uint8Array.from([1, 0, 0]),
          left: Int32Array.from([1, -1, -1]),
          right: Int32Array.from([2, -1, -1]),
          value: Float32Array.from([0, -0.25, 0.75]),
          cover: Float64Array.from([2, 1, 1]),
          count: Int32Array.from([2, 1, 1]),
          gain: Float64Array.from([1, 0, 0]),
        },
      ],
    };
    const matrix = { rows: 3, featureNames: ['x'], values: Float64Array.from([0, 1, NaN]) };
    const folded = predictMargins(affineMarginModel(model, 0.5, 0.25), matrix);
    const original = predictMargins(model, matrix);
    original.forEach((m, i) => expect(folded[i]).toBeCloseTo(0.5 * m + 0.25, 6));
  });
});
