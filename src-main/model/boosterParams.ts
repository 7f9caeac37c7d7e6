/**
 * Hyperparameters of the gradient-boosted trees, named as in LightGBM. The defaults are the Aguiar kernel's
 * (home-credit.md §1.8), whose `subsample` has no effect because `subsample_freq` is 0: bagging is off.
 */
export interface BoosterParams {
  learningRate: number;
  /** Most boosting rounds; early stopping usually ends sooner. */
  numRounds: number;
  numLeaves: number;
  /** Deepest level a leaf may sit at (root = 0); ≤ 0 means no limit. */
  maxDepth: number;
  /** Share of features drawn (without replacement) for each tree. */
  colsampleByTree: number;
  /** Share of training rows drawn for each bag; bagging happens only when subsampleFreq > 0. */
  subsample: number;
  /** A new bag every this many rounds; 0 turns bagging off. */
  subsampleFreq: number;
  /** L1 penalty on leaf values. */
  regAlpha: number;
  /** L2 penalty on leaf values. */
  regLambda: number;
  /** Smallest loss reduction a split must bring. */
  minSplitGain: number;
  /** Smallest hessian sum in a leaf. */
  minChildWeight: number;
  /** Fewest training rows in a leaf. */
  minDataInLeaf: number;
  /** Weight of positive rows in the gradients; reweighting distorts probabilities, so calibrate after it. */
  scalePosWeight: number;
  /** Stop when the validation AUC has not improved for this many rounds (with a validation set). */
  earlyStoppingRounds: number;
  seed: number;
}

export const kernelParams: Readonly<BoosterParams> = Object.freeze({
  learningRate: 0.02,
  numRounds: 10_000,
  numLeaves: 34,
  maxDepth: 8,
  colsampleByTree: 0.9497036,
  subsample: 0.8715623,
  subsampleFreq: 0,
  regAlpha: 0.041545473,
  regLambda: 0.0735294,
  minSplitGain: 0.0222415,
  minChildWeight: 39.3259775,
  minDataInLeaf: 20,
  scalePosWeight: 1,
  earlyStoppingRounds: 200,
  seed: 1,
});

/** The kernel's parameters overridden by `overrides`, checked; throws naming the first bad value. */
export function boosterParams(overrides: Partial<BoosterParams> = {}): BoosterParams {
  const p: BoosterParams = { ...kernelParams, ...overrides };
  const check = (ok: boolean, name: keyof BoosterParams, rule: string) => {
    if (!ok) throw new Error(`booster parameter ${name} must be ${rule}, got ${p[name]}`);
  };
  check(p.learningRate > 0 && p.learningRate <= 1, 'learningRate', 'in (0, 1]');
  check(Number.isInteger(p.numRounds) && p.numRounds >= 1, 'numRounds', 'an integer ≥ 1');
  check(Number.isInteger(p.numLeaves) && p.numLeaves >= 2, 'numLeaves', 'an integer ≥ 2');
  check(Number.isInteger(p.maxDepth), 'maxDepth', 'an integer');
  check(p.colsampleByTree > 0 && p.colsampleByTree <= 1, 'colsampleByTree', 'in (0, 1]');
  check(p.subsample > 0 && p.subsample <= 1, 'subsample', 'in (0, 1]');
  check(Number.isInteger(p.subsampleFreq) && p.subsampleFreq >= 0, 'subsampleFreq', 'an integer ≥ 0');
  check(p.regAlpha >= 0, 'regAlpha', '≥ 0');
  check(p.regLambda >= 0, 'regLambda', '≥ 0');
  check(p.minSplitGain >= 0, 'minSplitGain', '≥ 0');
  check(p.minChildWeight >= 0, 'minChildWeight', '≥ 0');
  check(Number.isInteger(p.minDataInLeaf) && p.minDataInLeaf >= 1, 'minDataInLeaf', 'an integer ≥ 1');
  check(p.scalePosWeight > 0, 'scalePosWeight', '> 0');
  check(
    Number.isInteger(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 1,
    'earlyStoppingRounds',
    'an integer ≥ 1',
  );
  check(Number.isInteger(p.seed), 'seed', 'an integer');
  return p;
}
