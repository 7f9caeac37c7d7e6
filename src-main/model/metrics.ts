/**
 * Quality measures of predicted probabilities against binary labels (1 = default).
 */

/**
 * Area under the ROC curve, exact: the share of (positive, negative) pairs ranked right, a tie counting one
 * half. Sorting each class apart and merging keeps it O(n log n) with native typed-array sorts, fast enough to
 * evaluate every boosting round. NaN when a class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`rocAuc: ${n} scores for ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s !== s) throw new Error(`rocAuc: score ${i} is NaN`);
    if (labels[i] === 1) pos[p++] = s;
    else neg[q++] = s;
  }
  pos.sort();
  neg.sort();
  let below = 0;
  let pairs = 0;
  for (let i = 0; i < positives;) {
    const s = pos[i]!;
    let j = i;
    while (j < positives && pos[j] === s) j++;
    while (below < negatives && neg[below]! < s) below++;
    let tied = below;
    while (tied < negatives && neg[tied] === s) tied++;
    pairs += (j - i) * (below + (tied - below) / 2);
    i = j;
  }
  return pairs / (positives * negatives);
}

const EPSILON = 1e-15;

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does. */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair(probabilities, labels, 'logLoss');
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/** Mean squared difference between probability and outcome. */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair(probabilities, labels, 'brierScore');
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / labels.length;
}

export interface ReliabilityBin {
  count: number;
  /** Lowest and highest predicted probability in the bin. */
  from: number;
  to: number;
  meanPredicted: number;
  observedRate: number;
}

/**
 * Reliability table: rows sorted by predicted probability and cut into `bins` groups of (nearly) equal size, with
 * the mean prediction and the observed rate of each. A calibrated model has the two close in every group.
 */
export function reliabilityTable(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  checkPair(probabilities, labels, 'reliabilityTable');
  const n = labels.length;
  if (n < bins) throw new Error(`reliabilityTable: ${n} rows cannot fill ${bins} bins`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    let predicted = 0;
    let observed = 0;
    for (let i = start; i < end; i++) {
      predicted += probabilities[order[i]!]!;
      observed += labels[order[i]!]!;
    }
    table.push({
      count: end - start,
      from: probabilities[order[start]!]!,
      to: probabilities[order[end - 1]!]!,
      meanPredicted: predicted / (end - start),
      observedRate: observed / (end - start),
    });
  }
  return table;
}

/** Largest |mean predicted − observed rate| over a reliability table. */
export function maxCalibrationGap(table: readonly ReliabilityBin[]): number {
  return Math.max(...table.map((b) => Math.abs(b.meanPredicted - b.observedRate)));
}

export function checkPair(values: ArrayLike<number>, labels: ArrayLike<number>, what: string): void {
  if (values.length !== labels.length) {
    throw new Error(`${what}: ${values.length} predictions for ${labels.length} labels`);
  }
  if (labels.length === 0) throw new Error(`${what}: no rows`);
}
