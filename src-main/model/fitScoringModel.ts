import { binMatrix } from './binning.ts';
import { boosterParams, type BoosterParams } from './boosterParams.ts';
import { crossValidate, type FoldResult } from './crossValidation.ts';
import { costOptimalThreshold, DEFAULT_COSTS, type CostOptimum, type CostWeights } from './decisionCost.ts';
import { checkLabels, type FeatureMatrix } from './featureMatrix.ts';
import { HistogramEngine } from './histogramEngine.ts';
import { featureImportance, type FeatureImportance } from './featureImportance.ts';
import {
  brierScore,
  logLoss,
  maxCalibrationGap,
  reliabilityTable,
  rocAuc,
  type ReliabilityBin,
} from './metrics.ts';
import { fitPlatt, IDENTITY_SCALING, type PlattScaling } from './plattCalibration.ts';
import { noSplitError, trainBooster } from './trainBooster.ts';
import { trainingFingerprint } from './trainingFingerprint.ts';
import { affineMarginModel, sigmoid, type TreeModel } from './treeModel.ts';

/** Largest gap allowed between predicted and observed default rate in a decile (the 2 points). */
export const CALIBRATION_TOLERANCE = 0.02;

export interface FitOptions {
  params?: Partial<BoosterParams>;
  folds?: number;
  /** Seed of the folds; the booster's is params.seed (both default to 1). */
  seed?: number;
  costs?: CostWeights;
  /**
   * 'auto': Platt scaling when scale_pos_weight reweights the classes or when the raw out-of-fold probabilities
   * miss the observed rate by more than CALIBRATION_TOLERANCE in a decile (early stopping by AUC can stop before
   * the probabilities are sharp), none otherwise.
   */
  calibration?: 'auto' | 'platt' | 'none';
  threads?: number;
  onProgress?: (progress: FitProgress) => void;
}

export interface FitProgress {
  stage: 'binning' | 'cross-validation' | 'final';
  /** Fold being trained (cross-validation), from 0. */
  fold?: number;
  folds: number;
  /** Rounds done in the current training. */
  round: number;
  /** Upper bound on its rounds (the final training's are known, the folds' end by early stopping). */
  maxRounds: number;
  /** Cross-validation: the fold's best round so far (by validation AUC). */
  bestRounds?: number;
  validAuc?: number;
}

export interface FitReport {
  rows: number;
  positives: number;
  features: number;
  fingerprint: string;
  params: BoosterParams;
  folds: FoldResult[];
  /** AUC of all out-of-fold predictions together, and the spread of the per-fold AUCs. */
  oofAuc: number;
  foldAucMean: number;
  foldAucStd: number;
  calibration: PlattScaling;
  /** Largest decile gap of the uncalibrated out-of-fold probabilities. */
  rawCalibrationGap: number;
  /** On the out-of-fold probabilities as the model displays them (calibrated). */
  logLoss: number;
  brier: number;
  reliability: ReliabilityBin[];
  maxCalibrationGap: number;
  calibrated: boolean;
  costs: CostWeights;
  decision: CostOptimum;
  /** Trees of the final model: the folds' mean early-stopping round. */
  finalRounds: number;
  importance: FeatureImportance[];
  trainMs: number;
}

export interface ScoringFit {
  /** The final model, trained on all rows, calibration folded in. */
  model: TreeModel;
  report: FitReport;
  /** Calibrated out-of-fold probabilities and the fold of each row, for further reports (fairness, ...). */
  oofProbabilities: Float64Array;
  foldOf: Uint8Array;
}

/**
 * The whole training protocol: bin once, stratified K-fold cross-validation (out-of-fold predictions, AUC),
 * calibration on out-of-fold margins when needed, the cost-minimising threshold, then the final model on all
 * rows with the cross-validated number of trees, calibration folded into its leaves.
 */
