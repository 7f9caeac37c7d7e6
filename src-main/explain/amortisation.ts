/**
 * The standard amortisation of a fixed-rate loan repaid in equal monthly instalments: with P the amount borrowed,
 * r the nominal annual rate, i = r / 12 the monthly rate and n the number of months, the monthly payment is
 *
 *   A = P · i / (1 − (1 + i)^−n)        (A = P / n when r = 0)
 *
 * and, the other way round, the term a payment repays is
 *
 *   n = −ln(1 − P · i / A) / ln(1 + i)  (n = P / A when r = 0),
 *
 * which has no solution when the payment does not even cover the first month's interest (A ≤ P · i). Terms may be
 * fractional: a stored application's annuity rarely repays its credit in a whole number of months, and the
 * what-if keeps that term exactly while the amount moves. Kaggle's AMT_ANNUITY is such a monthly payment
 * (README, "Amounts").
 */

const MONTHS_PER_YEAR = 12;

function monthlyRate(annualRate: number): number {
  if (!(annualRate >= 0) || !Number.isFinite(annualRate)) {
    throw new RangeError(`the nominal annual rate must be a finite number ≥ 0, not ${annualRate}`);
  }
  // Below a billionth the interest changes no payment by a cent, and the closed forms lose their precision.
  return annualRate < 1e-9 ? 0 : annualRate / MONTHS_PER_YEAR;
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number > 0, not ${value}`);
  }
}

/** The monthly payment repaying `principal` over `months` at the nominal `annualRate` (0.08 for 8 %). */
export function monthlyPayment(principal: number, annualRate: number, months: number): number {
  checkPositive('the amount borrowed', principal);
  checkPositive('the term in months', months);
  const i = monthlyRate(annualRate);
  if (i === 0) return principal / months;
  // -expm1(-n·log1p(i)) = 1 − (1 + i)^−n without cancellation for small rates.
  return (principal * i) / -Math.expm1(-months * Math.log1p(i));
}

/**
 * The number of months (possibly fractional) `payment` a month takes to repay `principal` at `annualRate`;
 * Infinity when the payment does not cover the interest.
 */
export function termInMonths(principal: number, payment: number, annualRate: number): number {
  checkPositive('the amount borrowed', principal);
  checkPositive('the monthly payment', payment);
  const i = monthlyRate(annualRate);
  if (i === 0) return principal / payment;
  const share = (principal * i) / payment;
  if (share >= 1) return Infinity;
  return -Math.log1p(-share) / Math.log1p(i);
}
