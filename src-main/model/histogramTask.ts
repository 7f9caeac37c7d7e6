import {
  BLOCK_SCRATCH_VALUES,
  ROW_BLOCK,
  buildDenseRowBlock,
  buildDenseRows,
  type DenseRows,
} from './denseRows.ts';
import { histogramKernel, type KernelMemory } from './kernelMemory.ts';
import { buildRowListHistograms, buildRowLists, type RowLists } from './rowLists.ts';
import {
  HIST_STRIDE,
  SPLIT_STRIDE,
  buildFeatureHistogram,
  fillSkippedBin,
  findFeatureSplit,
  type LeafBuild,
  type SplitRules,
} from './splitKernel.ts';

/**
 * The memory the main thread and the histogram workers share, and the one task they run on it: for the smaller
 * child of a split (or the root), build its histogram feature by feature, derive the larger child's from the
 * parent's by subtraction (in place: the larger child inherits the parent's slot), and find each feature's best
 * split for both. Workers claim work through an atomic counter: first the walk that builds the features kept as
 * row lists (rowLists.ts), then the other features in chunks of columns, or for a small leaf in blocks read row
 * by row (denseRows.ts), then the splits of the row-list features in chunks, so that both threads share them.
 * Each feature is handled whole by one thread, so results do not depend on how the work was shared. Every buffer
 * is in the kernel memory of the bin matrix, where the WebAssembly histogram kernel reads and writes it.
 */

/** Slots of `control`. */
export const GENERATION = 0;
export const DONE = 1;
export const NEXT_CHUNK = 2;
export const QUIT = 3;
export const FAILED = 4;
const DENSE_COUNT = 5;
const BEGIN = 6;
const END = 7;
const BUILD_SLOT = 8;
const PARENT_SLOT = 9;
const FIND_SMALL = 10;
const FIND_LARGE = 11;
const LISTED_COUNT = 12;
/** Set once the job's row-list walk is done. */
const WALKED = 13;
const CONTROL_INTS = 14;

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
/** Columns where one bin holds at least this share of rows are kept as row lists without it (see rowLists.ts). */
const SKIP_DOMINANT_SHARE = 0.7;
/** Leaves with fewer rows than this build their other features in row blocks rather than columns (denseRows.ts). */
const ROW_BLOCK_BELOW = 4096;
const ERROR_BYTES = 4096;

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
  /** Per feature, the dominant bin its row lists leave out, or −1 for a feature built column by column. */
  skipBin: Int32Array;
  rowLists: RowLists;
  /** The features not in row lists, also stored row by row. */
  denseRows: DenseRows;
  /** The partition: rows grouped by leaf, each leaf a contiguous range. */
  order: Int32Array;
  /** Gradient and hessian of order[i] at 2i and 2i + 1. */
  orderedGh: Float64Array;
  /** Where the partition puts a leaf's right rows (and their gradients) while it moves the left ones. */
  spillOrder: Int32Array;
  spillGh: Float64Array;
  /** `slots` leaf histograms of totalBins × HIST_STRIDE values. */
  hist: Float64Array;
  /** Per feature, the best split for the smaller child (first half) and the larger (second half). */
  splits: Float64Array;
  /** Features of the current tree, ascending. */
  active: Int32Array;
  /** The job's active features built column by column, and those kept as row lists. */
  denseActive: Int32Array;
  listedActive: Int32Array;
  /** Per feature, 1 when it is in `active`. */
  isActive: Uint8Array;
  control: Int32Array;
  task: Float64Array;
  error: Uint8Array;
  /** Working histograms: BLOCK_SCRATCH_VALUES values per thread that runs chunks. */
  scratch: Float64Array;
  /** Per thread, the 2 × ROW_BLOCK histogram addresses of buildDenseRowBlock. */
  blockTargets: Uint32Array;
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
    rowLists: buildRowLists(memory, bins, rows, skipBin, histOffsets),
    denseRows: buildDenseRows(memory, bins, rows, skipBin),
    order: shared(Int32Array, rows),
    orderedGh: shared(Float64Array, 2 * rows),
    spillOrder: shared(Int32Array, rows),
    spillGh: shared(Float64Array, 2 * rows),
    hist: shared(Float64Array, slots * totalBins * HIST_STRIDE),
    splits: shared(Float64Array, 2 * features * SPLIT_STRIDE),
    active: shared(Int32Array, features),
    denseActive: shared(Int32Array, features),
    listedActive: shared(Int32Array, features),
    isActive: shared(Uint8Array, features),
    control: shared(Int32Array, CONTROL_INTS),
    task: shared(Float64Array, TASK_FLOATS),
    error: shared(Uint8Array, ERROR_BYTES),
    scratch: shared(Float64Array, Math.max(1, threads) * BLOCK_SCRATCH_VALUES),
    blockTargets: shared(Uint32Array, Math.max(1, threads) * 2 * ROW_BLOCK),
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
  const { control, task, active, skipBin, denseActive, listedActive, isActive } = s;
  let dense = 0;
  let listed = 0;
  isActive.fill(0);
  for (let a = 0; a < job.activeCount; a++) {
    const f = active[a]!;
    isActive[f] = 1;
    if (skipBin[f]! < 0) denseActive[dense++] = f;
    else listedActive[listed++] = f;
  }
  control[DENSE_COUNT] = dense;
  control[LISTED_COUNT] = listed;
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
  Atomics.store(control, WALKED, 0);
  Atomics.store(control, NEXT_CHUNK, 0);
  Atomics.store(control, DONE, 0);
}

