import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binIndexOf,
  buildHistogramOption,
  sharesByOutcome,
  type HistogramBin,
} from '../../../src-renderer/charts/buildHistogramOption.ts';

const binsArbitrary = fc
  .array(fc.tuple(fc.nat(1000), fc.nat(100)), { minLength: 1, maxLength: 20 })
  .map((counts): HistogramBin[] =>
    counts.map(([repaid, defaulted], index) => ({ from: index, to: index + 1, repaid, defaulted })),
  );

describe('histogram by outcome', () => {
  it('gives each outcome shares that add up to one (or all zero for an empty outcome)', () => {
    fc.assert(
      fc.property(binsArbitrary, (bins) => {
        const shares = sharesByOutcome(bins);
        for (const [outcome, values] of Object.entries(shares)) {
          const total = bins.reduce((sum, bin) => sum + bin[outcome as 'repaid' | 'defaulted'], 0);
          const sum = values.reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(total === 0 ? 0 : 1, 9);
        }
      }),
    );
  });

  it('finds the bin of any value: [from, to), the last bin closed, outside values clamped', () => {
    fc.assert(
      fc.property(binsArbitrary, fc.double({ min: -5, max: 30, noNaN: true }), (bins, value) => {
        const index = binIndexOf(bins, value);
        const bin = bins[index]!;
        if (value < bins[0]!.from) expect(index).toBe(0);
        else if (value >= bins.at(-1)!.to) expect(index).toBe(bins.length - 1);
        else expect(value >= bin.from && value < bin.to).toBe(true);
      }),
    );
  });

  it("marks the client's bin, and draws no marker for a missing value", () => {
    const bins: HistogramBin[] = [
      { from: 0, to: 10, repaid: 5, defaulted: 1 },
      { from: 10, to: 20, repaid: 3, defaulted: 2 },
    ];
    const base = { bins, clientLabel: 'client', repaidLabel: 'r', defaultedLabel: 'd', formatValue: String };
    type Option = { series: { markLine?: { data: { xAxis: string }[] } }[] };
    const marked = buildHistogramOption({ ...base, clientValue: 15 }) as Option;
    expect(marked.series[0]!.markLine!.data[0]!.xAxis).toBe('10 – 20');
    const unmarked = buildHistogramOption({ ...base, clientValue: null }) as Option;
    expect(unmarked.series[0]!.markLine).toBeUndefined();
  });
});
