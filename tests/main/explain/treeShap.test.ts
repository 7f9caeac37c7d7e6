import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdditivityError, Explainer, type ExplainerOptions } from '../../../src-main/explain/explainer.ts';
import { GroupShap } from '../../../src-main/explain/groupShap.ts';
import { parseOnnxTrees, readOnnxTrees } from '../../../src-main/explain/onnxTrees.ts';
import { readCsvNumbers } from './support/csv.ts';
import {
  MODES,
  bruteForceShapley,
  interventionalValue,
  pathDependentValue,
  prng,
  randomForest,
  randomRows,
  specMargin,
  type ForestSpec,
  type Mode,
  type SpecNode,
} from './support/forestSpec.ts';
import { encodeForest } from './support/onnxModel.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../shared/fixtures/treeshap');

afterEach(() => {
  vi.unstubAllEnvs();
});

function explainRows(explainer: Explainer, rows: number[][]) {
  return explainer.explain(Float64Array.from(rows.flat()), 0, rows.length);
}

/** Largest |bias + Σ SHAP − margin| over a batch. */
function additivityGap(batch: ReturnType<Explainer['explain']>, width: number): number {
  let gap = 0;
  for (let r = 0; r < batch.rows; r++) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += batch.shap[r * width + j]!;
    gap = Math.max(gap, Math.abs(sum - batch.margins[r]!));
  }
  return gap;
}

describe('golden files (XGBoost 1.7.4 pred_contribs)', () => {
  // The README's observed bounds against an independent float64 implementation; 1e-5 is the bound.
  const bounds: Record<string, number> = { small: 6e-7, lossguide: 2e-6, wide: 2e-6 };
  for (const name of ['small', 'lossguide', 'wide']) {
    for (const variant of ['model.onnx', 'model-gte.onnx', 'model-leq.onnx']) {
      it(`${name}/${variant}`, () => {
        const explainer = new Explainer(readOnnxTrees(join(FIXTURES, name, variant)));
        expect(explainer.method).toBe('path-dependent');
        const inputs = readCsvNumbers(join(FIXTURES, name, 'inputs.csv'));
        const expected = readCsvNumbers(join(FIXTURES, name, 'expected.csv'));
        const batch = explainRows(explainer, inputs);
        const width = explainer.model.forest.nFeatures + 1;
        let worst = 0;
        expected.forEach((row, r) => {
          // expected: margin, probability, shap_f0.., shap_bias
          expect(batch.margins[r]).toBeCloseTo(row[0]!, 5);
          expect(Math.abs(batch.outputs[r]! - row[1]!)).toBeLessThan(1e-6);
          for (let j = 0; j < width; j++)
            worst = Math.max(worst, Math.abs(batch.shap[r * width + j]! - row[2 + j]!));
        });
        expect(worst).toBeLessThan(bounds[name]!);
        expect(additivityGap(batch, width)).toBeLessThan(1e-9);
      });
    }
  }

  it('small/model-nocovers.onnx with background.csv: interventional, as the brute-force expected values', () => {
    const model = readOnnxTrees(join(FIXTURES, 'small', 'model-nocovers.onnx'));
    const background = readCsvNumbers(join(FIXTURES, 'small', 'background.csv'));
    const explainer = new Explainer(model, {
      background: { values: Float64Array.from(background.flat()), rows: background.length },
    });
    expect(explainer.method).toBe('interventional');
    expect(explainer.notice).toMatch(
      /Interventional TreeSHAP over 64 background rows.*every nodes_hitrates is 1/,
    );
    const expected = readCsvNumbers(join(FIXTURES, 'small', 'expected-interventional.csv'));
    const inputs = readCsvNumbers(join(FIXTURES, 'small', 'inputs.csv')).slice(0, expected.length);
    const batch = explainRows(explainer, inputs);
    expected.forEach((row, r) => {
      // expected: margin, shap_f0.., shap_bias
      expect(batch.margins[r]).toBeCloseTo(row[0]!, 6);
      for (let j = 0; j < 9; j++) expect(Math.abs(batch.shap[r * 9 + j]! - row[1 + j]!)).toBeLessThan(1e-6);
    });
  });
});

