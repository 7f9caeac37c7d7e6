import type { Offer, OfferEdits } from '../../src-main/api/contract.ts';

export interface Levers {
  /** Amount borrowed (AMT_CREDIT). */
  amount: number;
  /** Repayment term in months; null when the stored payment never repays the credit (the data look wrong). */
  termMonths: number | null;
  /**
   * Goods price − amount borrowed: what the client pays upfront when positive, the credit financed beyond the
   * price when negative (shown as such, never as a negative down payment); null without a goods price.
   */
  downPayment: number | null;
}

export type LeverName = keyof Levers;

/**
 * The levers a manager talks about (amount, term, down payment) over an offer the API worked out; the payment
 * that goes with them always comes from the API, which amortises at the product's rate. Moving one lever keeps
 * the others: a longer term lowers the payment, a larger amount keeps the term and the down payment (a bigger
 * project), a larger down payment keeps the goods price (less to borrow).
 */
export function leversOf(offer: Offer): Levers {
  return {
    amount: offer.AMT_CREDIT,
    termMonths: offer.termMonths,
    downPayment: offer.AMT_GOODS_PRICE === null ? null : offer.AMT_GOODS_PRICE - offer.AMT_CREDIT,
  };
}

/** The levers after moving one of them to `value`. */
export function withLever(levers: Levers, lever: LeverName, value: number): Levers {
  if (lever === 'downPayment' && levers.downPayment !== null) {
    const goods = levers.amount + levers.downPayment;
    return { ...levers, amount: goods - value, downPayment: value };
  }
  return { ...levers, [lever]: value };
}

/** What the API is asked to simulate: the levers that differ from the stored application. */
export function editsOf(levers: Levers, stored: Offer): OfferEdits {
  const storedLevers = leversOf(stored);
  const edits: OfferEdits = {};
  if (levers.amount !== storedLevers.amount) edits.AMT_CREDIT = levers.amount;
  if (levers.termMonths !== null && levers.termMonths !== storedLevers.termMonths)
    edits.termMonths = levers.termMonths;
  const goods = levers.downPayment === null ? null : levers.amount + levers.downPayment;
  if (goods !== null && goods !== stored.AMT_GOODS_PRICE) edits.AMT_GOODS_PRICE = goods;
  return edits;
}

/**
 * A decided offer as the API takes it back (whatIf edits): its three amounts, or none when its payment never
 * repays the credit (only the application as made can be such an offer, and its amounts are refused as edits).
 */
export function offerEdits(offer: Offer): OfferEdits {
  if (offer.termMonths === null) return {};
  const edits: OfferEdits = { AMT_CREDIT: offer.AMT_CREDIT, AMT_ANNUITY: offer.AMT_ANNUITY };
  if (offer.AMT_GOODS_PRICE !== null) edits.AMT_GOODS_PRICE = offer.AMT_GOODS_PRICE;
  return edits;
}

export interface LeverRange {
  min: number;
  max: number;
  step: number;
}

/**
 * Slider ranges around the stored application: amount from 30 % to 150 %, term from 6 months to 6 years beyond
 * the stored one (50 years at most), down payment up to half the goods price. Steps are round figures a client
 * would quote.
 */
export function leverRanges(stored: Offer): Record<LeverName, LeverRange> {
  const levers = leversOf(stored);
  const amountStep = levers.amount >= 100_000 ? 1_000 : 100;
  const roundDown = (value: number, step: number) => Math.floor(value / step) * step;
  const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;
  const term = levers.termMonths ?? 0;
  const down = levers.downPayment ?? 0;
  return {
    amount: {
      min: roundDown(levers.amount * 0.3, amountStep),
      max: roundUp(levers.amount * 1.5, amountStep),
      step: amountStep,
    },
    termMonths: { min: 6, max: Math.min(600, Math.max(72, Math.ceil(term) + 72)), step: 1 },
    downPayment: {
      min: Math.min(0, roundDown(down, amountStep)),
      max: roundUp(Math.max((stored.AMT_GOODS_PRICE ?? 0) * 0.5, down), amountStep),
      step: amountStep,
    },
  };
}

/** True when the levers are the stored application's (nothing to simulate). */
export function isUnchanged(levers: Levers, stored: Offer): boolean {
  return Object.keys(editsOf(levers, stored)).length === 0;
}
