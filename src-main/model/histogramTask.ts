import { MAX_VALUE_BINS } from './binning.ts';
import { histogramKernel, type KernelMemory } from './kernelMemory.ts';
import {
  HIST_STRIDE,
  SPLIT_STRIDE,
  buildFeatureHistogram,
  buildSparseFeatureHistogram,
  findFeatureSplit,
  type SplitRules,
} from './splitKernel.ts';

/**
 * The memory the main thread and the histogram workers share, and the one task they run on it: for the smaller
 * child of a split (or the root), build its histogram feature by feature, derive the larger child's from the
 * parent's by subtraction (in place: the larger child inherits the parent's slot), and find each feature's best
 * split for both. Workers claim chunks of features through an atomic counter; each feature is handled whole by
 * one thread, so results do not depend on how the work was shared. Every buffer is in the kernel memory of the
 * bin matrix, where the WebAssembly histogram kernel reads and writes it.
 */

/** Slots of `control`. */
export const GENERATION = 0;
export const DONE = 1;
export const NEXT_CHUNK = 2;
export const QUIT = 3;
export const FAILED = 4;
const ACTIVE_COUNT = 5;
const BEGIN = 6;
const END = 7;
const BUILD_SLOT = 8;
const PARENT_SLOT = 9;
const FIND_SMALL = 10;
const FIND_LARGE = 11;
const CONTROL_INTS = 12;

/** Slots of `task`. */
const SMALL_G = 0;
const SMALL_H = 1;
const SMALL_C = 2;
const LARGE_G = 3;
const LARGE_H = 4;
const LARGE_C = 5;
const ALPHA = 6;
const LAMBDA = 7;
const MIN_CHILD_WEIGHT = 8;
const MIN_DATA = 9;
const TASK_FLOATS = 10;

const FEATURES_PER_CHUNK = 4;
/** Columns where one bin holds at least this share of rows skip it while building (see buildFeatureHistogram). */
const SKIP_DOMINANT_SHARE = 0.7;
const ERROR_BYTES = 4096;
/** Values of one thread's working histogram for buildFeatureHistogram. */
const SCRATCH_VALUES = (MAX_VALUE_BINS + 1) * HIST_STRIDE;

/** The shareable description of a binned matrix and the buffers built around it; passed as workerData. */
export interface SharedBuffers {
  /** The kernel memory all the arrays below are in. */
  memory: WebAssembly.Memory;
  rows: number;
  features: number;
  totalBins: number;
  slots: number;
  bins: Uint8Array;
  valueBins: Int32Array;
  histOffsets: Int32Array;
  /** Per feature, the bin the histogram loop skips, or −1. */
  skipBin: Int32Array;
  /** Per feature with a skipped bin, its rows outside that bin, ascending: nzRows[nzOffsets[f]..nzOffsets[f + 1]). */
  nzOffsets: Int32Array;
  nzRows: Int32Array;
  /** The partition: rows grouped by leaf, each leaf a contiguous range. */
  order: Int32Array;
  /** Where each row is in `order`; −1 for rows the tree does not learn from. */
  position: Int32Array;
  /** Gradient and hessian of order[i] at 2i and 2i + 1. */
  orderedGh: Float64Array;
  /** `slots` leaf histograms of totalBins × HIST_STRIDE values. */
  hist: Float64Array;
  /** Per feature, the best split for the smaller child (first half) and the larger (second half). */
  splits: Float64Array;
  /** Features of the current tree, ascending. */
  active: Int32Array;
  control: Int32Array;
  task: Float64Array;
  error: Uint8Array;
  /** One working histogram per thread that runs chunks: SCRATCH_VALUES values from thread × SCRATCH_VALUES. */
  scratch: Float64Array;
}

export interface BinLayout {
  /** Where `bins` is; the other buffers are allocated there too. */
  memory: KernelMemory;
  rows: number;
  bins: Uint8Array;
  valueBins: Int32Array;
  histOffsets: Int32Array;
  dominantBin: Int32Array;
  dominantShare: Float64Array;
}