/**
 * Processes the posted job's work until none is left; any number of threads may call it, each with its own
 * `thread` number (its working histogram).
 */
export function runChunks(s: SharedBuffers, thread: number): void {
  const { control, task, hist, splits, valueBins, histOffsets, bins, order, orderedGh } = s;
  const { denseActive, listedActive } = s;
  const kernel = histogramKernel(s.memory);
  const { denseRows, isActive, skipBin } = s;
  const scratch = s.scratch.subarray(thread * BLOCK_SCRATCH_VALUES, (thread + 1) * BLOCK_SCRATCH_VALUES);
  const targets = s.blockTargets.subarray(thread * 2 * ROW_BLOCK, (thread + 1) * 2 * ROW_BLOCK);
  const denseCount = control[DENSE_COUNT]!;
  const listedCount = control[LISTED_COUNT]!;
  const begin = control[BEGIN]!;
  const end = control[END]!;
  const inBlocks = end - begin < ROW_BLOCK_BELOW;
  const buildBase = control[BUILD_SLOT]! * s.totalBins * HIST_STRIDE;
  const parentSlot = control[PARENT_SLOT]!;
  const parentBase = parentSlot * s.totalBins * HIST_STRIDE;
  const findSmall = control[FIND_SMALL] === 1;
  const findLarge = control[FIND_LARGE] === 1;
  const small = { g: task[SMALL_G]!, h: task[SMALL_H]!, c: task[SMALL_C]! };
  const large = { g: task[LARGE_G]!, h: task[LARGE_H]!, c: task[LARGE_C]! };
  const rules: SplitRules = {
    regAlpha: task[ALPHA]!,
    regLambda: task[LAMBDA]!,
    minChildWeight: task[MIN_CHILD_WEIGHT]!,
    minDataInLeaf: task[MIN_DATA]!,
  };
  const leaf: LeafBuild = { order, orderedGh, begin, end, hist, base: buildBase, histOffsets, valueBins };
  const largeOut = s.features * SPLIT_STRIDE;
  const bytes = Float64Array.BYTES_PER_ELEMENT;

  /** Once feature f's histogram is built for the smaller child: its splits, and the larger child's histogram. */
  const finish = (f: number): void => {
    const k = valueBins[f]!;
    const smallAt = buildBase + histOffsets[f]! * HIST_STRIDE;
    if (findSmall)
      findFeatureSplit(kernel, hist, smallAt, k, small.g, small.h, small.c, rules, splits, f * SPLIT_STRIDE);
    if (parentSlot < 0) return;
    const largeAt = parentBase + histOffsets[f]! * HIST_STRIDE;
    kernel.subtractFrom(
      hist.byteOffset + largeAt * bytes,
      hist.byteOffset + smallAt * bytes,
      (k + 1) * HIST_STRIDE,
    );
    if (findLarge) {
      findFeatureSplit(
        kernel,
        hist,
        largeAt,
        k,
        large.g,
        large.h,
        large.c,
        rules,
        splits,
        largeOut + f * SPLIT_STRIDE,
      );
    }
  };

  // Work items: the row-list walk, then the other features (row blocks or column chunks), then the row-list
  // features' splits in chunks, which wait for the walk (taken first, so it is under way by then).
  const denseItems = inBlocks
    ? Math.ceil(denseRows.features.length / ROW_BLOCK)
    : Math.ceil(denseCount / FEATURES_PER_CHUNK);
  const listedItems = Math.ceil(listedCount / FEATURES_PER_CHUNK);
  for (;;) {
    const item = Atomics.add(control, NEXT_CHUNK, 1);
    if (item === 0) {
      if (listedCount > 0) buildRowListHistograms(kernel, s.rowLists, leaf);
      Atomics.store(control, WALKED, 1);
      Atomics.notify(control, WALKED);
    } else if (item <= denseItems && inBlocks) {
      const first = (item - 1) * ROW_BLOCK;
      const last = Math.min(denseRows.features.length, first + ROW_BLOCK);
      buildDenseRowBlock(kernel, denseRows, first, last, isActive, leaf, scratch, targets);
      for (let j = first; j < last; j++) {
        const f = denseRows.features[j]!;
        if (isActive[f]) finish(f);
      }
    } else if (item <= denseItems) {
      const first = (item - 1) * FEATURES_PER_CHUNK;
      const last = Math.min(denseCount, first + FEATURES_PER_CHUNK);
      for (let a = first; a < last; a++) {
        const f = denseActive[a]!;
        const k = valueBins[f]!;
        const at = buildBase + histOffsets[f]! * HIST_STRIDE;
        hist.fill(0, at, at + (k + 1) * HIST_STRIDE);
        buildFeatureHistogram(
          kernel,
          bins,
          f * s.rows,
          order,
          orderedGh,
          begin,
          end,
          hist,
          at,
          k + 1,
          scratch,
        );
        finish(f);
      }
    } else if (item <= denseItems + listedItems) {
      while (Atomics.load(control, WALKED) === 0) Atomics.wait(control, WALKED, 0);
      const first = (item - 1 - denseItems) * FEATURES_PER_CHUNK;
      const last = Math.min(listedCount, first + FEATURES_PER_CHUNK);
      for (let a = first; a < last; a++) {
        const f = listedActive[a]!;
        const at = buildBase + histOffsets[f]! * HIST_STRIDE;
        const width = (valueBins[f]! + 1) * HIST_STRIDE;
        fillSkippedBin(hist, at, width, skipBin[f]!, small.g, small.h, small.c);
        finish(f);
      }
    } else {
      return;
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
