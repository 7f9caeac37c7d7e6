import type { BinnedMatrix } from './binning.ts';
import { boosterParams, type BoosterParams } from './boosterParams.ts';
import { foldRows, stratifiedFolds } from './folds.ts';
import { HistogramEngine } from './histogramEngine.ts';
import { rocAuc } from './metrics.ts';
import { trainBooster, type RoundInfo } from './trainBooster.ts';

export interface FoldResult {
  fold: number;
  trainRows: number;
  validRows: number;
  /** Trees kept by early stopping. */
  bestRounds: number;
  validAuc: number;
  trainMs: number;
}

export interface CrossValidation {
  foldOf: Uint8Array;
  /** Out-of-fold margins: each row predicted by the model that did not see it. */
  oofMargins: Float64Array;
  folds: FoldResult[];
}

export interface CrossValidationOptions {
  params?: Partial<BoosterParams>;
  folds?: number;
  /** Seed of the fold assignment (the booster's is params.seed). */
  seed?: number;
  /** A fold per row, instead of a stratified draw (to compare with another library on the same folds). */
  foldOf?: Uint8Array;
  threads?: number;
  engine?: HistogramEngine;
  onRound?: (fold: number, info: RoundInfo) => void;
}

/**
 * Stratified K-fold cross-validation with early stopping on each validation fold (as the kernel does), giving
 * out-of-fold margins. One histogram engine serves all folds.
 */
export async function crossValidate(
  data: BinnedMatrix,
  labels: ArrayLike<number>,
  options: CrossValidationOptions = {},
): Promise<CrossValidation> {
  const params = boosterParams(options.params);
  const foldOf = options.foldOf ?? stratifiedFolds(labels, options.folds ?? 5, options.seed ?? params.seed);
  if (foldOf.length !== data.rows) throw new Error(`foldOf: ${foldOf.length} folds for ${data.rows} rows`);
  // A loop, not Math.max(...foldOf): spreading hundreds of thousands of rows overflows the call stack.
  let foldCount = 0;
  for (const fold of foldOf) foldCount = Math.max(foldCount, fold + 1);
  const engine =
    options.engine ??
    (await HistogramEngine.start(data, { threads: options.threads, slots: params.numLeaves }));
  try {
    const oofMargins = new Float64Array(data.rows);
    const folds: FoldResult[] = [];
    for (let k = 0; k < foldCount; k++) {
      const { train, valid } = foldRows(foldOf, k);
      const t0 = performance.now();
      const result = await trainBooster(data, labels, {
        params,
        trainRows: train,
        validRows: valid,
        engine,
        onRound: (info) => options.onRound?.(k, info),
      });
      valid.forEach((r, i) => (oofMargins[r] = result.validMargins![i]!));
      folds.push({
        fold: k,
        trainRows: train.length,
        validRows: valid.length,
        bestRounds: result.bestRounds,
        validAuc: rocAuc(
          result.validMargins!,
          Uint8Array.from(valid, (r) => labels[r]!),
        ),
        trainMs: performance.now() - t0,
      });
    }
    return { foldOf, oofMargins, folds };
  } finally {
    if (!options.engine) await engine.close();
  }
}
