/**
 * TreeSHAP benchmark: `npm run bench:shap -- [--rows N] [--retrain]`.
 * Prints ms per row on one thread for every fixture model, and for a 500-tree × 31-leaf model on 30 features:
 * trained by XGBoost (Debian's python3-xgboost, lossguide) when it is installed, and then timed side by side
 * with XGBoost's own pred_contribs on one thread on the same rows (values compared too); otherwise a random
 * forest of the same shape, ours only. Then batch rows/s on one and on two worker threads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import onnxProto from 'onnx-proto';
import { Explainer, type ExplainerOptions } from '../../src-main/explain/explainer.ts';
import { readOnnxTrees } from '../../src-main/explain/onnxTrees.ts';
import { PathDependentShap } from '../../src-main/explain/pathDependent.ts';
import { openShapRunner } from '../../src-main/explain/shapPool.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200' },
    retrain: { type: 'boolean', default: false },
  },
});
const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/treeshap');
const PYTHON = '/usr/bin/python3';
const TREES = 500;
const LEAVES = 31;
const FEATURES = 30;
const rowCount = Number(args.rows);
/** Trains on 8,000 synthetic rows (5 % missing) and saves the model as XGBoost JSON. */
const TRAIN = `
import sys, numpy as np, xgboost as xgb
out = sys.argv[1]
rng = np.random.default_rng(42)
X = rng.normal(size=(8000, ${FEATURES})).astype(np.float32)
X[rng.random(size=X.shape) < 0.05] = np.nan
z = np.nan_to_num(X)
y = (1.2 * z[:, 0] - 0.8 * z[:, 1] + np.sin(2 * z[:, 2]) + 0.5 * z[:, 3] * z[:, 4] + rng.normal(size=len(X)) > 0.5)
params = dict(objective='binary:logistic', tree_method='hist', grow_policy='lossguide', max_leaves=${LEAVES},
              max_depth=0, eta=0.05, subsample=0.8, colsample_bytree=0.8, nthread=2, seed=1)
xgb.train(params, xgb.DMatrix(X, label=y.astype(np.float32)), num_boost_round=${TREES}).save_model(out + '/model.json')
np.save(out + '/X.npy', X)
`;

/** Times pred_contribs on one thread (wall: best and median of 9 rounds; CPU: best) on the first N training rows and writes rows and values. */
const CONTRIBS = `
import sys, time, numpy as np, xgboost as xgb
out, n = sys.argv[1], int(sys.argv[2])
b = xgb.Booster(model_file=out + '/model.json')
b.set_param({'nthread': 1})
X = np.load(out + '/X.npy')[:n]
d = xgb.DMatrix(X)
c = b.predict(d, pred_contribs=True)
walls, cpus = [], []
for _ in range(9):
    start, cpu = time.perf_counter(), time.process_time()
    b.predict(d, pred_contribs=True)
    walls.append((time.perf_counter() - start) / n * 1000)
    cpus.append((time.process_time() - cpu) / n * 1000)
walls.sort()
np.savetxt(out + '/rows.csv', X, delimiter=',', header=','.join(f'f{i}' for i in range(X.shape[1])), comments='', fmt='%.9g')
np.savetxt(out + '/contribs.csv', c, delimiter=',', header=','.join(f'c{i}' for i in range(c.shape[1])), comments='', fmt='%.9g')
print('per_row', walls[0], walls[4], min(cpus))
`;

const work = join(tmpdir(), 'scoring-desk-bench-shap');
mkdirSync(work, { recursive: true });

function readRows(file: string): number[][] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((field) => (field === '' || field === 'nan' ? NaN : Number(field))));
}

interface Timing {
  /** Best wall-clock ms per row over the rounds, and the median. */
  wall: number;
  median: number;
  /** Best process CPU ms per row: steadier than wall time on a busy machine. */
  cpu: number;
}

/**
 * Single-thread ms per row over rounds: best and median wall time, best CPU time. Rows go in one call (the batch
 * case, explained in blocks tree by tree) or one call per row (one client at a time).
 */