function checkAgainstBruteForce(
  spec: ForestSpec,
  rows: number[][],
  options: ExplainerOptions,
  value: (row: number[], known: (feature: number) => boolean) => number,
): void {
  const explainer = new Explainer(parseOnnxTrees('random.onnx', encodeForest(spec)), options);
  const batch = explainRows(explainer, rows);
  const n = spec.nFeatures;
  // One row at a time takes the other route (node by node, no tables): the same values.
  const values = Float64Array.from(rows.flat());
  rows.forEach((_, r) => {
    const alone = explainer.explain(values, r, 1);
    alone.shap.forEach((value, j) => expect(value).toBeCloseTo(batch.shap[r * (n + 1) + j]!, 12));
  });
  rows.forEach((row, r) => {
    const phi = bruteForceShapley(n, (known) => value(row, known));
    const bias = value(row, () => false);
    for (let j = 0; j < n; j++) expect(batch.shap[r * (n + 1) + j]).toBeCloseTo(phi[j]!, 9);
    expect(batch.shap[r * (n + 1) + n]).toBeCloseTo(bias, 9);
    expect(batch.margins[r]).toBeCloseTo(specMargin(spec, row), 12);
  });
  expect(additivityGap(batch, n + 1)).toBeLessThan(1e-9);
}

describe('path-dependent TreeSHAP equals the Shapley values of the path-dependent game', () => {
  const forests = fc.record({
    seed: fc.integer(),
    nFeatures: fc.integer({ min: 1, max: 6 }),
    nTrees: fc.integer({ min: 1, max: 6 }),
    maxDepth: fc.integer({ min: 1, max: 7 }),
  });
  // Tables for every leaf, none (quadrature only), and a mix.
  for (const maxTableSlots of [12, 0, 2]) {
    it(`random forests, every branch mode, missing values, float32 covers (tables up to ${maxTableSlots} slots)`, () => {
      fc.assert(
        fc.property(forests, ({ seed, ...shape }) => {
          const spec = randomForest(seed, shape);
          checkAgainstBruteForce(
            spec,
            randomRows(seed ^ 0x5eed, 6, shape.nFeatures),
            { maxTableSlots },
            (row, known) => pathDependentValue(spec, row, known),
          );
        }),
        { numRuns: 60 },
      );
    });
  }

  it('deep paths with up to 14 distinct features (lossguide-like), with and without tables', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 8, max: 14 }), (seed, nFeatures) => {
        const spec = randomForest(seed, { nFeatures, nTrees: 3, maxDepth: 24, chain: true, splitChance: 1 });
        const rows = randomRows(seed + 7, 3, nFeatures);
        for (const maxTableSlots of [12, 0]) {
          checkAgainstBruteForce(spec, rows, { maxTableSlots }, (row, known) =>
            pathDependentValue(spec, row, known),
          );
        }
      }),
      { numRuns: 8 },
    );
  });
});

