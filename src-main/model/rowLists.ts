import type { HistogramKernel, KernelMemory } from './kernelMemory.ts';
import { HIST_STRIDE, type LeafBuild } from './splitKernel.ts';

/**
 * Columns where one bin holds most rows (one-hot dummies, history aggregates missing for most clients: more than
 * half of the ~795 features) cost a leaf walk per column for a few rows outside that bin. Stored the other way
 * round, as each row's list of the histogram bins it falls in outside those dominant bins, one walk over a leaf's
 * rows fills all their histograms at once and touches only what is there: about 66 entries a row instead of
 * 476 columns on the Kaggle-sized matrix, read row by row rather than scattered across columns. The dominant
 * bins are then filled from the leaf's totals, feature by feature (fillSkippedBin). Every bin still receives the leaf's rows in partition order, so
 * the sums are those of a column walk, to the last bit.
 */
export interface RowLists {
  /** The listed features, ascending, and the bin each leaves out. */
  features: Int32Array;
  skipBins: Int32Array;
  /** Row r's bins are entries[rowStart[r]..rowStart[r + 1]), as indexes of bins in a leaf histogram. */
  rowStart: Int32Array;
  entries: Uint32Array;
}

/**
 * The row lists of the features whose `skipBin` is ≥ 0, from the column-major `bins` (rows × features), in
 * `memory` where the kernel reads them. `histOffsets[f]` is where feature f's bins start in a leaf histogram.
 */
export function buildRowLists(
  memory: KernelMemory,
  bins: Uint8Array,
  rows: number,
  skipBin: Int32Array,
  histOffsets: Int32Array,
): RowLists {
  const listed: number[] = [];
  skipBin.forEach((bin, f) => {
    if (bin >= 0) listed.push(f);
  });
  const rowStart = memory.alloc(Int32Array, rows + 1);
  for (const f of listed) {
    const skip = skipBin[f]!;
    const column = bins.subarray(f * rows, (f + 1) * rows);
    for (let r = 0; r < rows; r++) if (column[r] !== skip) rowStart[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) rowStart[r + 1] = rowStart[r + 1]! + rowStart[r]!;
  const entries = memory.alloc(Uint32Array, rowStart[rows]!);
  const next = rowStart.slice(0, rows);
  for (const f of listed) {
    const skip = skipBin[f]!;
    const offset = histOffsets[f]!;
    const column = bins.subarray(f * rows, (f + 1) * rows);
    for (let r = 0; r < rows; r++) {
      const b = column[r]!;
      if (b !== skip) entries[next[r]!++] = offset + b;
    }
  }
  return {
    features: memory.copyOf(Int32Array.from(listed)),
    skipBins: memory.copyOf(Int32Array.from(listed, (f) => skipBin[f]!)),
    rowStart,
    entries,
  };
}

/**
 * Builds the leaf's histograms of every listed feature, all but their dominant bins, which are left at zero for
 * fillSkippedBin.
 */
export function buildRowListHistograms(kernel: HistogramKernel, lists: RowLists, leaf: LeafBuild): void {
  const { order, orderedGh, begin, end, hist, base, histOffsets, valueBins } = leaf;
  const { features } = lists;
  // Every listed feature is built, active in this tree or not: the walk adds into all of them.
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const off = base + histOffsets[f]! * HIST_STRIDE;
    hist.fill(0, off, off + (valueBins[f]! + 1) * HIST_STRIDE);
  }
  kernel.accumulateRowLists(
    lists.rowStart.byteOffset,
    lists.entries.byteOffset,
    order.byteOffset,
    orderedGh.byteOffset,
    begin,
    end,
    hist.byteOffset + base * Float64Array.BYTES_PER_ELEMENT,
  );
}