function timePerRow(explainer: Explainer, rows: number[][], oneByOne = false): Timing {
  const values = Float64Array.from(rows.flat());
  const run = () => {
    if (!oneByOne) explainer.explain(values, 0, rows.length);
    else for (let r = 0; r < rows.length; r++) explainer.explain(values, r, 1);
  };
  run();
  const walls: number[] = [];
  let cpu = Infinity;
  for (let round = 0; round < 9; round++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    run();
    const used = process.cpuUsage(cpuStart);
    walls.push((performance.now() - start) / rows.length);
    cpu = Math.min(cpu, (used.user + used.system) / 1000 / rows.length);
  }
  walls.sort((a, b) => a - b);
  return { wall: walls[0]!, median: walls[4]!, cpu };
}

function line(label: string, time: Timing): void {
  console.log(
    `  ${label.padEnd(36)} ${time.wall.toFixed(3).padStart(7)} ms/row wall (median ${time.median.toFixed(3)}), ${time.cpu.toFixed(3)} CPU`,
  );
}

console.log(
  `Load average ${loadavg()[0]!.toFixed(1)} on this machine: wall times suffer when it is busy, CPU times less.`,
);
console.log('\nFixture models, one thread:');
for (const name of ['small', 'lossguide', 'wide']) {
  const rows = readRows(join(FIXTURES, name, 'inputs.csv'));
  const explainer = new Explainer(readOnnxTrees(join(FIXTURES, name, 'model.onnx')));
  line(`${name} (${explainer.model.forest.nTrees} trees, path-dependent)`, timePerRow(explainer, rows));
}
{
  const background = readRows(join(FIXTURES, 'small', 'background.csv'));
  const options: ExplainerOptions = {
    background: { values: Float64Array.from(background.flat()), rows: background.length },
  };
  const explainer = new Explainer(readOnnxTrees(join(FIXTURES, 'small', 'model-nocovers.onnx')), options);
  line(
    'small (interventional, 64 bg rows)',
    timePerRow(explainer, readRows(join(FIXTURES, 'small', 'inputs.csv'))),
  );
}

console.log(`\n${TREES} trees × ${LEAVES} leaves on ${FEATURES} features:`);
const xgboost = spawnSync(PYTHON, ['-c', 'import xgboost; print(xgboost.__version__)'], { encoding: 'utf8' });
let modelFile: string;
let rows: number[][];
let reference: { timing: Timing; contributions: number[][] } | undefined;
if (xgboost.status === 0) {
  const dir = join(work, 'xgboost');
  mkdirSync(dir, { recursive: true });
  if (args.retrain || !existsSync(join(dir, 'model.json'))) {
    console.log(
      `  training with XGBoost ${xgboost.stdout.trim()} (lossguide, hist; once, cached in ${dir}) ...`,
    );
    python(TRAIN, dir);
  }
  writeFileSync(
    join(dir, 'model.onnx'),
    xgboostToOnnx(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))),
  );
  modelFile = join(dir, 'model.onnx');
  const timing = python(CONTRIBS, dir, String(rowCount));
  rows = readRows(join(dir, 'rows.csv'));
  const [wall, median, cpu] = /per_row (\S+) (\S+) (\S+)/.exec(timing)!.slice(1).map(Number);
  reference = {
    timing: { wall: wall!, median: median!, cpu: cpu! },
    contributions: readRows(join(dir, 'contribs.csv')),
  };
} else {
  console.log(
    `  XGBoost is not installed for ${PYTHON} (apt-get install python3-xgboost): random trees, ours only`,
  );
  modelFile = join(work, 'random.onnx');
  writeFileSync(modelFile, xgboostToOnnx(randomXgboostModel(1)));
  rows = randomInputs(2, rowCount);
}

