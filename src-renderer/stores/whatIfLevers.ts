import type { ApiOutput } from '../../src-main/api/contract.ts';

/** The three amounts of an application the what-if edits (Kaggle names). */
export type Amounts = ApiOutput<'whatIf'>['applied'];

export interface Levers {
  /** Amount borrowed (AMT_CREDIT). */
  amount: number;
  /** Repayment term in months. */
  termMonths: number;
  /** What the client pays upfront: goods price − amount borrowed. */
  downPayment: number;
}

/**
 * The levers a manager talks about (amount, term, down payment) as a view over the three stored amounts, with no
 * interest: term = credit / annuity (months), down payment = goods price − credit. Moving one lever keeps the
 * others: a longer term lowers the annuity, a larger amount keeps the term and the down payment.
 */
export function leversOf(amounts: Amounts): Levers {
  return {
    amount: amounts.AMT_CREDIT,
    termMonths: amounts.AMT_ANNUITY > 0 ? amounts.AMT_CREDIT / amounts.AMT_ANNUITY : 0,
    downPayment: amounts.AMT_GOODS_PRICE - amounts.AMT_CREDIT,
  };
}

/** The amounts after moving one lever to `value`. */
export function withLever(amounts: Amounts, lever: keyof Levers, value: number): Amounts {
  const current = leversOf(amounts);
  const next = { ...current, [lever]: value };
  return {
    AMT_CREDIT: next.amount,
    // Unchanged term and amount keep the annuity exactly as stored (no rounding through the term).
    AMT_ANNUITY:
      next.amount === current.amount && next.termMonths === current.termMonths
        ? amounts.AMT_ANNUITY
        : next.amount / next.termMonths,
    AMT_GOODS_PRICE: next.amount + next.downPayment,
  };
}

export interface LeverRange {
  min: number;
  max: number;
  step: number;
}

/**
 * Slider ranges around the stored application: amount from 30 % to 150 %, term from 6 months to 6 years beyond
 * the stored one, down payment up to half the goods price. Steps are round figures a client would quote.
 */
export function leverRanges(stored: Amounts): Record<keyof Levers, LeverRange> {
  const levers = leversOf(stored);
  const amountStep = levers.amount >= 100_000 ? 1_000 : 100;
  const roundDown = (value: number, step: number) => Math.floor(value / step) * step;
  const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;
  return {
    amount: {
      min: roundDown(levers.amount * 0.3, amountStep),
      max: roundUp(levers.amount * 1.5, amountStep),
      step: amountStep,
    },
    termMonths: { min: 6, max: Math.max(72, Math.ceil(levers.termMonths) + 72), step: 1 },
    downPayment: {
      min: Math.min(0, roundDown(levers.downPayment, amountStep)),
      max: roundUp(Math.max(stored.AMT_GOODS_PRICE * 0.5, levers.downPayment), amountStep),
      step: amountStep,
    },
  };
}

/** True when the amounts are the stored ones (nothing to simulate). */
export function isUnchanged(amounts: Amounts, stored: Amounts): boolean {
  return (
    amounts.AMT_CREDIT === stored.AMT_CREDIT &&
    amounts.AMT_ANNUITY === stored.AMT_ANNUITY &&
    amounts.AMT_GOODS_PRICE === stored.AMT_GOODS_PRICE
  );
}