describe('interventional TreeSHAP equals the Shapley values of the interventional game', () => {
  it('random forests and backgrounds, every branch mode, missing values', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        (seed, nFeatures, maxDepth, backgroundRows) => {
          const spec = randomForest(seed, { nFeatures, nTrees: 4, maxDepth, flatCovers: true });
          const background = randomRows(seed + 1, backgroundRows, nFeatures);
          const options = {
            background: { values: Float64Array.from(background.flat()), rows: backgroundRows },
          };
          checkAgainstBruteForce(spec, randomRows(seed + 2, 5, nFeatures), options, (row, known) =>
            interventionalValue(spec, row, background, known),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('interventional TreeSHAP of groups equals the Shapley values of the groups as players', () => {
  it('random forests, backgrounds and groupings (groups whose features interact within and across)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        (seed, nFeatures, groups, maxDepth, backgroundRows) => {
          const spec = randomForest(seed, { nFeatures, nTrees: 4, maxDepth, flatCovers: true });
          const background = randomRows(seed + 1, backgroundRows, nFeatures);
          const random = prng(seed + 3);
          const groupOf = Array.from({ length: nFeatures }, () => Math.floor(random() * groups));
          const shap = new GroupShap(
            parseOnnxTrees('random.onnx', encodeForest(spec)),
            { values: Float64Array.from(background.flat()), rows: backgroundRows },
            groupOf,
            groups,
          );
          const phi = new Float64Array(groups);
          for (const row of randomRows(seed + 2, 4, nFeatures)) {
            const margin = shap.explain(Float64Array.from(row), phi);
            const expected = bruteForceShapley(groups, (inS) =>
              interventionalValue(spec, row, background, (j) => inS(groupOf[j]!)),
            );
            phi.forEach((value, g) => expect(value).toBeCloseTo(expected[g]!, 9));
            expect(shap.bias).toBeCloseTo(
              interventionalValue(spec, row, background, () => false),
              9,
            );
            expect(margin).toBeCloseTo(specMargin(spec, row), 12);
            expect(phi.reduce((s, v) => s + v, shap.bias)).toBeCloseTo(margin, 9);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('differs from the sum of the features’ values when features of two groups interact', () => {
    // One tree: x0 > 0 and x1 > 0 and x2 > 0 gives 1. Groups {x0, x1} and {x2}; the background has all three ≤ 0.
    const leaf = (value: number): SpecNode => ({ kind: 'leaf', value, cover: 1 });
    const split = (feature: number, onTrue: SpecNode): SpecNode => ({
      kind: 'branch',
      mode: 'BRANCH_GT',
      feature,
      threshold: 0,
      missingTracksTrue: false,
      cover: 1,
      onTrue,
      onFalse: leaf(0),
    });
    const spec: ForestSpec = { nFeatures: 3, base: 0, trees: [split(0, split(1, split(2, leaf(1))))] };
    const shap = new GroupShap(
      parseOnnxTrees('and.onnx', encodeForest(spec)),
      { values: Float64Array.from([-1, -1, -1]), rows: 1 },
      [0, 0, 1],
      2,
    );
    const phi = new Float64Array(2);
    shap.explain(Float64Array.from([1, 1, 1]), phi);
    // As players, the two groups share the leaf equally; the features' own values would give the first 2/3.
    expect(Array.from(phi)).toEqual([0.5, 0.5]);
  });
});

describe('hand-built trees: one split on x0 at 0.5, for each branch mode and missing-value rule', () => {
  // Which side each of the rows 0.25, 0.5, 0.75, NaN takes (true = the mode's true branch), per the ONNX definition.
  const sides: Record<Mode, boolean[]> = {
    BRANCH_LEQ: [true, true, false],
    BRANCH_LT: [true, false, false],
    BRANCH_GTE: [false, true, true],
    BRANCH_GT: [false, false, true],
    BRANCH_EQ: [false, true, false],
    BRANCH_NEQ: [true, false, true],
  };
  const rows = [
    [0.25, 7],
    [0.5, 7],
    [0.75, 7],
    [NaN, 7],
  ];
  for (const mode of MODES) {
    for (const tracks of [false, true]) {
      it(`${mode}, missing_value_tracks_true=${Number(tracks)}`, () => {
        const spec: ForestSpec = {
          nFeatures: 2,
          base: 0.5,
          trees: [
            {
              kind: 'branch',
              mode,
              feature: 0,
              threshold: 0.5,
              missingTracksTrue: tracks,
              cover: 4,
              onTrue: { kind: 'leaf', value: 2, cover: 1 },
              onFalse: { kind: 'leaf', value: -1, cover: 3 },
            },
          ],
        };
        const goesTrue = [...sides[mode], tracks || mode === 'BRANCH_NEQ'];
        // Path-dependent: the expectation weighs the leaves 1:3; all of the difference is x0's.
        const expected = 0.5 + (2 * 1 + -1 * 3) / 4;
        const batch = explainRows(new Explainer(parseOnnxTrees('split.onnx', encodeForest(spec))), rows);
        goesTrue.forEach((side, r) => {
          const margin = 0.5 + (side ? 2 : -1);
          expect(batch.margins[r]).toBe(margin);
          expect(batch.shap[r * 3]).toBeCloseTo(margin - expected, 14);
          expect(batch.shap[r * 3 + 1]).toBe(0);
          expect(batch.shap[r * 3 + 2]).toBeCloseTo(expected, 14);
        });
        // Interventional against the row 0.25 (or NaN): x0 gets the difference between the two leaves reached.
        for (const z of [0.25, NaN]) {
          const zTrue = goesTrue[z === 0.25 ? 0 : 3]!;
          const background = { values: Float64Array.from([z, 0]), rows: 1 };
          const versus = explainRows(
            new Explainer(parseOnnxTrees('split.onnx', encodeForest(spec)), { background }),
            rows,
          );
          goesTrue.forEach((side, r) => {
            expect(versus.shap[r * 3]).toBe((side ? 2 : -1) - (zTrue ? 2 : -1));
            expect(versus.shap[r * 3 + 2]).toBe(0.5 + (zTrue ? 2 : -1));
          });
        }
      });
    }
  }
});

describe('choosing the method', () => {
  const spec = randomForest(21, { nFeatures: 3, nTrees: 3, maxDepth: 3 });
  const background = { values: Float64Array.from(randomRows(22, 4, 3).flat()), rows: 4 };

  it('path-dependent from real covers, and says so', () => {
    const explainer = new Explainer(parseOnnxTrees('m.onnx', encodeForest(spec)));
    expect(explainer.method).toBe('path-dependent');
    expect(explainer.notice).toMatch(/Path-dependent TreeSHAP from the node covers/);
  });

  it('interventional when asked for with a background, even with covers', () => {
    const explainer = new Explainer(parseOnnxTrees('m.onnx', encodeForest(spec)), { background });
    expect(explainer.method).toBe('interventional');
    expect(explainer.notice).toMatch(
      /over 4 background rows \(asked for, though the model has node covers\)/,
    );
  });

  it('refuses a model without covers when there is no background', () => {
    const model = parseOnnxTrees('m.onnx', encodeForest(spec, { covers: false }));
    expect(() => new Explainer(model)).toThrow(
      /m\.onnx: the model has no usable node covers \(nodes_hitrates is absent\).*give a background sample/,
    );
    expect(new Explainer(model, { background }).notice).toMatch(/nodes_hitrates is absent/);
  });
});

describe('additivity is checked at run time in debug builds', () => {
  it('passes on a sound explainer and throws when bias + Σ SHAP drifts from the margin', () => {
    vi.stubEnv('SCORING_DESK_DEBUG', '1');
    const spec = randomForest(31, { nFeatures: 4, nTrees: 5, maxDepth: 4 });
    const rows = randomRows(32, 10, 4);
    const sound = new Explainer(parseOnnxTrees('m.onnx', encodeForest(spec)));
    expect(() => explainRows(sound, rows)).not.toThrow();

    const drifting = new Explainer(parseOnnxTrees('m.onnx', encodeForest(spec)));
    Object.assign(drifting, { bias: drifting.bias + 1e-6 });
    expect(() => explainRows(drifting, rows)).toThrow(AdditivityError);
    expect(() => explainRows(drifting, rows)).toThrow(/row 0: bias \+ Σ SHAP = .* but the margin is/);
  });

  it('is not checked otherwise', () => {
    vi.stubEnv('SCORING_DESK_DEBUG', '');
    const spec = randomForest(31, { nFeatures: 4, nTrees: 5, maxDepth: 4 });
    const drifting = new Explainer(parseOnnxTrees('m.onnx', encodeForest(spec)));
    Object.assign(drifting, { bias: drifting.bias + 1e-6 });
    expect(() => explainRows(drifting, randomRows(32, 10, 4))).not.toThrow();
  });
});
