import type { BinnedMatrix } from './binning.ts';
import { boosterParams, type BoosterParams } from './boosterParams.ts';
import { checkLabels } from './featureMatrix.ts';
import { HistogramEngine } from './histogramEngine.ts';
import { rocAuc } from './metrics.ts';
import { Prng } from './prng.ts';
import { TreeGrower } from './treeGrower.ts';
import type { Tree, TreeModel } from './treeModel.ts';

export interface RoundInfo {
  /** Rounds done so far. */
  round: number;
  validAuc: number | undefined;
  /** Rounds of the best model so far (the trees early stopping would keep). */
  bestRounds: number;
}

export interface TrainOptions {
  params?: Partial<BoosterParams>;
  /** Rows of the binned matrix to train on (ascending); all rows by default. */
  trainRows?: Int32Array;
  /** Rows to evaluate AUC on after each round, for early stopping; none by default. */
  validRows?: Int32Array;
  /** An engine to reuse (several folds on one matrix); else one is started and closed here. */
  engine?: HistogramEngine;
  threads?: number;
  onRound?: (info: RoundInfo) => void;
}

export interface BoosterTraining {
  model: TreeModel;
  params: BoosterParams;
  /** Rounds kept: the best validation AUC's with early stopping, else all rounds grown. */
  bestRounds: number;
  /** Validation AUC after each round grown. */
  validAuc: number[];
  /** Validation margins of the kept model, aligned with validRows. */
  validMargins: Float64Array | undefined;
}

/**
 * Gradient boosting of binary log-loss on a binned matrix (labels 1 = positive). Starts from the log-odds of the
 * (weighted) positive rate, as LightGBM's boost_from_average; with validation rows, stops once their AUC has not
 * improved for early_stopping_rounds rounds and keeps the best round's trees. Stops early as well when a tree
 * finds no split. Deterministic for a seed, whatever the number of threads.
 */
export async function trainBooster(
  data: BinnedMatrix,
  labels: ArrayLike<number>,
  options: TrainOptions = {},
): Promise<BoosterTraining> {
  const params = boosterParams(options.params);
  checkLabels(labels, data.rows);
  const y = Uint8Array.from(labels);
  const trainRows = options.trainRows ?? Int32Array.from({ length: data.rows }, (_, i) => i);
  const validRows = options.validRows;
  checkRows(trainRows, data.rows, 'training');
  if (validRows) checkRows(validRows, data.rows, 'validation');

  const positiveWeight = params.scalePosWeight;
  let weightedPositives = 0;
  let weights = 0;
  for (const r of trainRows) {
    const w = y[r] ? positiveWeight : 1;
    weightedPositives += y[r]! * w;
    weights += w;
  }
  const rate = weightedPositives / weights;
  if (!(rate > 0 && rate < 1)) throw new Error('the training rows must hold both classes');
  const validLabels = validRows ? Uint8Array.from(validRows, (r) => y[r]!) : undefined;
  if (validLabels && !(validLabels.includes(0) && validLabels.includes(1))) {
    throw new Error('the validation rows must hold both classes');
  }

  const engine =
    options.engine ??
    (await HistogramEngine.start(data, { threads: options.threads, slots: params.numLeaves }));
  try {
    const baseMargin = Math.fround(Math.log(rate / (1 - rate)));
    const grower = new TreeGrower(engine, data, params);
    const { order, orderedGh, active } = engine.shared;
    const prng = new Prng(params.seed);
    const featureIds = Int32Array.from({ length: data.featureNames.length }, (_, f) => f);
    const activeCount = Math.max(1, Math.round(params.colsampleByTree * featureIds.length));
    const bagSize = Math.max(1, Math.round(params.subsample * trainRows.length));
    const bagging = params.subsampleFreq > 0 && bagSize < trainRows.length;
    const inBag = new Uint8Array(data.rows);
    let bag = trainRows;

    const scores = new Float64Array(data.rows).fill(baseMargin);
    const validation =
      validRows && validLabels
        ? {
            rows: validRows,
            labels: validLabels,
            scores: new Float64Array(validRows.length).fill(baseMargin),
          }
        : undefined;
    let bestMargins = validation?.scores.slice();
    const trees: Tree[] = [];
    const validAuc: number[] = [];
    let bestRounds = 0;
    let bestAuc = -Infinity;

    /** Scores the validation rows with the newest tree; false once early stopping ends the training. */
    const validate = (v: NonNullable<typeof validation>): boolean => {
      const tree = trees[trees.length - 1]!;
      for (let i = 0; i < v.rows.length; i++) {
        v.scores[i] = v.scores[i]! + tree.value[binnedLeaf(tree, data, v.rows[i]!)]!;
      }
      const auc = rocAuc(v.scores, v.labels);
      validAuc.push(auc);
      if (auc > bestAuc) {
        bestAuc = auc;
        bestRounds = trees.length;
        bestMargins = v.scores.slice();
      }
      options.onRound?.({ round: trees.length, validAuc: auc, bestRounds });
      return trees.length - bestRounds < params.earlyStoppingRounds;
    };
    // The newest tree is validated while the workers build the next tree's root histogram; when early stopping
    // ends the training there, that next tree is dropped.
    let unvalidated = false;
    let going = true;
    for (let round = 0; round < params.numRounds; round++) {
      drawFeatures(prng, featureIds, activeCount, active);
      if (bagging && round % params.subsampleFreq === 0) {
        bag = drawBag(prng, trainRows, bagSize);
        inBag.fill(0);
        for (const r of bag) inBag[r] = 1;
      }
      order.set(bag);
      for (let i = 0; i < bag.length; i++) {
        const r = bag[i]!;
        const p = 1 / (1 + Math.exp(-scores[r]!));
        const w = y[r] ? positiveWeight : 1;
        orderedGh[2 * i] = (p - y[r]!) * w;
        orderedGh[2 * i + 1] = Math.max(p * (1 - p), 1e-16) * w;
      }
      const { tree, leafRanges } = await grower.grow(bag.length, activeCount, () => {
        if (unvalidated && validation) going = validate(validation);
        unvalidated = false;
      });
      if (!going || tree.feature.length === 1) break;
      trees.push(tree);
      for (let l = 0; l < leafRanges.length; l += 3) {
        const value = tree.value[leafRanges[l]!]!;
        for (let i = leafRanges[l + 1]!; i < leafRanges[l + 2]!; i++) {
          const r = order[i]!;
          scores[r] = scores[r]! + value;
        }
      }
      if (bagging) {
        for (const r of trainRows) {
          if (!inBag[r]) scores[r] = scores[r]! + tree.value[binnedLeaf(tree, data, r)]!;
        }
      }
      if (validation) {
        unvalidated = true;
      } else {
        bestRounds = trees.length;
        options.onRound?.({ round: trees.length, validAuc: undefined, bestRounds });
      }
    }
    if (unvalidated && validation) validate(validation);
    trees.length = bestRounds;
    return {
      model: { featureNames: data.featureNames, baseMargin, trees },
      params,
      bestRounds,
      validAuc,
      validMargins: bestMargins,
    };
  } finally {
    if (!options.engine) await engine.close();
  }
}

