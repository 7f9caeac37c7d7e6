import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TreeModelError } from '../../../src-main/explain/modelError.ts';
import { parseOnnxTrees, readOnnxTrees } from '../../../src-main/explain/onnxTrees.ts';
import { rawMargin, toComparisonPrecision } from '../../../src-main/explain/predict.ts';
import {
  MODES,
  randomForest,
  randomRows,
  specMargin,
  type ForestSpec,
  type Mode,
} from './support/forestSpec.ts';
import {
  encodeForest,
  encodeIdentityModel,
  runOnnxruntime,
  type EncodeOptions,
} from './support/onnxModel.ts';
import { readCsvNumbers } from './support/csv.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../shared/fixtures/treeshap');
const work = mkdtempSync(join(tmpdir(), 'scoring-desk-onnx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function margins(bytes: Uint8Array, rows: number[][]): number[] {
  const model = parseOnnxTrees('test.onnx', bytes);
  const x = new Float64Array(model.forest.nFeatures);
  return rows.map((row) => rawMargin(model, toComparisonPrecision(model, Float64Array.from(row), 0, x)));
}

function split(mode: Mode, missingTracksTrue: boolean): ForestSpec {
  return {
    nFeatures: 1,
    base: 0,
    trees: [
      {
        kind: 'branch',
        mode,
        feature: 0,
        threshold: 0.5,
        missingTracksTrue,
        cover: 4,
        onTrue: { kind: 'leaf', value: 1, cover: 1 },
        onFalse: { kind: 'leaf', value: -1, cover: 3 },
      },
    ],
  };
}

describe('branch modes and missing values, on one split at 0.5', () => {
  // Rows 0.25, 0.5, 0.75, NaN: +1 = true branch, −1 = false branch (the ONNX definition, as onnxruntime runs it).
  const expected: Record<Mode, [number, number, number]> = {
    BRANCH_LEQ: [1, 1, -1],
    BRANCH_LT: [1, -1, -1],
    BRANCH_GTE: [-1, 1, 1],
    BRANCH_GT: [-1, -1, 1],
    BRANCH_EQ: [-1, 1, -1],
    BRANCH_NEQ: [1, -1, 1],
  };
  const rows = [[0.25], [0.5], [0.75], [NaN]];
  for (const mode of MODES) {
    for (const tracks of [false, true]) {
      // x != t holds for NaN, so NEQ sends NaN to its true branch either way.
      const nan = tracks || mode === 'BRANCH_NEQ' ? 1 : -1;
      it(`${mode}, missing_value_tracks_true=${Number(tracks)}`, async () => {
        const bytes = encodeForest(split(mode, tracks), { operator: 'TreeEnsembleRegressor' });
        expect(margins(bytes, rows)).toEqual([...expected[mode], nan]);
        expect(Array.from(await runOnnxruntime(bytes, rows))).toEqual([...expected[mode], nan]);
      });
    }
  }
});

describe('margins agree with onnxruntime', () => {
  it('on the fixtures, every model variant', async () => {
    for (const name of ['small', 'lossguide', 'wide']) {
      const inputs = readCsvNumbers(join(FIXTURES, name, 'inputs.csv'));
      const expected = readCsvNumbers(join(FIXTURES, name, 'expected.csv'));
      for (const variant of ['model.onnx', 'model-gte.onnx', 'model-leq.onnx']) {
        const model = readOnnxTrees(join(FIXTURES, name, variant));
        const x = new Float64Array(model.forest.nFeatures);
        const ours = inputs.map((row) =>
          rawMargin(model, toComparisonPrecision(model, Float64Array.from(row), 0, x)),
        );
        const theirs = await runOnnxruntime(readFileSync(join(FIXTURES, name, variant)), inputs);
        ours.forEach((margin, r) => {
          expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(theirs[r]!, 6);
          expect(margin).toBeCloseTo(expected[r]![0]!, 5);
        });
      }
    }
  });

  it('exactly, on random forests with every mode, ties and missing values (float32 and double inputs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        async (seed, nFeatures, maxDepth, double) => {
          const spec = randomForest(seed, { nFeatures, nTrees: 12, maxDepth, dyadic: true });
          const rows = randomRows(seed + 1, 40, nFeatures);
          const options: EncodeOptions = { operator: 'TreeEnsembleRegressor', shuffleIdsSeed: seed };
          if (double) options.inputType = 'double';
          const bytes = encodeForest(spec, options);
          // Dyadic leaves make float32 and float64 sums exact, so any routing difference shows.
          const theirs = Array.from(await runOnnxruntime(bytes, rows, double));
          expect(margins(bytes, rows)).toEqual(theirs);
          if (!double) expect(theirs).toEqual(rows.map((row) => specMargin(spec, row)));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('reading a model', () => {
  it('reads the fixture: trees, features, base, transform, covers', () => {
    const model = readOnnxTrees(join(FIXTURES, 'small', 'model.onnx'));
    expect(model.operator).toBe('TreeEnsembleClassifier');
    expect(model.forest.nTrees).toBe(20);
    expect(model.featureNames).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
    expect(model.postTransform).toBe('LOGISTIC');
    expect(model.base).toBeCloseTo(Math.log(0.3 / 0.7), 6);
    expect(model.float32Inputs).toBe(true);
    expect(model.forest.cover?.[0]).toBeCloseTo(420, 4);
  });

  it('takes comma-separated feature names, and names features f0.. when there are none', () => {
    const spec = randomForest(3, { nFeatures: 3, nTrees: 2, maxDepth: 2 });
    expect(
      parseOnnxTrees('m.onnx', encodeForest(spec, { featureNames: 'age, income,debt' })).featureNames,
    ).toEqual(['age', 'income', 'debt']);
    expect(parseOnnxTrees('m.onnx', encodeForest(spec, { featureNames: null })).featureNames).toEqual([
      'f0',
      'f1',
      'f2',
    ]);
  });

  it('reads a regressor averaging its trees, and a classifier scoring both classes', () => {
    const spec = randomForest(5, { nFeatures: 2, nTrees: 4, maxDepth: 3 });
    const rows = randomRows(6, 10, 2);
    const sum = margins(encodeForest(spec, { operator: 'TreeEnsembleRegressor' }), rows);
    const average = margins(
      encodeForest(spec, {
        operator: 'TreeEnsembleRegressor',
        edit: (a) => (a.aggregate_function = 'AVERAGE'),
      }),
      rows,
    );
    average.forEach((margin, r) => expect(margin).toBeCloseTo((sum[r]! - spec.base) / 4 + spec.base, 12));

    // Class 0 gets the opposite weights; only class 1's score (with its base value) is explained.
    const twoClasses = encodeForest(spec, {
      edit: (a) => {
        const n = (a.class_weights as number[]).length;
        a.class_treeids = [...(a.class_treeids as number[]), ...(a.class_treeids as number[])];
        a.class_nodeids = [...(a.class_nodeids as number[]), ...(a.class_nodeids as number[])];
        a.class_ids = [...Array<number>(n).fill(0), ...Array<number>(n).fill(1)];
        a.class_weights = [...(a.class_weights as number[]).map((w) => -w), ...(a.class_weights as number[])];
        a.base_values = [0, spec.base];
      },
    });
    expect(margins(twoClasses, rows)).toEqual(margins(encodeForest(spec), rows));
  });
});

describe('files as other converters write them, read as onnxruntime reads them', () => {
  it('a categorical split as a chain of BRANCH_EQ nodes sharing their true child (LightGBM)', async () => {
    const bytes = encodeForest(randomForest(1, { nFeatures: 1, nTrees: 1, maxDepth: 1 }), {
      operator: 'TreeEnsembleRegressor',
      edit: (a) => {
        Object.assign(a, {
          nodes_treeids: [0, 0, 0, 0],
          nodes_nodeids: [0, 1, 2, 3],
          nodes_featureids: [0, 0, 0, 0],
          nodes_modes: ['BRANCH_EQ', 'BRANCH_EQ', 'LEAF', 'LEAF'],
          nodes_values: [1, 2, 0, 0],
          nodes_truenodeids: [2, 2, 0, 0],
          nodes_falsenodeids: [1, 3, 0, 0],
          nodes_missing_value_tracks_true: [0, 0, 0, 0],
          nodes_hitrates: [4, 3, 2, 2],
          target_treeids: [0, 0],
          target_nodeids: [2, 3],
          target_ids: [0, 0],
          target_weights: [5, -1],
          base_values: [0],
        });
      },
    });
    const rows = [[1], [2], [3], [NaN]];
    expect(margins(bytes, rows)).toEqual([5, 5, -1, -1]);
    expect(Array.from(await runOnnxruntime(bytes, rows))).toEqual([5, 5, -1, -1]);
  });

  it('reads double thresholds and weights (_as_tensor) of a double-input model, compared in double', async () => {
    const spec = randomForest(12, { nFeatures: 3, nTrees: 4, maxDepth: 4, dyadic: true });
    const rows = randomRows(13, 30, 3);
    const bytes = encodeForest(spec, {
      operator: 'TreeEnsembleRegressor',
      inputType: 'double',
      edit: (a) => {
        // A hair above the grid values rows take: rounding to float32 would put rows back on the threshold.
        a.nodes_values_as_tensor = (a.nodes_values as number[]).map((t) => t + 1e-12);
        a.target_weights_as_tensor = a.target_weights as number[];
        delete a.nodes_values;
        delete a.target_weights;
      },
    });
    const model = parseOnnxTrees('double.onnx', bytes);
    expect(model.float32Inputs).toBe(false);
    const theirs = Array.from(await runOnnxruntime(bytes, rows, true));
    expect(margins(bytes, rows)).toEqual(theirs);
    expect(theirs).not.toEqual(rows.map((row) => specMargin(spec, row)));
  });

  it('ignores a weight on a branch node (old onnxmltools)', async () => {
    const spec = randomForest(8, { nFeatures: 2, nTrees: 3, maxDepth: 3, splitChance: 1, dyadic: true });
    const bytes = encodeForest(spec, {
      operator: 'TreeEnsembleRegressor',
      edit: (a) => {
        (a.target_treeids as number[]).push(0);
        (a.target_nodeids as number[]).push(0);
        (a.target_ids as number[]).push(0);
        (a.target_weights as number[]).push(100);
      },
    });
    const rows = randomRows(9, 20, 2);
    expect(margins(bytes, rows)).toEqual(Array.from(await runOnnxruntime(bytes, rows)));
    expect(margins(bytes, rows)).toEqual(rows.map((row) => specMargin(spec, row)));
  });
});

describe('a model that cannot be read says which file and what is wrong', () => {
  const spec = randomForest(11, { nFeatures: 3, nTrees: 2, maxDepth: 3, splitChance: 1 });
  const broken =
    (edit: EncodeOptions['edit'], options: EncodeOptions = {}) =>
    () =>
      parseOnnxTrees('broken.onnx', encodeForest(spec, { ...options, edit }));
  const cases: [string, () => unknown, RegExp][] = [
    [
      'a missing file',
      () => readOnnxTrees(join(work, 'nowhere.onnx')),
      /nowhere\.onnx: cannot read the model file/,
    ],
    [
      'a text file',
      () => readOnnxTrees(writeText('notes.onnx', 'these are not the trees you are looking for\n')),
      /notes\.onnx: not an ONNX model/,
    ],
    [
      'a truncated file',
      () => {
        const bytes = readFileSync(join(FIXTURES, 'small', 'model.onnx'));
        return parseOnnxTrees('cut.onnx', bytes.subarray(0, bytes.length / 2));
      },
      /cut\.onnx: not an ONNX model \(index out of range/,
    ],
    [
      'a model without trees',
      () => parseOnnxTrees('broken.onnx', encodeIdentityModel()),
      /broken\.onnx: no TreeEnsembleClassifier or TreeEnsembleRegressor node; the graph has Identity/,
    ],
    [
      'a multi-class model',
      broken((a) => (a.classlabels_int64s = [0, 1, 2])),
      /3 classes; only binary classifiers/,
    ],
    [
      'a child that does not exist',
      broken((a) => ((a.nodes_truenodeids as number[])[0] = 999)),
      /tree 0 node \d+: its true child, node 999, does not exist/,
    ],
    [
      'a node id twice',
      broken((a) => ((a.nodes_nodeids as number[])[1] = (a.nodes_nodeids as number[])[0]!)),
      /tree 0: node id \d+ appears twice/,
    ],
    [
      'a cycle',
      broken((a) => ((a.nodes_falsenodeids as number[])[1] = (a.nodes_nodeids as number[])[0]!)),
      /tree 0 node \d+ leads back to itself: the nodes form a cycle/,
    ],
    [
      'a node nothing leads to',
      broken((a) => ((a.nodes_falsenodeids as number[])[0] = (a.nodes_truenodeids as number[])[0]!)),
      /tree 0: nodes [\d, ]+ cannot be reached from its first node, 0/,
    ],
    [
      'attributes of different lengths',
      broken((a) => (a.nodes_values as number[]).pop()),
      /nodes_values has \d+ entries for \d+ nodes/,
    ],
    [
      'an unknown branch mode',
      broken((a) => ((a.nodes_modes as string[])[0] = 'BRANCH_MEMBER')),
      /branch mode BRANCH_MEMBER is not supported/,
    ],
    [
      'a softmax output',
      broken((a) => (a.post_transform = 'SOFTMAX')),
      /post_transform SOFTMAX is not supported/,
    ],
    [
      'a feature beyond the input',
      broken((a) => ((a.nodes_featureids as number[])[0] = 3)),
      /feature 3 is outside the model's 3 inputs/,
    ],
    [
      'too few feature names',
      broken(undefined, { featureNames: 'a,b' }),
      /feature_names has 2 names for 3 inputs/,
    ],
    [
      'a regressor taking the maximum',
      broken((a) => (a.aggregate_function = 'MAX'), { operator: 'TreeEnsembleRegressor' }),
      /aggregate_function MAX is not supported/,
    ],
  ];
  for (const [label, read, message] of cases) {
    it(label, () => {
      expect(read).toThrow(TreeModelError);
      expect(read).toThrow(message);
    });
  }
});

function writeText(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}
