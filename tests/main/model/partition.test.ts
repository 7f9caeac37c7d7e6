import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelMemory, histogramKernel } from '../../../src-main/model/kernelMemory.ts';

describe('the kernel partition of a leaf', () => {
  const memory = new KernelMemory();
  const kernel = histogramKernel(memory.memory);

  it('moves the left rows first and the right ones after, both in their order, gradients along', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: -1, max: 6 }),
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        (columnBins, threshold, missingLeft, a, b) => {
          // Bin 6 is the missing-value bin; the leaf is order[begin..end) of a shuffled partition.
          const rows = columnBins.length;
          const column = memory.copyOf(Uint8Array.from(columnBins));
          const shuffled = Array.from({ length: rows }, (_, r) => r).sort(
            (x, y) => ((x * 7919) % 13) - ((y * 7919) % 13),
          );
          const order = memory.copyOf(Int32Array.from(shuffled));
          const gh = memory.copyOf(Float64Array.from({ length: 2 * rows }, (_, i) => i + 0.5));
          const begin = a % rows;
          const end = begin + (b % (rows - begin + 1));
          const before = Array.from(order);
          const pairs = Array.from(gh);
          const goesLeft = (i: number) => {
            const bin = columnBins[before[i]!]!;
            return bin === 6 ? missingLeft : bin <= threshold;
          };
          const leaf = Array.from({ length: end - begin }, (_, k) => begin + k);
          const expected = [...leaf.filter(goesLeft), ...leaf.filter((i) => !goesLeft(i))];
          const spillOrder = memory.alloc(Int32Array, rows);
          const spillGh = memory.alloc(Float64Array, 2 * rows);
          const mid = kernel.partition(
            column.byteOffset,
            order.byteOffset,
            gh.byteOffset,
            begin,
            end,
            threshold,
            6,
            missingLeft ? 1 : 0,
            spillOrder.byteOffset,
            spillGh.byteOffset,
          );
          expect(mid).toBe(begin + leaf.filter(goesLeft).length);
          expect(Array.from(order.subarray(begin, end))).toEqual(expected.map((i) => before[i]!));
          expect(Array.from(gh.subarray(2 * begin, 2 * end))).toEqual(
            expected.flatMap((i) => [pairs[2 * i]!, pairs[2 * i + 1]!]),
          );
          // Rows outside the leaf stay where they are.
          expect(Array.from(order.subarray(0, begin))).toEqual(before.slice(0, begin));
          expect(Array.from(order.subarray(end))).toEqual(before.slice(end));
        },
      ),
      { numRuns: 300 },
    );
  });
});
