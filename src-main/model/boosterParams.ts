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

/** What a hyperparameter must be: `holds` its test, `rule` the words for a message. */
export interface ParamRule {
  holds: (value: number) => boolean;
  rule: string;
}

const fraction: ParamRule = { holds: (x) => x > 0 && x <= 1, rule: 'in (0, 1]' };
const nonNegative: ParamRule = { holds: (x) => x >= 0, rule: '≥ 0' };
const atLeastOne: ParamRule = { holds: (x) => Number.isInteger(x) && x >= 1, rule: 'an integer ≥ 1' };
const integer: ParamRule = { holds: (x) => Number.isInteger(x), rule: 'an integer' };

/** The valid values of each hyperparameter, shared by boosterParams and the command line's options. */
export const paramRules: Readonly<Record<keyof BoosterParams, ParamRule>> = {
  learningRate: fraction,
  numRounds: atLeastOne,
  numLeaves: { holds: (x) => Number.isInteger(x) && x >= 2, rule: 'an integer ≥ 2' },
  maxDepth: integer,
  colsampleByTree: fraction,
  subsample: fraction,
  subsampleFreq: { holds: (x) => Number.isInteger(x) && x >= 0, rule: 'an integer ≥ 0' },
  regAlpha: nonNegative,
  regLambda: nonNegative,
  minSplitGain: nonNegative,
  minChildWeight: nonNegative,
  minDataInLeaf: atLeastOne,
  scalePosWeight: { holds: (x) => x > 0, rule: '> 0' },
  earlyStoppingRounds: atLeastOne,
  seed: integer,
};

/** The kernel's parameters overridden by `overrides`, checked; throws naming the first bad value. */
export function boosterParams(overrides: Partial<BoosterParams> = {}): BoosterParams {
  const p: BoosterParams = { ...kernelParams, ...overrides };
  for (const name of Object.keys(paramRules) as (keyof BoosterParams)[]) {
    const { holds, rule } = paramRules[name];
    if (!(Number.isFinite(p[name]) && holds(p[name])))
      throw new Error(`booster parameter ${name} must be ${rule}, got ${p[name]}`);
  }
  return p;
}
