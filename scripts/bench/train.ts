/**
 * Training benchmark: `npm run bench:train -- [--rows 100000] [--cols 800] [--folds 5] [--seed 1] [--threads 2]
 * [--db <client base>] [--rounds 10000] [--no-xgboost] [--keep]`.
 * Cross-validates our trainer with the kernel's hyperparameters on a synthetic matrix shaped like the real one
 * (8 % positives, blocks of history features missing together, one-hot columns, skewed amounts), or on the
 * feature matrix of a client base (`--db`, labelled rows), then XGBoost `hist` (Debian python3-xgboost, run by
 * /usr/bin/python3) with the same hyperparameters, folds, threads and early stopping, and prints both
 * out-of-fold AUCs, both times, the ratio and both peak memories.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openClientBase } from '../../src-main/data/clientBase.ts';
import { loadFeatureMatrix } from '../../src-main/features/store.ts';
import { binMatrix } from '../../src-main/model/binning.ts';
import { kernelParams, type BoosterParams } from '../../src-main/model/boosterParams.ts';
import { crossValidate } from '../../src-main/model/crossValidation.ts';
import { columnMajorFromRows, type FeatureMatrix } from '../../src-main/model/featureMatrix.ts';
import { stratifiedFolds } from '../../src-main/model/folds.ts';
import { HistogramEngine } from '../../src-main/model/histogramEngine.ts';
import { rocAuc } from '../../src-main/model/metrics.ts';
import { Prng } from '../../src-main/model/prng.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    cols: { type: 'string', default: '800' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: String(kernelParams.numRounds) },
    db: { type: 'string' },
    'no-xgboost': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const seed = Number(args.seed);
const threads = Number(args.threads);
const folds = Number(args.folds);
const params: BoosterParams = { ...kernelParams, numRounds: Number(args.rounds), seed };

/** A synthetic credit problem: latent risk factors seen through noisy, partly missing, partly discrete columns. */
function syntheticProblem(rows: number, cols: number): { matrix: FeatureMatrix; labels: Uint8Array } {
  const prng = new Prng(seed);
  const gauss = () =>
    Math.sqrt(-2 * Math.log(1 - prng.nextFloat())) * Math.cos(2 * Math.PI * prng.nextFloat());
  const factors = 6;
  const z = Array.from({ length: factors }, () => Float64Array.from({ length: rows }, gauss));
  // History blocks (bureau, previous applications, POS, instalments, credit cards) present for some clients only;
  // the application block (block 0) always is.
  const presence = [1, 0.86, 0.95, 0.94, 0.95, 0.29];
  const present = presence.map((share) =>
    Uint8Array.from({ length: rows }, () => (prng.nextFloat() < share ? 1 : 0)),
  );
  const margin = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cc = present[5]![r] ? 0.5 * z[5]![r]! : -0.1;
    margin[r] =
      1.1 * z[0]![r]! +
      0.6 * z[1]![r]! +
      0.5 * Math.abs(z[2]![r]!) +
      0.4 * z[3]![r]! * z[4]![r]! +
      cc +
      0.5 * gauss();
  }
  // The intercept that makes 8 % positives on average.
  let lo = -10;
  let hi = 5;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += 1 / (1 + Math.exp(-(margin[r]! + mid)));
    if (mean / rows > 0.08) hi = mid;
    else lo = mid;
  }
  const labels = Uint8Array.from(margin, (m) => (prng.nextFloat() < 1 / (1 + Math.exp(-(m + lo))) ? 1 : 0));

  const values = new Float32Array(rows * cols);
  const featureNames: string[] = [];
  for (let f = 0; f < cols; f++) {
    const block = f < cols * 0.3 ? 0 : 1 + (f % 5);
    const kind = ['amount', 'share', 'onehot', 'count', 'score'][prng.nextInt(5)]!;
    const factor = prng.nextInt(factors);
    const loading = prng.nextFloat() < 0.2 ? 0.4 + 0.55 * prng.nextFloat() : 0.05 + 0.25 * prng.nextFloat();
    const noise = Math.sqrt(1 - loading * loading);
    const missing =
      block === 0 ? (prng.nextFloat() < 0.3 ? 0.6 * prng.nextFloat() : 0) : 0.05 * prng.nextFloat();
    const prevalence = 0.02 + 0.3 * prng.nextFloat();
    featureNames.push(`B${block}_${kind.toUpperCase()}_${f}`);
    const base = f * rows;
    for (let r = 0; r < rows; r++) {
      if (!present[block]![r] || prng.nextFloat() < missing) {
        values[base + r] = NaN;
        continue;
      }
      const x = loading * z[factor]![r]! + noise * gauss();
      let v: number;
      if (kind === 'amount') v = Math.round(Math.exp(10 + 0.7 * x));
      else if (kind === 'share') v = Math.round(100 / (1 + Math.exp(-x))) / 100;
      else if (kind === 'onehot') v = x > 1.2 - 2 * prevalence ? 1 : 0;
      else if (kind === 'count') v = Math.max(0, Math.round(3 + 2 * x));
      else v = 1 / (1 + Math.exp(-x));
      values[base + r] = v;
    }
  }
  return { matrix: { rows, featureNames, values }, labels };
}

