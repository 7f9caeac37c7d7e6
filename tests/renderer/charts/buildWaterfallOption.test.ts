import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildWaterfallOption,
  waterfallBars,
  type WaterfallInput,
} from '../../../src-renderer/charts/buildWaterfallOption.ts';

const format = (value: number) => value.toFixed(3);

function input(start: number, deltas: number[]): WaterfallInput {
  const end = deltas.reduce((sum, delta) => sum + delta, start);
  return {
    start: { label: 'average', value: start },
    steps: deltas.map((delta, index) => ({ label: `family ${index}`, delta })),
    end: { label: 'client', value: end },
    formatValue: format,
    formatDelta: format,
    raisesLabel: 'raises',
    lowersLabel: 'lowers',
  };
}

describe('waterfallBars', () => {
  it('walks from the start through each step, each bar starting where the previous ended', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { maxLength: 10 }),
        (start, deltas) => {
          const bars = waterfallBars(input(start, deltas));
          expect(bars).toHaveLength(deltas.length + 2);
          let level = start;
          deltas.forEach((delta, index) => {
            const bar = bars[index + 1]!;
            expect(bar.low).toBeCloseTo(Math.min(level, level + delta), 12);
            expect(bar.high).toBeCloseTo(Math.max(level, level + delta), 12);
            expect(bar.kind).toBe(delta >= 0 ? 'raises' : 'lowers');
            level += delta;
          });
          expect(bars.at(-1)!.high).toBeCloseTo(level, 12);
        },
      ),
    );
  });

  it('puts rises and falls in separate series, with an invisible base under them', () => {
    const option = buildWaterfallOption(input(0.08, [0.05, -0.02])) as {
      series: { name?: string; data: unknown[] }[];
    };
    const [base, total, raises, lowers] = option.series;
    [0, 0.08, 0.11, 0].forEach((low, index) => expect(base!.data[index]).toBeCloseTo(low, 12));
    expect(total!.data.filter((value) => value !== '-')).toHaveLength(2);
    expect(raises!.data.filter((value) => value !== '-')).toHaveLength(1);
    expect(lowers!.data.filter((value) => value !== '-')).toHaveLength(1);
    expect(raises!.name).toBe('raises');
  });
});
