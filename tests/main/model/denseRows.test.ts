import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_SCRATCH_VALUES,
  ROW_BLOCK,
  buildDenseRowBlock,
  buildDenseRows,
} from '../../../src-main/model/denseRows.ts';
import { KernelMemory, histogramKernel } from '../../../src-main/model/kernelMemory.ts';
import { HIST_STRIDE, buildFeatureHistogram } from '../../../src-main/model/splitKernel.ts';
import { histOffsetsOf, leafInPartition, uniformStream } from './support/leafInPartition.ts';

/**
 * A column-major matrix of up to two blocks of features, some kept as row lists (skipped here), some inactive,
 * with bin counts from 1 to 80 so that leaves of up to 400 rows meet both ways of building a histogram; and a
 * leaf inside a partition.
 */
const leafCase = fc
  .record({
    rows: fc.integer({ min: 1, max: 400 }),
    valueBins: fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 80 })), {
      minLength: 1,
      maxLength: ROW_BLOCK + 8,
    }),
    seed: fc.integer(),
    inLeaf: fc.double({ min: 0, max: 1, noNaN: true }),
    before: fc.nat(30),
  })
  .map(({ rows, valueBins, seed, inLeaf, before }) => {
    const next = uniformStream(seed);
    const features = valueBins.length;
    const skipBin = Int32Array.from(valueBins, () => (next() < 0.2 ? 0 : -1));
    const isActive = Uint8Array.from(valueBins, () => (next() < 0.8 ? 1 : 0));
    const bins = new Uint8Array(rows * features);
    valueBins.forEach((k, f) => {
      for (let r = 0; r < rows; r++) bins[f * rows + r] = Math.floor(next() * (k + 1));
    });
    return {
      rows,
      valueBins: Int32Array.from(valueBins),
      skipBin,
      isActive,
      bins,
      histOffsets: histOffsetsOf(valueBins),
      ...leafInPartition(rows, next, inLeaf, before),
    };
  });

describe('dense rows', () => {
  it('store each row’s bins of the features not in row lists side by side', () => {
    const memory = new KernelMemory();
    // Three features over two rows; feature 1 is kept as row lists.
    const bins = memory.copyOf(Uint8Array.from([1, 2, 0, 0, 3, 4]));
    const dense = buildDenseRows(memory, bins, 2, Int32Array.from([-1, 0, -1]));
    expect(Array.from(dense.features)).toEqual([0, 2]);
    expect(Array.from(dense.bytes)).toEqual([1, 3, 2, 4]);
  });

  it('give every active feature the histogram buildFeatureHistogram gives its column, to the last bit', () => {
    const memory = new KernelMemory();
    const kernel = histogramKernel(memory.memory);
    const scratch = memory.alloc(Float64Array, BLOCK_SCRATCH_VALUES);
    const targets = memory.alloc(Uint32Array, 2 * ROW_BLOCK);
    fc.assert(
      fc.property(leafCase, (leaf) => {
        const { rows, valueBins, skipBin, isActive, histOffsets, begin, end } = leaf;
        const bins = memory.copyOf(leaf.bins);
        const order = memory.copyOf(leaf.order);
        const orderedGh = memory.copyOf(leaf.orderedGh);
        const dense = buildDenseRows(memory, bins, rows, skipBin);
        const totalBins = histOffsets[valueBins.length]!;
        // The leaf's histogram sits after another slot, as in the shared histogram buffer.
        const base = totalBins * HIST_STRIDE;
        const hist = memory.alloc(Float64Array, 2 * base).fill(7);
        scratch.fill(-3);
        for (let first = 0; first < dense.features.length; first += ROW_BLOCK) {
          const last = Math.min(dense.features.length, first + ROW_BLOCK);
          buildDenseRowBlock(
            kernel,
            dense,
            first,
            last,
            isActive,
            { order, orderedGh, begin, end, hist, base, histOffsets, valueBins },
            scratch,
            targets,
          );
        }
        const expected = memory.alloc(Float64Array, (Math.max(...valueBins) + 1) * HIST_STRIDE);
        const columnScratch = memory.alloc(Float64Array, expected.length);
        valueBins.forEach((k, f) => {
          const width = (k + 1) * HIST_STRIDE;
          const at = base + histOffsets[f]! * HIST_STRIDE;
          const built = Array.from(hist.subarray(at, at + width));
          if (skipBin[f]! >= 0 || !isActive[f]) {
            expect(built.every((v) => v === 7)).toBe(true);
            return;
          }
          expected.fill(0);
          buildFeatureHistogram(
            kernel,
            bins,
            f * rows,
            order,
            orderedGh,
            begin,
            end,
            expected,
            0,
            k + 1,
            columnScratch,
          );
          expect(built).toEqual(Array.from(expected.subarray(0, width)));
        });
        expect(hist.subarray(0, base).every((v) => v === 7)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