function featureBaseProblem(file: string): { matrix: FeatureMatrix; labels: Uint8Array } {
  const db = openClientBase(file, { readonly: true });
  try {
    const stored = loadFeatureMatrix(db);
    const labelled: number[] = [];
    stored.target.forEach((t, i) => {
      if (t === 0 || t === 1) labelled.push(i);
    });
    const matrix = columnMajorFromRows(stored.values, stored.names, { rows: labelled });
    return { matrix, labels: Uint8Array.from(labelled, (i) => stored.target[i]!) };
  } finally {
    db.close();
  }
}

const xgboostScript = String.raw`
import json, resource, sys, time
import numpy as np
import xgboost as xgb
meta = json.load(open(sys.argv[1]))
d, rows, cols = meta['dir'], meta['rows'], meta['cols']
X = np.fromfile(d + '/values.f32', dtype=np.float32).reshape(cols, rows).T
y = np.fromfile(d + '/labels.u8', dtype=np.uint8).astype(np.float32)
fold = np.fromfile(d + '/folds.u8', dtype=np.uint8)
p = meta['params']
params = {
    'objective': 'binary:logistic', 'eval_metric': 'auc', 'tree_method': 'hist', 'grow_policy': 'lossguide',
    'max_leaves': p['numLeaves'], 'max_depth': p['maxDepth'], 'eta': p['learningRate'],
    'colsample_bytree': p['colsampleByTree'], 'subsample': 1.0, 'alpha': p['regAlpha'], 'lambda': p['regLambda'],
    'gamma': p['minSplitGain'], 'min_child_weight': p['minChildWeight'], 'scale_pos_weight': p['scalePosWeight'],
    'max_bin': 256, 'nthread': meta['threads'], 'seed': p['seed'], 'verbosity': 0,
}
oof = np.zeros(rows)
folds = []
start = time.perf_counter()
usage0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = (usage0.ru_utime + usage0.ru_stime) * 1000
for k in range(int(fold.max()) + 1):
    t0 = time.perf_counter()
    train, valid = fold != k, fold == k
    dtrain = xgb.DMatrix(X[train], label=y[train], missing=np.nan, nthread=meta['threads'])
    dvalid = xgb.DMatrix(X[valid], label=y[valid], missing=np.nan, nthread=meta['threads'])
    matrix_s = time.perf_counter() - t0
    params['base_score'] = float(y[train].mean())
    booster = xgb.train(params, dtrain, num_boost_round=p['numRounds'], evals=[(dvalid, 'valid')],
                        early_stopping_rounds=p['earlyStoppingRounds'], verbose_eval=False)
    oof[valid] = booster.predict(dvalid, iteration_range=(0, booster.best_iteration + 1), output_margin=True)
    folds.append({'bestRounds': booster.best_iteration + 1, 'ms': (time.perf_counter() - t0) * 1000, 'matrixMs': matrix_s * 1000})
total_ms = (time.perf_counter() - start) * 1000
oof.astype(np.float64).tofile(d + '/xgb_oof.f64')
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({'version': xgb.__version__, 'ms': total_ms, 'folds': folds, 'cpuMs': (usage.ru_utime + usage.ru_stime) * 1000 - cpu0,
                  'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

const work = mkdtempSync(join(tmpdir(), 'bench-train-'));
const t0 = performance.now();
const { matrix, labels } = args.db
  ? featureBaseProblem(args.db)
  : syntheticProblem(Number(args.rows), Number(args.cols));
const positives = labels.reduce((s, y) => s + y, 0);
let missing = 0;
for (const v of matrix.values) if (v !== v) missing++;
console.log(
  `${args.db ? `Feature matrix of ${args.db}` : 'Synthetic matrix'}: ${matrix.rows} rows × ${matrix.featureNames.length} features, ` +
    `${((100 * positives) / matrix.rows).toFixed(2)} % positives, ${((100 * missing) / matrix.values.length).toFixed(1)} % missing ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