/** `threads`: how many threads will run chunks (the workers, or the calling thread alone when there are none). */
export function allocateSharedBuffers(layout: BinLayout, slots: number, threads: number): SharedBuffers {
  const { memory, rows, bins, valueBins, histOffsets } = layout;
  const features = valueBins.length;
  const totalBins = histOffsets[features]!;
  const shared = memory.alloc.bind(memory);
  const skipBin = shared(Int32Array, features);
  for (let f = 0; f < features; f++) {
    skipBin[f] = layout.dominantShare[f]! >= SKIP_DOMINANT_SHARE ? layout.dominantBin[f]! : -1;
  }
  const nzOffsets = shared(Int32Array, features + 1);
  for (let f = 0; f < features; f++) {
    let count = 0;
    if (skipBin[f]! >= 0) {
      const skip = skipBin[f]!;
      for (let r = f * rows; r < (f + 1) * rows; r++) if (bins[r] !== skip) count++;
    }
    nzOffsets[f + 1] = nzOffsets[f]! + count;
  }
  const nzRows = shared(Int32Array, nzOffsets[features]!);
  for (let f = 0; f < features; f++) {
    if (skipBin[f]! < 0) continue;
    const skip = skipBin[f]!;
    let k = nzOffsets[f]!;
    for (let r = 0; r < rows; r++) if (bins[f * rows + r] !== skip) nzRows[k++] = r;
  }
  return {
    memory: memory.memory,
    rows,
    features,
    totalBins,
    slots,
    bins,
    valueBins: memory.copyOf(valueBins),
    histOffsets: memory.copyOf(histOffsets),
    skipBin,
    nzOffsets,
    nzRows,
    order: shared(Int32Array, rows),
    position: shared(Int32Array, rows),
    orderedGh: shared(Float64Array, 2 * rows),
    hist: shared(Float64Array, slots * totalBins * HIST_STRIDE),
    splits: shared(Float64Array, 2 * features * SPLIT_STRIDE),
    active: shared(Int32Array, features),
    control: shared(Int32Array, CONTROL_INTS),
    task: shared(Float64Array, TASK_FLOATS),
    error: shared(Uint8Array, ERROR_BYTES),
    scratch: shared(Float64Array, Math.max(1, threads) * SCRATCH_VALUES),
  };
}

export interface LeafTotals {
  g: number;
  h: number;
  c: number;
}

export interface HistogramJob {
  /** The smaller child's (or the root's) rows: order[begin..end). */
  begin: number;
  end: number;
  buildSlot: number;
  /** The parent's slot, which becomes the larger child's; −1 for the root. */
  parentSlot: number;
  small: LeafTotals;
  large: LeafTotals;
  findSmall: boolean;
  findLarge: boolean;
  activeCount: number;
  rules: SplitRules;
}

/** Writes a job into the shared control block; the features must already be in `active`. */
export function postJob(s: SharedBuffers, job: HistogramJob): void {
  const { control, task } = s;
  control[ACTIVE_COUNT] = job.activeCount;
  control[BEGIN] = job.begin;
  control[END] = job.end;
  control[BUILD_SLOT] = job.buildSlot;
  control[PARENT_SLOT] = job.parentSlot;
  control[FIND_SMALL] = job.findSmall ? 1 : 0;
  control[FIND_LARGE] = job.findLarge ? 1 : 0;
  task[SMALL_G] = job.small.g;
  task[SMALL_H] = job.small.h;
  task[SMALL_C] = job.small.c;
  task[LARGE_G] = job.large.g;
  task[LARGE_H] = job.large.h;
  task[LARGE_C] = job.large.c;
  task[ALPHA] = job.rules.regAlpha;
  task[LAMBDA] = job.rules.regLambda;
  task[MIN_CHILD_WEIGHT] = job.rules.minChildWeight;
  task[MIN_DATA] = job.rules.minDataInLeaf;
  Atomics.store(control, NEXT_CHUNK, 0);
  Atomics.store(control, DONE, 0);
}