export async function fitScoringModel(
  matrix: FeatureMatrix,
  labels: ArrayLike<number>,
  options: FitOptions = {},
): Promise<ScoringFit> {
  const t0 = performance.now();
  checkLabels(labels, matrix.rows);
  const params = boosterParams(options.params);
  const folds = options.folds ?? 5;
  const costs = options.costs ?? DEFAULT_COSTS;
  const progress = options.onProgress;
  progress?.({ stage: 'binning', folds, round: 0, maxRounds: params.numRounds });
  const data = binMatrix(matrix);
  const engine = await HistogramEngine.start(data, { threads: options.threads, slots: params.numLeaves });
  try {
    const cv = await crossValidate(data, labels, {
      params,
      folds,
      seed: options.seed ?? params.seed,
      engine,
      onRound: (fold, info) =>
        progress?.({
          stage: 'cross-validation',
          fold,
          folds,
          round: info.round,
          maxRounds: Math.min(params.numRounds, info.bestRounds + params.earlyStoppingRounds),
          bestRounds: info.bestRounds,
          validAuc: info.validAuc,
        }),
    });
    // A fold without a tree would predict a constant: the hyperparameters do not suit this little data.
    for (const fold of cv.folds) {
      if (fold.bestRounds === 0) {
        const positives = countPositives(labels, cv.foldOf, fold.fold);
        throw noSplitError(params, fold.trainRows, positives, `fold ${fold.fold + 1} of ${folds}`);
      }
    }
    const mode = options.calibration ?? 'auto';
    const raw = cv.oofMargins.map(sigmoid);
    const rawGap = maxCalibrationGap(reliabilityTable(raw, labels));
    const needed = params.scalePosWeight !== 1 || rawGap > CALIBRATION_TOLERANCE;
    const platt =
      mode === 'platt' || (mode === 'auto' && needed) ? fitPlatt(cv.oofMargins, labels) : IDENTITY_SCALING;
    const oofProbabilities = cv.oofMargins.map((m) => sigmoid(platt.a * m + platt.b));
    const reliability = reliabilityTable(oofProbabilities, labels);
    const gap = maxCalibrationGap(reliability);
    const finalRounds = Math.max(
      1,
      Math.round(cv.folds.reduce((s, f) => s + f.bestRounds, 0) / cv.folds.length),
    );
    const final = await trainBooster(data, labels, {
      params: { ...params, numRounds: finalRounds },
      engine,
      onRound: (info) => progress?.({ stage: 'final', folds, round: info.round, maxRounds: finalRounds }),
    });
    let positives = 0;
    for (let i = 0; i < labels.length; i++) positives += labels[i]!;
    if (final.model.trees.length === 0)
      throw noSplitError(params, matrix.rows, positives, 'the final model (all labelled rows)');
    const model = affineMarginModel(final.model, platt.a, platt.b);
    const foldAucs = cv.folds.map((f) => f.validAuc);
    const mean = foldAucs.reduce((s, a) => s + a, 0) / foldAucs.length;
    return {
      model,
      oofProbabilities,
      foldOf: cv.foldOf,
      report: {
        rows: matrix.rows,
        positives,
        features: matrix.featureNames.length,
        fingerprint: trainingFingerprint(matrix, labels),
        params,
        folds: cv.folds,
        oofAuc: rocAuc(cv.oofMargins, labels),
        foldAucMean: mean,
        foldAucStd: Math.sqrt(
          foldAucs.reduce((s, a) => s + (a - mean) ** 2, 0) / Math.max(1, foldAucs.length - 1),
        ),
        calibration: platt,
        rawCalibrationGap: rawGap,
        logLoss: logLoss(oofProbabilities, labels),
        brier: brierScore(oofProbabilities, labels),
        reliability,
        maxCalibrationGap: gap,
        calibrated: gap <= CALIBRATION_TOLERANCE,
        costs,
        decision: costOptimalThreshold(oofProbabilities, labels, costs),
        finalRounds,
        importance: featureImportance(model),
        trainMs: performance.now() - t0,
      },
    };
  } finally {
    await engine.close();
  }
}

/** Defaults among the training rows of `fold` (every row of another fold). */
function countPositives(labels: ArrayLike<number>, foldOf: Uint8Array, fold: number): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (foldOf[i] !== fold) positives += labels[i]!;
  return positives;
}