const model = readOnnxTrees(modelFile);
const built = performance.now();
const engine = new PathDependentShap(model);
const buildMs = performance.now() - built;
console.log(
  `  loaded: ${engine.tabulatedTrees} of ${model.forest.nTrees} trees with tables (${((engine.tableEntries * 8) / 2 ** 20).toFixed(1)} MB), the others node by node; built in ${buildMs.toFixed(0)} ms`,
);
const explainer = new Explainer(model);
const ours = timePerRow(explainer, rows);
if (reference) {
  const batch = explainer.explain(Float64Array.from(rows.flat()), 0, rows.length);
  let worst = 0;
  reference.contributions.forEach((row, r) =>
    row.forEach(
      (value, j) => (worst = Math.max(worst, Math.abs(value - batch.shap[r * (FEATURES + 1) + j]!))),
    ),
  );
  const single = timePerRow(explainer, rows, true);
  const ratio = (time: Timing) =>
    `${(time.wall / reference.timing.wall).toFixed(2)} wall, ${(time.cpu / reference.timing.cpu).toFixed(2)} CPU`;
  line('ours (one thread)', ours);
  line('ours, one row per call', single);
  line('XGBoost pred_contribs (nthread=1)', reference.timing);
  console.log(`  ratio ours / XGBoost: ${ratio(ours)}; one row per call: ${ratio(single)}`);
  console.log(`  largest difference from XGBoost's SHAP values: ${worst.toExponential(1)}`);
} else {
  line('ours (one thread)', ours);
  line('ours, one row per call', timePerRow(explainer, rows, true));
}

{
  // Rows beyond the explained ones as the background, as the app would sample its client base.
  const background = rows.length > 100 ? rows.slice(rows.length - 100) : rows;
  const options: ExplainerOptions = {
    background: { values: Float64Array.from(background.flat()), rows: background.length },
  };
  const interventional = new Explainer(model, options);
  line(`ours, interventional (${background.length} bg rows)`, timePerRow(interventional, rows.slice(0, 50)));
}

console.log('\nBatch (rows/s):');
const batchRows = Array.from({ length: Math.max(4000, rowCount) }, (_, r) => rows[r % rows.length]!);
for (const threads of [1, 2]) {
  const runner = openShapRunner({ modelFile, threads });
  const start = performance.now();
  const chunk = 256;
  for (let first = 0; first < batchRows.length; first += chunk) {
    const part = batchRows.slice(first, first + chunk);
    runner.submit({ values: Float64Array.from(part.flat()), rows: part.length });
    while (runner.pending >= 2 * threads) runner.take();
  }
  while (runner.pending > 0) runner.take();
  const seconds = (performance.now() - start) / 1000;
  await runner.close();
  console.log(
    `  ${threads} thread${threads > 1 ? 's' : ' '}: ${Math.round(batchRows.length / seconds).toLocaleString('en')} rows/s (${batchRows.length} rows, model loaded before timing)`,
  );
}