/**
 * Processes chunks of the posted job's features until none is left; any number of threads may call it, each
 * with its own `thread` number (its working histogram).
 */
export function runChunks(s: SharedBuffers, thread: number): void {
  const { control, task, active, hist, splits, valueBins, histOffsets, skipBin, bins, order, orderedGh } = s;
  const { nzOffsets, nzRows, position } = s;
  const kernel = histogramKernel(s.memory);
  const scratch = s.scratch.subarray(thread * SCRATCH_VALUES, (thread + 1) * SCRATCH_VALUES);
  const activeCount = control[ACTIVE_COUNT]!;
  const begin = control[BEGIN]!;
  const end = control[END]!;
  const buildBase = control[BUILD_SLOT]! * s.totalBins * HIST_STRIDE;
  const parentSlot = control[PARENT_SLOT]!;
  const parentBase = parentSlot * s.totalBins * HIST_STRIDE;
  const findSmall = control[FIND_SMALL] === 1;
  const findLarge = control[FIND_LARGE] === 1;
  const sg = task[SMALL_G]!;
  const sh = task[SMALL_H]!;
  const sc = task[SMALL_C]!;
  const lg = task[LARGE_G]!;
  const lh = task[LARGE_H]!;
  const lc = task[LARGE_C]!;
  const rules: SplitRules = {
    regAlpha: task[ALPHA]!,
    regLambda: task[LAMBDA]!,
    minChildWeight: task[MIN_CHILD_WEIGHT]!,
    minDataInLeaf: task[MIN_DATA]!,
  };
  const largeOut = s.features * SPLIT_STRIDE;
  for (;;) {
    const first = Atomics.add(control, NEXT_CHUNK, 1) * FEATURES_PER_CHUNK;
    if (first >= activeCount) return;
    const last = Math.min(activeCount, first + FEATURES_PER_CHUNK);
    for (let a = first; a < last; a++) {
      const f = active[a]!;
      const k = valueBins[f]!;
      const width = (k + 1) * HIST_STRIDE;
      const small = buildBase + histOffsets[f]! * HIST_STRIDE;
      hist.fill(0, small, small + width);
      const nzBegin = nzOffsets[f]!;
      const nzEnd = nzOffsets[f + 1]!;
      if (skipBin[f]! >= 0 && nzEnd - nzBegin < end - begin) {
        buildSparseFeatureHistogram(
          kernel,
          bins,
          f * s.rows,
          nzRows,
          nzBegin,
          nzEnd,
          position,
          orderedGh,
          begin,
          end,
          hist,
          small,
          skipBin[f]!,
          k + 1,
          sg,
          sh,
          sc,
        );
      } else {
        buildFeatureHistogram(
          kernel,
          bins,
          f * s.rows,
          order,
          orderedGh,
          begin,
          end,
          hist,
          small,
          skipBin[f]!,
          k + 1,
          sg,
          sh,
          sc,
          scratch,
        );
      }
      if (findSmall) findFeatureSplit(hist, small, k, sg, sh, sc, rules, splits, f * SPLIT_STRIDE);
      if (parentSlot < 0) continue;
      const large = parentBase + histOffsets[f]! * HIST_STRIDE;
      const bytes = Float64Array.BYTES_PER_ELEMENT;
      kernel.subtractFrom(hist.byteOffset + large * bytes, hist.byteOffset + small * bytes, width);
      if (findLarge) findFeatureSplit(hist, large, k, lg, lh, lc, rules, splits, largeOut + f * SPLIT_STRIDE);
    }
  }
}

/** Records a worker's failure where the waiting main thread can read it. */
export function recordFailure(s: SharedBuffers, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES);
  s.error.set(bytes);
  Atomics.store(s.control, FAILED, bytes.length);
}

export function failureMessage(s: SharedBuffers): string | undefined {
  const length = Atomics.load(s.control, FAILED);
  return length > 0 ? new TextDecoder().decode(s.error.slice(0, length)) : undefined;
}
