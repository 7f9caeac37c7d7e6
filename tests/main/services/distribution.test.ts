import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binOf,
  groupDistribution,
  percentileIn,
  histogramEdges,
  median,
  selectKth,
} from '../../../src-main/services/distribution.ts';

const sortedCopy = (values: number[]) => [...values].sort((a, b) => a - b);

describe('distributions', () => {
  it('selects the k-th smallest value and the median as sorting would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 80 }),
        fc.nat(),
        (values, k) => {
          const sorted = sortedCopy(values);
          const at = k % values.length;
          expect(selectKth(Float64Array.from(values), values.length, at)).toBe(sorted[at]);
          const n = values.length;
          const expected = n % 2 === 1 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
          expect(median(Float64Array.from(values), n)).toBe(expected);
        },
      ),
    );
    expect(median(new Float64Array(0), 0)).toBeNull();
  });

  it('counts every member once, by outcome, with the percentile of ties counted half', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
            defaulted: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 120,
          },
        ),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 2, max: 12 }),
        (rows, clientValue, bins) => {
          const column = Float32Array.from(rows, (r) => r.value ?? Number.NaN);
          const defaulted = Uint8Array.from(rows, (r) => (r.defaulted ? 1 : 0));
          const members = Uint32Array.from(rows.keys());
          const { edges } = histogramEdges(column, bins);
          const d = groupDistribution(column, defaulted, members, edges);
          const percentile = percentileIn(column, members, clientValue);
          const present = rows.filter((r) => r.value !== null);
          const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
          expect(sum(d.repaid) + sum(d.defaulted)).toBe(present.length);
          expect(sum(d.defaulted)).toBe(present.filter((r) => r.defaulted).length);
          expect(d.missing.repaid + d.missing.defaulted).toBe(rows.length - present.length);
          if (present.length > 0) {
            const below = present.filter((r) => r.value! < clientValue).length;
            const ties = present.filter((r) => r.value === clientValue).length;
            expect(percentile).toBeCloseTo((100 * (below + ties / 2)) / present.length, 9);
          } else {
            expect(percentile).toBeNull();
          }
          for (const r of present) {
            const bin = binOf(r.value!, edges);
            expect(bin).toBeGreaterThanOrEqual(0);
            expect(bin).toBeLessThan(edges.length - 1);
          }
        },
      ),
    );
  });

  it('gives small integer ranges one bin per value', () => {
    const { edges } = histogramEdges(Float32Array.from([0, 1, 1, 2, 0, 1]), 20);
    expect(edges).toEqual([-0.5, 0.5, 1.5, 2.5]);
  });
});