const foldOf = stratifiedFolds(labels, folds, seed);
const load = () =>
  `${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;
console.log(`load average at the start: ${load()}`);
console.log(
  `${folds} stratified folds, ${threads} threads, kernel hyperparameters, early stopping ${params.earlyStoppingRounds} rounds\n`,
);

const cpu0 = process.cpuUsage();
const tBin = performance.now();
const data = binMatrix(matrix);
const binMs = performance.now() - tBin;
const engine = await HistogramEngine.start(data, { threads, slots: params.numLeaves });
const tCv = performance.now();
const cv = await crossValidate(data, labels, { params, foldOf, engine });
const cvMs = performance.now() - tCv;
await engine.close();
const ourMs = binMs + cvMs;
const cpu = process.cpuUsage(cpu0);
const ourCpuMs = (cpu.user + cpu.system) / 1000;
const ourAuc = rocAuc(cv.oofMargins, labels);
const ourPeak = process.resourceUsage().maxRSS / 1024;
for (const f of cv.folds) {
  console.log(
    `  ours  fold ${f.fold}: ${f.bestRounds} trees, AUC ${f.validAuc.toFixed(4)}, ${(f.trainMs / 1000).toFixed(1)} s`,
  );
}

let xgb:
  | {
      version: string;
      ms: number;
      cpuMs: number;
      peakRssMiB: number;
      folds: { bestRounds: number; ms: number }[];
    }
  | undefined;
let xgbAuc = NaN;
if (!args['no-xgboost']) {
  writeFileSync(join(work, 'values.f32'), new Uint8Array(Float32Array.from(matrix.values).buffer));
  writeFileSync(join(work, 'labels.u8'), labels);
  writeFileSync(join(work, 'folds.u8'), foldOf);
  const meta = { dir: work, rows: matrix.rows, cols: matrix.featureNames.length, threads, params };
  writeFileSync(join(work, 'meta.json'), JSON.stringify(meta));
  writeFileSync(join(work, 'xgb.py'), xgboostScript);
  const run = spawnSync('/usr/bin/python3', [join(work, 'xgb.py'), join(work, 'meta.json')], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) {
    console.log(
      `\nXGBoost did not run (apt-get install -y --no-install-recommends python3-xgboost): ${run.stderr.trim().split('\n').at(-1)}`,
    );
  } else {
    xgb = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    const oof = new Float64Array(readFileSync(join(work, 'xgb_oof.f64')).buffer.slice(0));
    xgbAuc = rocAuc(oof, labels);
    xgb!.folds.forEach((f, k) =>
      console.log(`  xgb   fold ${k}: ${f.bestRounds} trees, ${(f.ms / 1000).toFixed(1)} s`),
    );
  }
}

const line = (name: string, auc: number, ms: number, peak: number, note: string) =>
  console.log(
    `${name.padEnd(22)}${auc.toFixed(4).padStart(10)}${(ms / 1000).toFixed(1).padStart(10)}${peak.toFixed(0).padStart(12)}  ${note}`,
  );
console.log(`\n${''.padEnd(22)}${'OOF AUC'.padStart(10)}${'time s'.padStart(10)}${'peak MiB'.padStart(12)}`);
line(
  'scoring-desk',
  ourAuc,
  ourMs,
  ourPeak,
  `binning ${(binMs / 1000).toFixed(1)} s + folds ${(cvMs / 1000).toFixed(1)} s`,
);
if (xgb) {
  line(`XGBoost ${xgb.version} hist`, xgbAuc, xgb.ms, xgb.peakRssMiB, 'DMatrix per fold included');
  console.log(
    `\nAUC difference (ours − XGBoost): ${(ourAuc - xgbAuc).toFixed(4)} (target ≥ −0.003); ` +
      `time ratio ours/XGBoost: ${(ourMs / xgb.ms).toFixed(2)} (target ≤ 1.5), CPU-time ratio ${(ourCpuMs / xgb.cpuMs).toFixed(2)}`,
  );
}
// Other processes slow both runs unevenly (OpenMP threads suffer most from sharing cores): say how busy it was.
console.log(`load average at the end: ${load()}`);
if (args.keep) console.log(`\nKept: ${work}`);
else rmSync(work, { recursive: true, force: true });
