import { checkFeatureMatrix, type FeatureMatrix } from './featureMatrix.ts';
import { KernelMemory } from './kernelMemory.ts';
import { Prng } from './prng.ts';

/** At most this many value bins per feature; one more bin (index = the feature's value-bin count) holds NaN. */
export const MAX_VALUE_BINS = 255;
/** Bin edges come from a sample of this many rows at most, as LightGBM's bin_construct_sample_cnt. */
const EDGE_SAMPLE_ROWS = 200_000;
/** The sample depends on the data only, never on the training seed, so all folds and seeds share one binning. */
const EDGE_SAMPLE_SEED = 0x5eed;

/**
 * A feature matrix quantised once for training. Values are compared in float32, the precision onnxruntime
 * uses, so a threshold chosen here sends every value the same way in the trainer and in the exported model.
 */
export interface BinnedMatrix {
  rows: number;
  featureNames: readonly string[];
  /** The memory the histogram threads and kernel share, which holds `bins` (and later the training buffers). */
  memory: KernelMemory;
  /** Column-major bin codes. */
  bins: Uint8Array;
  /** Per feature, the number k of value bins; bin k is the missing-value bin. */
  valueBins: Int32Array;
  /**
   * Per feature, k − 1 float32 thresholds: a value x is in a bin ≤ b exactly when float32(x) <= thresholds[b].
   * Each is the float32 midpoint of the largest value of bin b and the smallest of bin b + 1, as LightGBM does.
   */
  thresholds: Float32Array[];
  /** Start of each feature's histogram (k + 1 bins) in a leaf histogram; the last entry is the total. */
  histOffsets: Int32Array;
  /** Per feature, the most frequent bin and the share of rows in it: histograms skip it when it dominates. */
  dominantBin: Int32Array;
  dominantShare: Float64Array;
}

/** Bins every feature of a matrix into at most MAX_VALUE_BINS quantile bins plus the missing-value bin. */
export function binMatrix(matrix: FeatureMatrix, maxBins = MAX_VALUE_BINS): BinnedMatrix {
  checkFeatureMatrix(matrix);
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= MAX_VALUE_BINS)) {
    throw new Error(`binning: maxBins must be an integer in [2, ${MAX_VALUE_BINS}], got ${maxBins}`);
  }
  const { rows, featureNames, values } = matrix;
  const cols = featureNames.length;
  const memory = new KernelMemory();
  const bins = memory.alloc(Uint8Array, rows * cols);
  const valueBins = new Int32Array(cols);
  const thresholds: Float32Array[] = [];
  const histOffsets = new Int32Array(cols + 1);
  const dominantBin = new Int32Array(cols);
  const dominantShare = new Float64Array(cols);
  const sample = edgeSampleRows(rows);
  const sampleValues = new Float32Array(sample ? sample.length : rows);
  const binCounts = new Int32Array(MAX_VALUE_BINS + 1);

  for (let f = 0; f < cols; f++) {
    const base = f * rows;
    let n = 0;
    if (sample) {
      for (let i = 0; i < sample.length; i++) {
        const x = values[base + sample[i]!]!;
        if (x === x) sampleValues[n++] = x;
      }
    } else {
      for (let r = 0; r < rows; r++) {
        const x = values[base + r]!;
        if (x === x) sampleValues[n++] = x;
      }
    }
    const edges = binThresholds(sampleValues.subarray(0, n).sort(), maxBins);
    const k = edges.length + 1;
    thresholds.push(edges);
    valueBins[f] = k;
    histOffsets[f + 1] = histOffsets[f]! + k + 1;
    binCounts.fill(0);
    for (let r = 0; r < rows; r++) {
      const b = binOf(values[base + r]!, edges);
      bins[base + r] = b;
      binCounts[b]!++;
    }
    let best = 0;
    for (let b = 1; b <= k; b++) if (binCounts[b]! > binCounts[best]!) best = b;
    dominantBin[f] = best;
    dominantShare[f] = rows > 0 ? binCounts[best]! / rows : 0;
  }
  return { memory, rows, featureNames, bins, valueBins, thresholds, histOffsets, dominantBin, dominantShare };
}

/** The bin of one value: the missing-value bin for NaN, else the first bin whose threshold it does not exceed. */
export function binOf(x: number, edges: Float32Array): number {
  if (x !== x) return edges.length + 1;
  const v = Math.fround(x);
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Thresholds between quantile bins of sorted float32 values: one bin per distinct value when they fit, else
 * greedy bins of about equal counts where a heavy value gets a bin of its own.
 */
export function binThresholds(sorted: Float32Array, maxBins: number): Float32Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    distinct.push(sorted[i]!);
    counts.push(j - i);
    i = j;
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) edges.push(midpoint(distinct[i]!, distinct[i + 1]!));
    return Float32Array.from(edges);
  }
  let remainingCount = sorted.length;
  let remainingBins = maxBins;
  let inBin = 0;
  for (let i = 0; i + 1 < distinct.length && remainingBins > 1; i++) {
    inBin += counts[i]!;
    const target = remainingCount / remainingBins;
    if (inBin >= target || counts[i + 1]! >= target) {
      edges.push(midpoint(distinct[i]!, distinct[i + 1]!));
      remainingCount -= inBin;
      remainingBins--;
      inBin = 0;
    }
  }
  return Float32Array.from(edges);
}

/** A float32 t with a <= t < c for float32 values a < c, near their midpoint (a itself when none is between). */
function midpoint(a: number, c: number): number {
  const m = Math.fround(a / 2 + c / 2);
  return m >= a && m < c ? m : a;
}

function edgeSampleRows(rows: number): Int32Array | undefined {
  if (rows <= EDGE_SAMPLE_ROWS) return undefined;
  const all = new Int32Array(rows);
  for (let i = 0; i < rows; i++) all[i] = i;
  new Prng(EDGE_SAMPLE_SEED).shuffle(all);
  return all.subarray(0, EDGE_SAMPLE_ROWS).sort();
}
