import type { HistogramKernel } from './kernelMemory.ts';

/**
 * The numerical core of histogram boosting, shared by the main thread and the histogram workers: building one
 * feature's gradient/hessian/count histogram over a leaf's rows, and finding that feature's best split.
 * (Features dominated by one bin are built another way: see rowLists.ts.)
 * A leaf histogram stores, for each bin, [gradient sum, hessian sum, row count].
 */

export const HIST_STRIDE = 3;
/** A split candidate: [gain, threshold bin, missing goes left (0/1), left gradient, left hessian, left count]. */
export const SPLIT_STRIDE = 6;

/**
 * A leaf whose histogram is being built: its rows order[begin..end), their gradients in orderedGh (same order), and
 * where the histogram goes: from value offset `base` of `hist`, feature f's valueBins[f] + 1 bins (the last for
 * missing values) at bin histOffsets[f].
 */
export interface LeafBuild {
  order: Int32Array;
  orderedGh: Float64Array;
  begin: number;
  end: number;
  hist: Float64Array;
  base: number;
  histOffsets: Int32Array;
  valueBins: Int32Array;
}

export interface SplitRules {
  regAlpha: number;
  regLambda: number;
  minChildWeight: number;
  minDataInLeaf: number;
}

/** L1 soft-thresholding of a gradient sum, as in XGBoost and LightGBM. */
export function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Optimal leaf value −T(G) / (H + λ), before the learning rate. */
export function leafValue(g: number, h: number, alpha: number, lambda: number): number {
  const denominator = h + lambda;
  return denominator > 0 ? -thresholdL1(g, alpha) / denominator : 0;
}

/**
 * Adds the rows `order[begin..end)` of one feature column into `hist` at bin offset `off` (already zeroed), with
 * the WebAssembly kernel: every array is in the kernel's memory (see kernelMemory.ts).
 * `orderedGh` holds the rows' gradient and hessian in the same order, so they are read sequentially.
 * `scratch` (at least binCount × HIST_STRIDE values) is a working histogram for every other row: consecutive rows
 * often fall in the same bin, and alternating between two histograms lets their additions overlap instead of
 * waiting on each other.
 */
export function buildFeatureHistogram(
  kernel: HistogramKernel,
  bins: Uint8Array,
  columnStart: number,
  order: Int32Array,
  orderedGh: Float64Array,
  begin: number,
  end: number,
  hist: Float64Array,
  off: number,
  binCount: number,
  scratch: Float64Array,
): void {
  const width = binCount * HIST_STRIDE;
  const column = bins.byteOffset + columnStart;
  const target = hist.byteOffset + off * Float64Array.BYTES_PER_ELEMENT;
  if (end - begin < 2 * width) {
    // Few rows for many bins: clearing and merging a working histogram would cost more than it saves.
    kernel.accumulate(column, order.byteOffset, orderedGh.byteOffset, begin, end, target);
    return;
  }
  scratch.fill(0, 0, width);
  const quadEnd = begin + ((end - begin) & ~3);
  kernel.accumulateInTwo(
    column,
    order.byteOffset,
    orderedGh.byteOffset,
    begin,
    quadEnd,
    target,
    scratch.byteOffset,
  );
  kernel.accumulate(column, order.byteOffset, orderedGh.byteOffset, quadEnd, end, target);
  kernel.addInto(target, scratch.byteOffset, width);
}

/**
 * A histogram built without one of its bins gets that bin from the leaf's totals: what they leave once every
 * other bin is counted (the skipped bin must hold zeros).
 */
export function fillSkippedBin(
  hist: Float64Array,
  off: number,
  width: number,
  skipBin: number,
  totalG: number,
  totalH: number,
  totalC: number,
): void {
  let g = totalG;
  let h = totalH;
  let c = totalC;
  for (let j = off; j < off + width; j += HIST_STRIDE) {
    g -= hist[j]!;
    h -= hist[j + 1]!;
    c -= hist[j + 2]!;
  }
  const j = off + skipBin * HIST_STRIDE;
  hist[j] = g;
  hist[j + 1] = h;
  hist[j + 2] = c;
}

/**
 * Best split of one feature for a leaf with totals (G, H, C), written at `out[o..o+SPLIT_STRIDE)`; gain −∞ when
 * no threshold satisfies the rules. The feature has `k` value bins and its missing-value bin at index k. Left
 * means value bins 0..t (and the missing bin when it goes left). Both directions of the missing values are
 * tried when the leaf has some; t = k − 1 with missing going right isolates the missing values. When the leaf
 * has none, they go to the heavier child (by hessian): that is where unseen missing values are most likely to
 * belong. Ties keep the first candidate, so the result does not depend on thread timing.
 * Run by the WebAssembly kernel (findSplit): `hist` and `out` are in its memory.
 */
export function findFeatureSplit(
  kernel: HistogramKernel,
  hist: Float64Array,
  off: number,
  k: number,
  totalG: number,
  totalH: number,
  totalC: number,
  rules: SplitRules,
  out: Float64Array,
  o: number,
): void {
  const bytes = Float64Array.BYTES_PER_ELEMENT;
  kernel.findSplit(
    hist.byteOffset + off * bytes,
    k,
    totalG,
    totalH,
    totalC,
    rules.regAlpha,
    rules.regLambda,
    rules.minChildWeight,
    rules.minDataInLeaf,
    out.byteOffset + o * bytes,
  );
}
