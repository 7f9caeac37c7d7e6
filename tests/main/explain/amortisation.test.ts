import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthlyPayment, termInMonths } from '../../../src-main/explain/amortisation.ts';

describe('amortisation', () => {
  it('gives the payments of loans computed by hand', () => {
    // 10,000 at 12 % over a year: i = 1 %, A = 100 / (1 − 1.01^−12) = 888.49.
    expect(monthlyPayment(10_000, 0.12, 12)).toBeCloseTo(888.4879, 4);
    // A 30-year mortgage of 200,000 at 6 %: the textbook 1,199.10.
    expect(monthlyPayment(200_000, 0.06, 360)).toBeCloseTo(1199.1011, 4);
    // 24,000 at 7.5 % over 48 months: 580.29 (i = 0.625 %, (1.00625)^48 = 1.3486).
    expect(monthlyPayment(24_000, 0.075, 48)).toBeCloseTo(580.2936, 4);
    // No interest: credit ÷ term.
    expect(monthlyPayment(427_500, 0, 9)).toBe(47_500);
  });

  it('gives the terms of those loans back from their payments', () => {
    expect(termInMonths(10_000, 888.4879, 0.12)).toBeCloseTo(12, 4);
    expect(termInMonths(200_000, 1199.1011, 0.06)).toBeCloseTo(360, 3);
    expect(termInMonths(427_500, 47_500, 0)).toBe(9);
    // 1,000 a month on 100,000 at 6 %: −ln(1 − 0.5) / ln(1.005) = 138.98 months.
    expect(termInMonths(100_000, 1000, 0.06)).toBeCloseTo(138.9757, 3);
  });

  it('has no term when the payment does not cover the interest', () => {
    // 500 a month is exactly the first month's interest on 100,000 at 6 %.
    expect(termInMonths(100_000, 500, 0.06)).toBe(Infinity);
    expect(termInMonths(100_000, 400, 0.06)).toBe(Infinity);
  });

  it('goes from term to payment and back, and pays more for a higher rate or a shorter term', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 5_000_000, noNaN: true }),
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.double({ min: 1, max: 600, noNaN: true }),
        (principal, rate, months) => {
          const payment = monthlyPayment(principal, rate, months);
          expect(Math.abs(termInMonths(principal, payment, rate) - months)).toBeLessThan(1e-6 * months);
          expect(payment * months).toBeGreaterThanOrEqual(principal * (1 - 1e-9));
          expect(monthlyPayment(principal, rate + 0.01, months)).toBeGreaterThan(payment);
          expect(monthlyPayment(principal, rate, months + 1)).toBeLessThan(payment);
        },
      ),
    );
  });

  it('refuses amounts, terms and rates that are no loan, naming them', () => {
    expect(() => monthlyPayment(0, 0.05, 12)).toThrow(/amount borrowed must be a finite number > 0, not 0/);
    expect(() => monthlyPayment(1000, 0.05, Number.NaN)).toThrow(/term in months/);
    expect(() => monthlyPayment(1000, -0.01, 12)).toThrow(/nominal annual rate .* not -0.01/);
    expect(() => termInMonths(1000, -5, 0.05)).toThrow(/monthly payment must be/);
  });
});
