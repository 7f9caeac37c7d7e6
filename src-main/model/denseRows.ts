import { MAX_VALUE_BINS } from './binning.ts';
import type { HistogramKernel, KernelMemory } from './kernelMemory.ts';
import { HIST_STRIDE, type LeafBuild } from './splitKernel.ts';

/**
 * The features built column by column (those not in row lists, see rowLists.ts) cost a small leaf one scattered
 * byte per row and feature: at a few thousand rows out of hundreds of thousands, every byte is its own cache line,
 * and the walk is bound by memory latency (~30 ns a byte). Stored a second time row by row (a row's bins of these
 * features side by side), one read of a row serves a block of features. Large leaves read their columns almost
 * sequentially and keep doing so: there, scattering each row into a block of histograms costs more than it saves.
 * A block gives every bin the leaf's rows in partition order, and splits them between two histograms exactly as
 * buildFeatureHistogram does, so the sums are those of a column walk, to the last bit.
 */
export interface DenseRows {
  /** The features kept row by row, ascending. */
  features: Int32Array;
  /** Row r's bins of `features`, at bytes[r × features.length ..]. */
  bytes: Uint8Array;
}

/** Features per block: their histograms (and working halves) stay within the core's second-level cache. */
export const ROW_BLOCK = 32;
/** Values of one feature's histogram at most. */
const FEATURE_VALUES = (MAX_VALUE_BINS + 1) * HIST_STRIDE;
/** Values of the working memory a thread needs for buildDenseRowBlock: the block's second halves and a sink. */
export const BLOCK_SCRATCH_VALUES = (ROW_BLOCK + 1) * FEATURE_VALUES;

/** The row-by-row copy of the features whose `skipBin` is −1, from the column-major `bins` (rows × features). */
export function buildDenseRows(
  memory: KernelMemory,
  bins: Uint8Array,
  rows: number,
  skipBin: Int32Array,
): DenseRows {
  const dense: number[] = [];
  skipBin.forEach((bin, f) => {
    if (bin < 0) dense.push(f);
  });
  const width = dense.length;
  const bytes = memory.alloc(Uint8Array, rows * width);
  dense.forEach((f, j) => {
    const column = bins.subarray(f * rows, (f + 1) * rows);
    for (let r = 0, at = j; r < rows; r++, at += width) bytes[at] = column[r]!;
  });
  return { features: memory.copyOf(Int32Array.from(dense)), bytes };
}

/**
 * Builds the leaf's histograms of the active features among dense.features[first..last) (at most ROW_BLOCK);
 * inactive features are left untouched. `scratch` holds BLOCK_SCRATCH_VALUES values and `targets` 2 × ROW_BLOCK addresses, both the
 * calling thread's own.
 */
export function buildDenseRowBlock(
  kernel: HistogramKernel,
  dense: DenseRows,
  first: number,
  last: number,
  isActive: Uint8Array,
  leaf: LeafBuild,
  scratch: Float64Array,
  targets: Uint32Array,
): void {
  const { order, orderedGh, begin, end, hist, base, histOffsets, valueBins } = leaf;
  const bytes = Float64Array.BYTES_PER_ELEMENT;
  const count = last - first;
  const even = targets.subarray(0, ROW_BLOCK);
  const odd = targets.subarray(ROW_BLOCK, 2 * ROW_BLOCK);
  // Rows of inactive features land in a sink no one reads.
  const sink = scratch.byteOffset + ROW_BLOCK * FEATURE_VALUES * bytes;
  for (let j = 0; j < count; j++) {
    const f = dense.features[first + j]!;
    if (!isActive[f]) {
      even[j] = odd[j] = sink;
      continue;
    }
    const width = (valueBins[f]! + 1) * HIST_STRIDE;
    const at = base + histOffsets[f]! * HIST_STRIDE;
    hist.fill(0, at, at + width);
    even[j] = hist.byteOffset + at * bytes;
    // As buildFeatureHistogram: a second histogram only when the leaf has enough rows for its bins.
    if (end - begin < 2 * width) {
      odd[j] = even[j]!;
    } else {
      scratch.fill(0, j * FEATURE_VALUES, j * FEATURE_VALUES + width);
      odd[j] = scratch.byteOffset + j * FEATURE_VALUES * bytes;
    }
  }
  kernel.accumulateRowBlock(
    dense.bytes.byteOffset + first,
    dense.features.length,
    count,
    order.byteOffset,
    orderedGh.byteOffset,
    begin,
    begin + ((end - begin) & ~3),
    end,
    even.byteOffset,
    odd.byteOffset,
  );
  for (let j = 0; j < count; j++) {
    if (odd[j] !== even[j]) {
      const f = dense.features[first + j]!;
      kernel.addInto(even[j]!, odd[j]!, (valueBins[f]! + 1) * HIST_STRIDE);
    }
  }
}
