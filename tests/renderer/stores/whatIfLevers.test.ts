import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isUnchanged,
  leverRanges,
  leversOf,
  withLever,
  type Amounts,
  type Levers,
} from '../../../src-renderer/stores/whatIfLevers.ts';

const amountsArbitrary = fc
  .record({
    credit: fc.integer({ min: 10_000, max: 2_000_000 }),
    term: fc.integer({ min: 6, max: 120 }),
    downPayment: fc.integer({ min: -50_000, max: 500_000 }),
  })
  .map(({ credit, term, downPayment }): Amounts => ({
    AMT_CREDIT: credit,
    AMT_ANNUITY: credit / term,
    AMT_GOODS_PRICE: Math.max(1, credit + downPayment),
  }));

const leverArbitrary = fc.constantFrom<keyof Levers>('amount', 'termMonths', 'downPayment');

describe('what-if levers', () => {
  it('moves the lever asked for and keeps the other two', () => {
    fc.assert(
      fc.property(
        amountsArbitrary,
        leverArbitrary,
        fc.integer({ min: 6, max: 1_000_000 }),
        (amounts, lever, value) => {
          const before = leversOf(amounts);
          const after = leversOf(withLever(amounts, lever, value));
          expect(after[lever]).toBeCloseTo(value, 6);
          for (const other of ['amount', 'termMonths', 'downPayment'] as const) {
            if (other !== lever) expect(after[other]).toBeCloseTo(before[other], 6);
          }
        },
      ),
    );
  });

  it('keeps the stored annuity exactly when neither amount nor term moves', () => {
    const stored: Amounts = { AMT_CREDIT: 300_000, AMT_ANNUITY: 13_417.5, AMT_GOODS_PRICE: 310_000 };
    const moved = withLever(stored, 'downPayment', 20_000);
    expect(moved.AMT_ANNUITY).toBe(13_417.5);
    expect(moved.AMT_GOODS_PRICE).toBe(320_000);
    expect(isUnchanged(withLever(stored, 'downPayment', 10_000), stored)).toBe(true);
  });

  it('offers ranges that contain the stored application', () => {
    fc.assert(
      fc.property(amountsArbitrary, (amounts) => {
        const ranges = leverRanges(amounts);
        const levers = leversOf(amounts);
        for (const lever of ['amount', 'termMonths', 'downPayment'] as const) {
          expect(levers[lever]).toBeGreaterThanOrEqual(ranges[lever].min);
          expect(levers[lever]).toBeLessThanOrEqual(ranges[lever].max);
        }
      }),
    );
  });
});
