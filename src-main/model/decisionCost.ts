import { checkPair } from './metrics.ts';

/**
 * The lender's decision from a probability of default: refuse when p ≥ threshold. A false negative (credit granted
 * to a future defaulter) costs C_FN, a false positive (a good client refused) C_FP; the threshold is the one that
 * minimises C_FN·FN + C_FP·FP on out-of-fold predictions (home-credit.md §3).
 */

export interface CostWeights {
  falseNegative: number;
  falsePositive: number;
}

export const DEFAULT_COSTS: Readonly<CostWeights> = Object.freeze({ falseNegative: 10, falsePositive: 1 });

export interface ConfusionMatrix {
  /** Defaulters refused. */
  truePositive: number;
  /** Good clients refused. */
  falsePositive: number;
  /** Good clients granted. */
  trueNegative: number;
  /** Defaulters granted. */
  falseNegative: number;
}

export interface CostPoint {
  threshold: number;
  falseNegative: number;
  falsePositive: number;
  cost: number;
}

export interface CostOptimum {
  threshold: number;
  /** Total cost at the threshold, and per client. */
  cost: number;
  costPerClient: number;
  confusion: ConfusionMatrix;
  curve: CostPoint[];
}

export function confusionAt(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): ConfusionMatrix {
  checkPair(probabilities, labels, 'confusionAt');
  const m: ConfusionMatrix = { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
  for (let i = 0; i < labels.length; i++) {
    const refused = probabilities[i]! >= threshold;
    if (labels[i] === 1) {
      if (refused) m.truePositive++;
      else m.falseNegative++;
    } else if (refused) m.falsePositive++;
    else m.trueNegative++;
  }
  return m;
}

/** Cost at every threshold i/steps, i = 0..steps (steps = 1000 by default: a grid of 0.001). */
export function costCurve(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  costs: CostWeights = DEFAULT_COSTS,
  steps = 1000,
): CostPoint[] {
  checkPair(probabilities, labels, 'costCurve');
  if (!(costs.falseNegative >= 0 && costs.falsePositive >= 0)) {
    throw new Error(`costs must be ≥ 0, got C_FN=${costs.falseNegative}, C_FP=${costs.falsePositive}`);
  }
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? pos : neg).push(probabilities[i]!);
  const positives = Float64Array.from(pos).sort();
  const negatives = Float64Array.from(neg).sort();
  const curve: CostPoint[] = [];
  let posBelow = 0;
  let negBelow = 0;
  for (let i = 0; i <= steps; i++) {
    const threshold = i / steps;
    while (posBelow < positives.length && positives[posBelow]! < threshold) posBelow++;
    while (negBelow < negatives.length && negatives[negBelow]! < threshold) negBelow++;
    const falseNegative = posBelow;
    const falsePositive = negatives.length - negBelow;
    curve.push({
      threshold,
      falseNegative,
      falsePositive,
      cost: costs.falseNegative * falseNegative + costs.falsePositive * falsePositive,
    });
  }
  return curve;
}

/** The grid threshold of least cost (the lowest one on ties), with its confusion matrix and the whole curve. */
export function costOptimalThreshold(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  costs: CostWeights = DEFAULT_COSTS,
  steps = 1000,
): CostOptimum {
  const curve = costCurve(probabilities, labels, costs, steps);
  let best = curve[0]!;
  for (const point of curve) if (point.cost < best.cost) best = point;
  return {
    threshold: best.threshold,
    cost: best.cost,
    costPerClient: best.cost / labels.length,
    confusion: confusionAt(probabilities, labels, best.threshold),
    curve,
  };
}
