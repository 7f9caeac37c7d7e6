import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix } from '../../../src-main/model/binning.ts';
import type { FeatureMatrix } from '../../../src-main/model/featureMatrix.ts';
import { rocAuc } from '../../../src-main/model/metrics.ts';
import { trainBooster, type RoundInfo } from '../../../src-main/model/trainBooster.ts';
import { predictMargins, type TreeModel } from '../../../src-main/model/treeModel.ts';
import { syntheticProblem } from './syntheticData.ts';

const handParams = {
  learningRate: 1,
  numRounds: 1,
  numLeaves: 2,
  regAlpha: 0,
  regLambda: 1,
  minSplitGain: 0,
  minChildWeight: 0,
  minDataInLeaf: 1,
  colsampleByTree: 1,
};

const oneColumn = (values: number[]): FeatureMatrix => ({
  rows: values.length,
  featureNames: ['x'],
  values: Float64Array.from(values),
});

function modelSignature(model: TreeModel) {
  return {
    base: model.baseMargin,
    trees: model.trees.map((t) =>
      [t.feature, t.bin, t.threshold, t.defaultLeft, t.value].map((a) => Array.from(a)),
    ),
  };
}

describe('trainBooster on hand-computed cases', () => {
  it('grows the stump a hand computation gives', async () => {
    // Labels 0, 0, 1, 1: base margin log(0.5/0.5) = 0, g = ±0.5, h = 0.25. Best split x ≤ 2.5 with
    // leaves −G/(H + λ) = ∓1/1.5, covers 0.5 each, root cover 1.
    const { model } = await trainBooster(binMatrix(oneColumn([1, 2, 3, 4])), [0, 0, 1, 1], {
      params: handParams,
      threads: 0,
    });
    expect(model.baseMargin).toBe(0);
    const [tree] = model.trees;
    expect(Array.from(tree!.feature)).toEqual([0, -1, -1]);
    expect(tree!.threshold[0]).toBe(2.5);
    expect(tree!.value[1]).toBeCloseTo(-2 / 3, 6);
    expect(tree!.value[2]).toBeCloseTo(2 / 3, 6);
    expect(Array.from(tree!.cover)).toEqual([1, 0.5, 0.5]);
    expect(Array.from(tree!.count)).toEqual([4, 2, 2]);
    expect(tree!.gain[0]).toBeCloseTo(4 / 3, 12);
  });

  it('shrinks leaves by the learning rate and by L1', async () => {
    const { model } = await trainBooster(binMatrix(oneColumn([1, 2, 3, 4])), [0, 0, 1, 1], {
      params: { ...handParams, learningRate: 0.1, regAlpha: 0.5 },
      threads: 0,
    });
    // T(1) = 0.5 → −0.5/1.5 × 0.1.
    expect(model.trees[0]!.value[1]).toBeCloseTo(-1 / 30, 7);
  });

  it('sends missing values the way the labels say, and predicts them so', async () => {
    const x = [1, 2, NaN, NaN, 1, 2, NaN, NaN];
    const { model } = await trainBooster(binMatrix(oneColumn(x)), [1, 0, 1, 1, 1, 0, 1, 1], {
      params: handParams,
      threads: 0,
    });
    const tree = model.trees[0]!;
    expect(tree.threshold[0]).toBe(1.5);
    expect(tree.defaultLeft[0]).toBe(1);
    const margins = predictMargins(model, oneColumn(x));
    expect(margins[2]).toBe(margins[0]);
    expect(margins[1]).not.toBe(margins[0]);
  });

  it('does not split when min_child_weight or min_data_in_leaf forbid every split', async () => {
    const data = binMatrix(oneColumn([1, 2, 3, 4, 5, 6]));
    const labels = [0, 0, 0, 1, 1, 1];
    const grown = await trainBooster(data, labels, {
      params: { ...handParams, minChildWeight: 0.75 },
      threads: 0,
    });
    expect(grown.model.trees[0]!.count[1]).toBe(3);
    const byWeight = await trainBooster(data, labels, {
      params: { ...handParams, minChildWeight: 0.8 },
      threads: 0,
    });
    expect(byWeight.model.trees).toHaveLength(0);
    const byCount = await trainBooster(data, labels, {
      params: { ...handParams, minDataInLeaf: 4 },
      threads: 0,
    });
    expect(byCount.model.trees).toHaveLength(0);
  });

  it('honours num_leaves and max_depth', async () => {
    const { matrix, labels } = syntheticProblem(3000, 2);
    const data = binMatrix(matrix);
    const loose = { minChildWeight: 1, numRounds: 3 };
    const wide = await trainBooster(data, labels, {
      params: { ...loose, numLeaves: 9, maxDepth: -1 },
      threads: 0,
    });
    for (const tree of wide.model.trees) expect(tree.feature.filter((f) => f < 0)).toHaveLength(9);
    const shallow = await trainBooster(data, labels, {
      params: { ...loose, numLeaves: 31, maxDepth: 2 },
      threads: 0,
    });
    for (const tree of shallow.model.trees)
      expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(4);
  });
});