/** No tree could split the training rows, so the model would be a constant. */
export class NoSplitError extends Error {
  override name = 'NoSplitError';

  constructor(
    message: string,
    /** The hyperparameters that forbid every split. */
    readonly limits: readonly (keyof BoosterParams)[],
    /** Hessian sum of the rows at the first round, which min_child_weight is measured against. */
    readonly hessian: number,
  ) {
    super(message);
  }
}

/**
 * Why the first tree on `rows` training rows (`positives` of them defaults) cannot split: every row starts at the
 * base rate p, so the root's hessian is p(1 − p) a row (positives weighted by scale_pos_weight).
 */
export function noSplitError(
  params: BoosterParams,
  rows: number,
  positives: number,
  what: string,
): NoSplitError {
  const w = params.scalePosWeight;
  const weights = rows - positives + w * positives;
  const p = (w * positives) / weights;
  const hessian = p * (1 - p) * weights;
  const intro = `no tree can split the ${rows} training rows of ${what}`;
  const fmt = (x: number) => String(Number(x.toPrecision(3)));
  if (rows < 2 * params.minDataInLeaf) {
    return new NoSplitError(
      `${intro}: a split needs 2 × minDataInLeaf = ${2 * params.minDataInLeaf} rows`,
      ['minDataInLeaf'],
      hessian,
    );
  }
  if (hessian < 2 * params.minChildWeight) {
    return new NoSplitError(
      `${intro}: their hessian sum is ${fmt(hessian)} (p(1 − p) = ${fmt(p * (1 - p))} a row at a default ` +
        `rate of ${fmt(100 * p)} %) and each side of a split needs minChildWeight ${fmt(params.minChildWeight)}; ` +
        `it must be below ${fmt(hessian / 2)} for a first split to exist`,
      ['minChildWeight'],
      hessian,
    );
  }
  return new NoSplitError(
    `${intro}: no split leaves minChildWeight ${fmt(params.minChildWeight)} of hessian (of ${fmt(hessian)}) ` +
      `and minDataInLeaf ${params.minDataInLeaf} rows on each side with a gain above minSplitGain ` +
      fmt(params.minSplitGain),
    ['minChildWeight', 'minDataInLeaf', 'minSplitGain'],
    hessian,
  );
}

/** The leaf a row of the binned matrix reaches. */
function binnedLeaf(tree: Tree, data: BinnedMatrix, row: number): number {
  const { bins, rows, valueBins } = data;
  let n = 0;
  for (;;) {
    const f = tree.feature[n]!;
    if (f < 0) return n;
    const b = bins[f * rows + row]!;
    const goLeft = b === valueBins[f] ? tree.defaultLeft[n] === 1 : b <= tree.bin[n]!;
    n = goLeft ? tree.left[n]! : tree.right[n]!;
  }
}

/** Draws `count` features without replacement into active[0..count), ascending. */
function drawFeatures(prng: Prng, ids: Int32Array, count: number, active: Int32Array): void {
  for (let i = 0; i < count; i++) {
    const j = i + prng.nextInt(ids.length - i);
    const t = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = t;
  }
  active.set(ids.subarray(0, count));
  active.subarray(0, count).sort();
}

/** Draws a bag of `size` training rows without replacement, ascending (cache-friendly column reads). */
function drawBag(prng: Prng, trainRows: Int32Array, size: number): Int32Array {
  const rows = trainRows.slice();
  for (let i = 0; i < size; i++) {
    const j = i + prng.nextInt(rows.length - i);
    const t = rows[i]!;
    rows[i] = rows[j]!;
    rows[j] = t;
  }
  return rows.subarray(0, size).sort();
}

function checkRows(rows: Int32Array, total: number, what: string): void {
  if (rows.length === 0) throw new Error(`no ${what} rows`);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < total) || (i > 0 && r <= rows[i - 1]!)) {
      throw new Error(`the ${what} rows must be ascending row numbers below ${total} (entry ${i} is ${r})`);
    }
  }
}
