import type { Lender, Offer, OfferEdits, OfferWarning } from '../api/contract.ts';
import { contractTypeSchema } from '../api/contract.ts';
import { conflict, outOfRange } from '../api/apiFailure.ts';
import type { ClientBase } from '../data/clientBase.ts';
import { monthlyPayment, termInMonths } from '../explain/amortisation.ts';
import type { ApplicationEdits } from '../features/client.ts';

/**
 * The loan under discussion: the stored application, or the offer a what-if makes of it, as the three amounts the
 * model reads (credit, monthly payment, goods price) and what a client checks them by (term, rate, down payment,
 * total repaid, payment against income). The term follows from the amount and the payment by amortisation at the
 * product's nominal rate from the lender's file, and back; moving the amount keeps the term, so the payment
 * follows the amount in proportion.
 *
 * Offers the contract accepts but the application does not are refused as 'out_of_range': an amount beyond ten
 * times (or under a tenth of) the stored credit, a term over 50 years, a payment that never repays the credit.
 */

interface StoredRow {
  AMT_CREDIT: number;
  AMT_ANNUITY: number | null;
  AMT_GOODS_PRICE: number | null;
  AMT_INCOME_TOTAL: number;
  NAME_CONTRACT_TYPE: string | null;
}

const RANGE_FACTOR = 10;
export const MAX_TERM_MONTHS = 600;

const cents = (amount: number) => Math.round(amount * 100) / 100;

function checkRange(field: string, value: number, min: number, max: number, why: string): void {
  if (value < min || value > max) {
    throw outOfRange(`${field}: ${value} is outside the range this application allows (${why})`, {
      field,
      value,
      min,
      max,
    });
  }
}

/** The product's nominal annual rate; an application of an unknown product has none. */
export function nominalRateOf(lender: Pick<Lender, 'nominalRates'>, contractType: string | null): number {
  const parsed = contractTypeSchema.safeParse(contractType);
  if (!parsed.success) {
    throw conflict(
      `the application's product (NAME_CONTRACT_TYPE ${JSON.stringify(contractType)}) has no rate in the lender's file`,
    );
  }
  return lender.nominalRates[parsed.data];
}

export interface OfferPair {
  stored: Offer;
  applied: Offer;
  /** The amounts of `applied` that differ from the stored application, as the feature pipeline takes them. */
  changes: ApplicationEdits;
}

export class Offers {
  private readonly select;

  constructor(
    db: ClientBase,
    private readonly lender: Pick<Lender, 'nominalRates'>,
  ) {
    this.select = db.prepare(
      `SELECT AMT_CREDIT, AMT_ANNUITY, AMT_GOODS_PRICE, AMT_INCOME_TOTAL, NAME_CONTRACT_TYPE
       FROM application WHERE SK_ID_CURR = ?`,
    );
  }

  /** The nominal annual rate of the client's product. */
  rateOf(clientId: number): number {
    return nominalRateOf(this.lender, this.row(clientId).NAME_CONTRACT_TYPE);
  }