describe('early stopping', () => {
  it('stops patience rounds after the best validation AUC and keeps the best trees', async () => {
    // Noisy labels and loose leaves: the validation AUC peaks early, then the model overfits.
    const { matrix, labels } = syntheticProblem(1500, 3, 20);
    const data = binMatrix(matrix);
    const trainRows = Int32Array.from({ length: 1000 }, (_, i) => i);
    const validRows = Int32Array.from({ length: 500 }, (_, i) => 1000 + i);
    const rounds: RoundInfo[] = [];
    const result = await trainBooster(data, labels, {
      params: {
        learningRate: 0.3,
        minChildWeight: 0.1,
        minDataInLeaf: 2,
        earlyStoppingRounds: 15,
        numRounds: 1000,
      },
      trainRows,
      validRows,
      threads: 0,
      onRound: (info) => rounds.push(info),
    });
    const aucs = rounds.map((r) => r.validAuc!);
    const best = aucs.indexOf(Math.max(...aucs));
    expect(rounds.length).toBeLessThan(1000);
    expect(rounds.length).toBe(best + 1 + 15);
    expect(result.bestRounds).toBe(best + 1);
    expect(result.model.trees).toHaveLength(best + 1);
    const validLabels = Array.from(validRows, (r) => labels[r]!);
    expect(rocAuc(result.validMargins!, validLabels)).toBe(aucs[best]);
    const margins = predictMargins(result.model, matrix);
    expect(Array.from(validRows, (r) => margins[r]!)).toEqual(Array.from(result.validMargins!));
  });
});

describe('determinism', () => {
  const { matrix, labels } = syntheticProblem(4000, 4);
  const data = binMatrix(matrix);
  const params = { numRounds: 15, minChildWeight: 1, colsampleByTree: 0.5, subsample: 0.7, subsampleFreq: 1 };

  it('gives the same model for the same seed, on 0 or 2 worker threads', async () => {
    const first = await trainBooster(data, labels, { params, threads: 0 });
    const again = await trainBooster(data, labels, { params, threads: 0 });
    const threaded = await trainBooster(data, labels, { params, threads: 2 });
    expect(modelSignature(again.model)).toEqual(modelSignature(first.model));
    expect(modelSignature(threaded.model)).toEqual(modelSignature(first.model));
  });

  it('gives another model for another seed', async () => {
    const first = await trainBooster(data, labels, { params, threads: 0 });
    const other = await trainBooster(data, labels, { params: { ...params, seed: 2 }, threads: 0 });
    expect(modelSignature(other.model)).not.toEqual(modelSignature(first.model));
  });
});

describe('invariance to monotone transforms', () => {
  const transforms: [string, (x: number) => number][] = [
    ['affine', (x) => 3 * x - 7],
    ['exp', (x) => Math.exp(x / 8)],
    ['cube', (x) => x * x * x + x],
  ];

  it('predicts the same on data whose features went through strictly increasing maps', async () => {
    let modelsWithTrees = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: -20, max: 20 }),
            fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
            fc.boolean(),
          ),
          {
            minLength: 40,
            maxLength: 120,
          },
        ),
        fc.constantFrom(...transforms),
        async (rows, [, transform]) => {
          const labels = rows.map(([, , y]) => (y ? 1 : 0));
          fc.pre(labels.includes(0) && labels.includes(1));
          const n = rows.length;
          const original: FeatureMatrix = {
            rows: n,
            featureNames: ['u', 'v'],
            values: Float64Array.from([...rows.map(([u]) => u), ...rows.map(([, v]) => v ?? NaN)]),
          };
          const mapped: FeatureMatrix = { ...original, values: original.values.map(transform) };
          const params = {
            numRounds: 5,
            minChildWeight: 0.1,
            minDataInLeaf: 2,
            numLeaves: 4,
            learningRate: 0.5,
          };
          const a = await trainBooster(binMatrix(original), labels, { params, threads: 0 });
          const b = await trainBooster(binMatrix(mapped), labels, { params, threads: 0 });
          if (a.model.trees.length > 0) modelsWithTrees++;
          expect(Array.from(predictMargins(b.model, mapped))).toEqual(
            Array.from(predictMargins(a.model, original)),
          );
        },
      ),
      { numRuns: 40, seed: 11 },
    );
    expect(modelsWithTrees).toBeGreaterThan(20);
  });
});

describe('input checks', () => {
  const data = binMatrix(oneColumn([1, 2, 3, 4]));
  it('rejects labels other than 0/1, one-class training rows and unsorted rows', async () => {
    await expect(trainBooster(data, [0, 1, 2, 0], { threads: 0 })).rejects.toThrow(/row 2 has label 2/);
    await expect(trainBooster(data, [1, 1, 1, 1], { threads: 0 })).rejects.toThrow(/both classes/);
    await expect(
      trainBooster(data, [0, 1, 0, 1], { trainRows: Int32Array.from([2, 1]), threads: 0 }),
    ).rejects.toThrow(/ascending/);
    await expect(trainBooster(data, [0, 1, 0, 1], { params: { numLeaves: 1 }, threads: 0 })).rejects.toThrow(
      /numLeaves must be an integer ≥ 2, got 1/,
    );
  });
});
