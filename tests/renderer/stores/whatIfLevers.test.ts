import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Offer } from '../../../src-main/api/contract.ts';
import {
  editsOf,
  isUnchanged,
  leverRanges,
  leversOf,
  withLever,
  type LeverName,
} from '../../../src-renderer/stores/whatIfLevers.ts';

function offer(credit: number, term: number, goods: number | null): Offer {
  return {
    AMT_CREDIT: credit,
    AMT_ANNUITY: credit / term,
    AMT_GOODS_PRICE: goods,
    termMonths: term,
    nominalRate: 0,
    downPayment: goods === null ? 0 : Math.max(0, goods - credit),
    financedBeyondPrice: goods === null ? 0 : Math.max(0, credit - goods),
    totalRepaid: credit,
    monthlyIncome: 10_000,
    paymentToIncome: credit / term / 10_000,
    warnings: [],
  };
}

const offerArbitrary = fc
  .record({
    credit: fc.integer({ min: 10_000, max: 2_000_000 }),
    term: fc.integer({ min: 6, max: 120 }),
    downPayment: fc.integer({ min: -50_000, max: 500_000 }),
  })
  .map(({ credit, term, downPayment }) => offer(credit, term, Math.max(1, credit + downPayment)));

const leverArbitrary = fc.constantFrom<LeverName>('amount', 'termMonths', 'downPayment');

describe('what-if levers', () => {
  it('move the lever asked for; the amount keeps term and down payment, the down payment keeps the price', () => {
    fc.assert(
      fc.property(
        offerArbitrary,
        leverArbitrary,
        fc.integer({ min: 6, max: 1_000_000 }),
        (stored, lever, value) => {
          const before = leversOf(stored);
          const after = withLever(before, lever, value);
          expect(after[lever]).toBe(value);
          if (lever === 'downPayment') {
            expect(after.amount + after.downPayment!).toBe(stored.AMT_GOODS_PRICE);
            expect(after.termMonths).toBe(before.termMonths);
          } else {
            for (const other of ['amount', 'termMonths', 'downPayment'] as const)
              if (other !== lever) expect(after[other]).toBe(before[other]);
          }
        },
      ),
    );
  });

  it('ask the API for the levers that moved only, the goods price following amount and down payment', () => {
    const stored = offer(300_000, 24, 310_000);
    const levers = leversOf(stored);
    expect(editsOf(levers, stored)).toEqual({});
    expect(isUnchanged(levers, stored)).toBe(true);
    expect(editsOf(withLever(levers, 'termMonths', 36), stored)).toEqual({ termMonths: 36 });
    expect(editsOf(withLever(levers, 'amount', 250_000), stored)).toEqual({
      AMT_CREDIT: 250_000,
      AMT_GOODS_PRICE: 260_000,
    });
    expect(editsOf(withLever(levers, 'downPayment', 40_000), stored)).toEqual({ AMT_CREDIT: 270_000 });
    const noGoods = offer(50_000, 20, null);
    expect(leversOf(noGoods).downPayment).toBeNull();
    expect(editsOf(withLever(leversOf(noGoods), 'amount', 40_000), noGoods)).toEqual({ AMT_CREDIT: 40_000 });
  });

  it('offer ranges that contain the stored application', () => {
    fc.assert(
      fc.property(offerArbitrary, (stored) => {
        const ranges = leverRanges(stored);
        const levers = leversOf(stored);
        for (const lever of ['amount', 'termMonths', 'downPayment'] as const) {
          expect(levers[lever]).toBeGreaterThanOrEqual(ranges[lever].min);
          expect(levers[lever]).toBeLessThanOrEqual(ranges[lever].max);
        }
      }),
    );
  });
});