  /** The stored application and the offer `edits` make of it, checked against what the application allows. */
  resolve(clientId: number, edits: OfferEdits): OfferPair {
    const row = this.row(clientId);
    const rate = nominalRateOf(this.lender, row.NAME_CONTRACT_TYPE);
    const storedAnnuity = row.AMT_ANNUITY ?? givenAnnuity(clientId, row, edits, rate);
    const stored = offerOf(row.AMT_CREDIT, storedAnnuity, row.AMT_GOODS_PRICE, rate, row.AMT_INCOME_TOTAL);

    const credit = edits.AMT_CREDIT ?? row.AMT_CREDIT;
    const goods = edits.AMT_GOODS_PRICE ?? row.AMT_GOODS_PRICE;
    const range = `a tenth to ${RANGE_FACTOR} times the stored credit`;
    checkRange('AMT_CREDIT', credit, row.AMT_CREDIT / RANGE_FACTOR, row.AMT_CREDIT * RANGE_FACTOR, range);
    if (edits.AMT_GOODS_PRICE !== undefined) {
      checkRange(
        'AMT_GOODS_PRICE',
        edits.AMT_GOODS_PRICE,
        row.AMT_CREDIT / RANGE_FACTOR,
        row.AMT_CREDIT * RANGE_FACTOR,
        range,
      );
    }
    let annuity: number;
    let term: number | null;
    if (edits.termMonths !== undefined) {
      term = edits.termMonths;
      annuity = cents(monthlyPayment(credit, rate, term));
    } else if (edits.AMT_ANNUITY !== undefined) {
      annuity = edits.AMT_ANNUITY;
      term = checkedTerm(credit, annuity, rate);
    } else {
      // The same term: at a fixed rate and term the payment is proportional to the amount.
      annuity = credit === row.AMT_CREDIT ? storedAnnuity : cents((storedAnnuity * credit) / row.AMT_CREDIT);
      term = stored.termMonths;
    }
    const applied = offerOf(credit, annuity, goods, rate, row.AMT_INCOME_TOTAL, term);
    const changes: ApplicationEdits = {};
    if (credit !== row.AMT_CREDIT) changes.AMT_CREDIT = credit;
    if (annuity !== row.AMT_ANNUITY) changes.AMT_ANNUITY = annuity;
    if (goods !== null && goods !== row.AMT_GOODS_PRICE) changes.AMT_GOODS_PRICE = goods;
    return { stored, applied, changes };
  }

  private row(clientId: number): StoredRow {
    const row = this.select.get(clientId) as StoredRow | undefined;
    if (!row) throw conflict(`client ${clientId} has no application`);
    return row;
  }
}

/** An application stored without a payment (a few Kaggle rows): the edits must give one, or a term. */
function givenAnnuity(clientId: number, row: StoredRow, edits: OfferEdits, rate: number): number {
  if (edits.AMT_ANNUITY !== undefined) return edits.AMT_ANNUITY;
  if (edits.termMonths !== undefined) return cents(monthlyPayment(row.AMT_CREDIT, rate, edits.termMonths));
  throw conflict(
    `client ${clientId} has no AMT_ANNUITY recorded: give a monthly payment or a term in edits to simulate`,
    { field: 'AMT_ANNUITY' },
  );
}

/** The term a payment repays the credit in, within what the application allows. */
function checkedTerm(credit: number, annuity: number, rate: number): number {
  checkRange('AMT_ANNUITY', annuity, 0, credit, 'at most the credit');
  const term = termInMonths(credit, annuity, rate);
  if (term > MAX_TERM_MONTHS) {
    const months = Number.isFinite(term) ? `${Math.ceil(term)} months` : 'forever';
    throw outOfRange(
      `AMT_ANNUITY: ${annuity} a month would take ${months} to repay ${credit} at a nominal rate of ${rate}, beyond the ${MAX_TERM_MONTHS} months this application allows`,
      {
        field: 'AMT_ANNUITY',
        value: annuity,
        min: monthlyPayment(credit, rate, MAX_TERM_MONTHS),
        max: credit,
      },
    );
  }
  return term;
}

function offerOf(
  credit: number,
  annuity: number,
  goods: number | null,
  rate: number,
  income: number,
  term: number | null = finiteOrNull(termInMonths(credit, annuity, rate)),
): Offer {
  const warnings: OfferWarning[] = [];
  if (annuity > income) warnings.push('payment-above-income');
  if (term === null) warnings.push('payment-below-interest');
  return {
    AMT_CREDIT: credit,
    AMT_ANNUITY: annuity,
    AMT_GOODS_PRICE: goods,
    termMonths: term,
    nominalRate: rate,
    downPayment: goods === null ? 0 : Math.max(0, goods - credit),
    financedBeyondPrice: goods === null ? 0 : Math.max(0, credit - goods),
    totalRepaid: term === null ? null : cents(annuity * term),
    monthlyIncome: income > 0 ? income : null,
    paymentToIncome: income > 0 ? annuity / income : null,
    warnings,
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