function python(script: string, ...argv: string[]): string {
  const result = spawnSync(PYTHON, ['-c', script, ...argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${PYTHON} failed (exit ${result.status})`);
  return result.stdout;
}

interface XgboostTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  sum_hessian: number[];
}
interface XgboostModel {
  learner: {
    learner_model_param: { base_score: string; num_feature: string };
    gradient_booster: { model: { trees: XgboostTree[] } };
  };
}

/**
 * An XGBoost JSON model as an ONNX TreeEnsembleClassifier the way the fixtures are written: x < threshold goes
 * to the left child (BRANCH_LT), missing values follow default_left, covers (sum of hessians) in nodes_hitrates.
 */
function xgboostToOnnx(json: XgboostModel): Uint8Array {
  const { onnx } = onnxProto;
  const { base_score, num_feature } = json.learner.learner_model_param;
  const features = Number(num_feature);
  const base = Number(base_score);
  const ints: Record<string, number[]> = {
    nodes_treeids: [],
    nodes_nodeids: [],
    nodes_featureids: [],
    nodes_truenodeids: [],
    nodes_falsenodeids: [],
    nodes_missing_value_tracks_true: [],
    class_treeids: [],
    class_nodeids: [],
    class_ids: [],
  };
  const floats: Record<string, number[]> = { nodes_values: [], nodes_hitrates: [], class_weights: [] };
  const modes: string[] = [];
  json.learner.gradient_booster.model.trees.forEach((tree, t) => {
    tree.left_children.forEach((left, n) => {
      const leaf = left === -1;
      ints.nodes_treeids!.push(t);
      ints.nodes_nodeids!.push(n);
      ints.nodes_featureids!.push(leaf ? 0 : tree.split_indices[n]!);
      ints.nodes_truenodeids!.push(leaf ? 0 : left);
      ints.nodes_falsenodeids!.push(leaf ? 0 : tree.right_children[n]!);
      ints.nodes_missing_value_tracks_true!.push(leaf ? 0 : tree.default_left[n]!);
      floats.nodes_values!.push(leaf ? 0 : tree.split_conditions[n]!);
      floats.nodes_hitrates!.push(tree.sum_hessian[n]!);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LT');
      if (leaf) {
        ints.class_treeids!.push(t);
        ints.class_nodeids!.push(n);
        ints.class_ids!.push(0);
        floats.class_weights!.push(tree.split_conditions[n]!);
      }
    });
  });
  const { AttributeType } = onnx.AttributeProto;
  const attribute = [
    ...Object.entries(ints).map(([name, values]) => ({ name, type: AttributeType.INTS, ints: values })),
    ...Object.entries(floats).map(([name, values]) => ({ name, type: AttributeType.FLOATS, floats: values })),
    { name: 'nodes_modes', type: AttributeType.STRINGS, strings: modes.map((mode) => Buffer.from(mode)) },
    { name: 'classlabels_int64s', type: AttributeType.INTS, ints: [0, 1] },
    { name: 'base_values', type: AttributeType.FLOATS, floats: [Math.log(base / (1 - base))] },
    { name: 'post_transform', type: AttributeType.STRING, s: Buffer.from('LOGISTIC') },
  ];
  const tensor = (name: string, elemType: number, dims: onnxProto.onnx.TensorShapeProto.IDimension[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims } } },
  });
  const outputs = [
    tensor('label', 7, [{ dimParam: 'N' }]),
    tensor('probabilities', 1, [{ dimParam: 'N' }, { dimValue: 2 }]),
  ];
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'scoring-desk bench:shap',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    metadataProps: [
      { key: 'feature_names', value: JSON.stringify(Array.from({ length: features }, (_, i) => `f${i}`)) },
    ],
    graph: {
      name: 'xgboost',
      input: [tensor('input', 1, [{ dimParam: 'N' }, { dimValue: features }])],
      output: outputs,
      node: [
        {
          opType: 'TreeEnsembleClassifier',
          domain: 'ai.onnx.ml',
          input: ['input'],
          output: ['label', 'probabilities'],
          attribute,
        },
      ],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lossguide-like random trees (a random leaf split until 31 leaves), in XGBoost's JSON layout. */
function randomXgboostModel(seed: number): XgboostModel {
  const random = prng(seed);
  const trees = Array.from({ length: TREES }, (): XgboostTree => {
    const tree: XgboostTree = {
      left_children: [-1],
      right_children: [-1],
      split_indices: [0],
      split_conditions: [Math.fround(random() * 0.2 - 0.1)],
      default_left: [0],
      sum_hessian: [1000],
    };
    const leaves = [0];
    while (leaves.length < LEAVES) {
      const n = leaves.splice(Math.floor(random() * leaves.length), 1)[0]!;
      const share = 0.1 + 0.8 * random();
      for (const part of [share, 1 - share]) {
        leaves.push(tree.left_children.length);
        tree.left_children.push(-1);
        tree.right_children.push(-1);
        tree.split_indices.push(0);
        tree.split_conditions.push(Math.fround(random() * 0.2 - 0.1));
        tree.default_left.push(0);
        tree.sum_hessian.push(Math.fround(tree.sum_hessian[n]! * part));
      }
      tree.left_children[n] = leaves[leaves.length - 2]!;
      tree.right_children[n] = leaves[leaves.length - 1]!;
      tree.split_indices[n] = Math.floor(random() * FEATURES);
      tree.split_conditions[n] = Math.fround(random() * 2 - 1);
      tree.default_left[n] = random() < 0.5 ? 1 : 0;
    }
    return tree;
  });
  return {
    learner: {
      learner_model_param: { base_score: '0.5', num_feature: String(FEATURES) },
      gradient_booster: { model: { trees } },
    },
  };
}

function randomInputs(seed: number, count: number): number[][] {
  const random = prng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: FEATURES }, () => (random() < 0.05 ? NaN : (random() - 0.5) * 3)),
  );
}
