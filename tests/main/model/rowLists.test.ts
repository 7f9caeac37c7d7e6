import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelMemory, histogramKernel } from '../../../src-main/model/kernelMemory.ts';
import { buildRowListHistograms, buildRowLists } from '../../../src-main/model/rowLists.ts';
import { HIST_STRIDE, fillSkippedBin } from '../../../src-main/model/splitKernel.ts';
import { histOffsetsOf, leafInPartition, uniformStream } from './support/leafInPartition.ts';

/** A small column-major matrix where some features are dominated by one bin, and a leaf inside a partition. */
const leafCase = fc
  .record({
    rows: fc.integer({ min: 1, max: 300 }),
    valueBins: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
    listed: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    seed: fc.integer(),
    dominance: fc.double({ min: 0, max: 1, noNaN: true }),
    inLeaf: fc.double({ min: 0, max: 1, noNaN: true }),
    before: fc.nat(30),
  })
  .map(({ rows, valueBins, listed, seed, dominance, inLeaf, before }) => {
    const next = uniformStream(seed);
    const features = valueBins.length;
    // Each feature's histogram has its value bins and the missing-value bin.
    const skipBin = Int32Array.from(valueBins, (k, f) => (listed[f] ? Math.floor(next() * (k + 1)) : -1));
    const bins = new Uint8Array(rows * features);
    valueBins.forEach((k, f) => {
      for (let r = 0; r < rows; r++) {
        const dominant = skipBin[f]! >= 0 && next() < dominance;
        bins[f * rows + r] = dominant ? skipBin[f]! : Math.floor(next() * (k + 1));
      }
    });
    return {
      rows,
      valueBins: Int32Array.from(valueBins),
      skipBin,
      bins,
      histOffsets: histOffsetsOf(valueBins),
      ...leafInPartition(rows, next, inLeaf, before),
    };
  });

describe('row lists', () => {
  it('list each row’s bins outside the dominant ones, by feature', () => {
    const memory = new KernelMemory();
    const rows = 4;
    // Feature 0 (3 value bins, dominant bin 0) and feature 2 (1 value bin, dominant bin 1, missing) are listed.
    const bins = memory.copyOf(Uint8Array.from([0, 2, 0, 3, 1, 1, 0, 1, 1, 1, 0, 1]));
    const lists = buildRowLists(
      memory,
      bins,
      rows,
      Int32Array.from([0, -1, 1]),
      Int32Array.from([0, 4, 6, 8]),
    );
    expect(Array.from(lists.features)).toEqual([0, 2]);
    expect(Array.from(lists.skipBins)).toEqual([0, 1]);
    expect(Array.from(lists.rowStart)).toEqual([0, 0, 1, 2, 3]);
    expect(Array.from(lists.entries)).toEqual([2, 6, 3]);
  });

  it('give every listed feature the histogram of a walk over the leaf in partition order, to the last bit', () => {
    const memory = new KernelMemory();
    const kernel = histogramKernel(memory.memory);
    fc.assert(
      fc.property(leafCase, (leaf) => {
        const { rows, valueBins, skipBin, histOffsets, begin, end } = leaf;
        const bins = memory.copyOf(leaf.bins);
        const order = memory.copyOf(leaf.order);
        const orderedGh = memory.copyOf(leaf.orderedGh);
        const lists = buildRowLists(memory, bins, rows, skipBin, histOffsets);
        const totalBins = histOffsets[valueBins.length]!;
        // The leaf's histogram sits after another slot, as in the shared histogram buffer.
        const hist = memory.alloc(Float64Array, 2 * totalBins * HIST_STRIDE);
        hist.fill(7);
        let g = 0;
        let h = 0;
        for (let i = begin; i < end; i++) {
          g += orderedGh[2 * i]!;
          h += orderedGh[2 * i + 1]!;
        }
        const base = totalBins * HIST_STRIDE;
        const totals = { g, h, c: end - begin };
        buildRowListHistograms(kernel, lists, {
          order,
          orderedGh,
          begin,
          end,
          hist,
          base,
          histOffsets,
          valueBins,
        });
        lists.features.forEach((f, i) => {
          const at = base + histOffsets[f]! * HIST_STRIDE;
          const width = (valueBins[f]! + 1) * HIST_STRIDE;
          fillSkippedBin(hist, at, width, lists.skipBins[i]!, totals.g, totals.h, totals.c);
        });

        skipBin.forEach((skip, f) => {
          const width = (valueBins[f]! + 1) * HIST_STRIDE;
          const at = base + histOffsets[f]! * HIST_STRIDE;
          const built = Array.from(hist.subarray(at, at + width));
          if (skip < 0) {
            expect(built.every((v) => v === 7)).toBe(true);
            return;
          }
          // Plain JavaScript: the leaf's rows one by one outside the dominant bin, which gets what the totals leave.
          const expected = new Float64Array(width);
          for (let i = begin; i < end; i++) {
            const b = bins[f * rows + order[i]!]!;
            if (b === skip) continue;
            expected[b * HIST_STRIDE] = expected[b * HIST_STRIDE]! + orderedGh[2 * i]!;
            expected[b * HIST_STRIDE + 1] = expected[b * HIST_STRIDE + 1]! + orderedGh[2 * i + 1]!;
            expected[b * HIST_STRIDE + 2] = expected[b * HIST_STRIDE + 2]! + 1;
          }
          let [rg, rh, rc] = [g, h, end - begin];
          for (let j = 0; j < width; j += HIST_STRIDE) {
            rg -= expected[j]!;
            rh -= expected[j + 1]!;
            rc -= expected[j + 2]!;
          }
          expected.set([rg, rh, rc], skip * HIST_STRIDE);
          expect(built).toEqual(Array.from(expected));
          expect(built[skip * HIST_STRIDE + 2]).toBe(
            Array.from(order.subarray(begin, end)).filter((r) => bins[f * rows + r] === skip).length,
          );
        });
        // The slot before the leaf's is untouched.
        expect(hist.subarray(0, base).every((v) => v === 7)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
