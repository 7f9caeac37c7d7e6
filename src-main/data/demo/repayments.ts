import type { Client } from './application.ts';
import type { Row } from './csvWriter.ts';
import { Choice, Quantiles, poisson, roundTo, sigmoid } from './distributions.ts';
import { checkLevel, levelChoice, type DemoParams } from './params.ts';
import type { CardLoan, InstalmentLoan, PreviousHistory } from './previous.ts';
import type { Rng } from './prng.ts';

export interface Repayments {
  pos: Row[];
  instalments: Row[];
  cards: Row[];
}

const DAYS_PER_MONTH = 30.4375;

/** MONTHS_BALANCE of a day: month -1 holds the last 30 days before the application. */
export function monthOf(day: number): number {
  return Math.floor(day / DAYS_PER_MONTH);
}

/** The last day of a month, as a DAYS_ number. */
function monthEnd(month: number): number {
  return Math.ceil((month + 1) * DAYS_PER_MONTH) - 1;
}

const POS = 'POS_CASH_balance';
const CARD = 'credit_card_balance';
const ACTIVE = checkLevel(POS, 'NAME_CONTRACT_STATUS', 'Active');
const RETURNED = checkLevel(POS, 'NAME_CONTRACT_STATUS', 'Returned to the store');
const POS_DEMAND = checkLevel(POS, 'NAME_CONTRACT_STATUS', 'Demand');
const CARD_ACTIVE = checkLevel(CARD, 'NAME_CONTRACT_STATUS', 'Active');
const CARD_COMPLETED = checkLevel(CARD, 'NAME_CONTRACT_STATUS', 'Completed');
const CARD_DEMAND = checkLevel(CARD, 'NAME_CONTRACT_STATUS', 'Demand');

/**
 * The monthly and per-instalment history of a client's approved loans: POS_CASH_balance and installments_payments
 * for instalment loans, credit_card_balance (plus version-0 installment rows) for cards. Lateness comes from the
 * hidden discipline trait, and POS days-past-due are read off the same payments, so the tables agree.
 */
export class RepaymentBuilder {
  private readonly r: DemoParams['repayment'];
  private readonly lateDays: Quantiles;
  private readonly earlyDays: Quantiles;
  private readonly drawing: Quantiles;
  private readonly posFirstStatus: Choice<string>;
  private readonly posFinalStatus: Choice<string>;
  private readonly cardFirstStatus: Choice<string>;

  constructor(params: DemoParams) {
    const r = params.repayment;
    this.r = r;
    this.lateDays = new Quantiles(r.lateDays);
    this.earlyDays = new Quantiles(r.earlyDays);
    this.drawing = new Quantiles(r.card.drawing);
    this.posFirstStatus = withRemainder(POS, r.pos.firstMonthStatus, ACTIVE);
    this.posFinalStatus = levelChoice(POS, 'NAME_CONTRACT_STATUS', r.pos.finalStatus);
    this.cardFirstStatus = withRemainder(CARD, r.card.firstMonthStatus, CARD_ACTIVE);
  }

  build(rng: Rng, client: Client, history: PreviousHistory): Repayments {
    const out: Repayments = { pos: [], instalments: [], cards: [] };
    const lateChance = sigmoid(this.r.lateIntercept + this.r.lateDisciplineLoading * client.discipline);
    for (const loan of history.instalmentLoans) this.instalmentLoan(rng, client.id, loan, lateChance, out);
    const missChance = sigmoid(
      this.r.card.missedPaymentIntercept + this.r.card.missedPaymentLoading * client.discipline,
    );
    for (const card of history.cards) this.card(rng, client.id, card, missChance, out);
    return out;
  }

  private instalmentLoan(
    rng: Rng,
    clientId: number,
    loan: InstalmentLoan,
    lateChance: number,
    out: Repayments,
  ): void {
    const r = this.r;
    // A loan signed this month, whose first instalment is still to come, shows as of the last closed month.
    const startMonth = Math.min(monthOf(loan.firstDue), -1);
    if (loan.consumer && rng.chance(r.pos.returnedShare)) {
      // Goods taken back: the loan shows in POS and is never repaid.
      out.pos.push(this.posRow(loan, clientId, startMonth, loan.planned, ACTIVE, 0, 0));
      if (startMonth + 1 <= -1)
        out.pos.push(this.posRow(loan, clientId, startMonth + 1, loan.planned, RETURNED, 0, 0));
      return;
    }
    const versionFrom = rng.chance(r.versionChangeShare)
      ? rng.intBetween(2, Math.max(2, loan.instalments))
      : Infinity;
    const dues: number[] = [];
    const entries: (number | null)[] = [];
    for (let k = 1; k <= loan.instalments; k++) {
      const due = loan.firstDue + 30 * (k - 1);
      if (due > -1) break;
      const amount = k === loan.instalments && loan.payoff !== null ? loan.payoff : loan.annuity;
      let entry: number | null = rng.chance(lateChance)
        ? due + Math.max(1, Math.round(this.lateDays.draw(rng)))
        : Math.max(due - Math.round(this.earlyDays.draw(rng)), loan.decision);
      if (entry > -1) entry = null;
      dues.push(due);
      entries.push(entry);
      this.payInstalment(rng, out, loan.prevId, clientId, k >= versionFrom ? 2 : 1, k, due, entry, amount);
    }

    const lastDue = loan.firstDue + 30 * (loan.instalments - 1);
    const finished = lastDue <= -1;
    const endMonth = finished ? Math.min(monthOf(lastDue) + 1, -1) : -1;
    let paid = 0;
    for (let m = startMonth; m <= endMonth; m++) {
      const end = monthEnd(m);
      let dpd = 0;
      while (paid < dues.length && monthOf(dues[paid]!) <= m) paid++;
      for (let k = 0; k < paid; k++) {
        const entry = entries[k]!;
        if (dues[k]! <= end && (entry === null || entry > end))
          dpd = Math.max(dpd, Math.min(end, -1) - dues[k]!);
      }
      const remaining = finished && m > monthOf(lastDue) ? 0 : loan.planned - paid;
      let status = m === startMonth ? this.posFirstStatus.draw(rng) : ACTIVE;
      if (remaining === 0 && finished && m === endMonth) status = this.posFinalStatus.draw(rng);
      else if (dpd >= r.pos.demandDpdDays) status = POS_DEMAND;
      const dpdDef = dpd > 0 && rng.chance(r.pos.dpdDefShare) ? dpd : 0;
      out.pos.push(this.posRow(loan, clientId, m, remaining, status, dpd, dpdDef));
      if (rng.chance(r.pos.instalmentNullRate)) {
        const row = out.pos[out.pos.length - 1]!;
        row.CNT_INSTALMENT = row.CNT_INSTALMENT_FUTURE = null;
      }
    }
  }

  private posRow(
    loan: InstalmentLoan,
    clientId: number,
    month: number,
    remaining: number,
    status: string,
    dpd: number,
    dpdDef: number,
  ): Row {
    return {
      SK_ID_PREV: loan.prevId,
      SK_ID_CURR: clientId,
      MONTHS_BALANCE: month,
      CNT_INSTALMENT: loan.planned,
      CNT_INSTALMENT_FUTURE: remaining,
      NAME_CONTRACT_STATUS: status,
      SK_DPD: dpd,
      SK_DPD_DEF: dpdDef,
    };
  }

  /** One instalment's payment rows: usually one, sometimes short, sometimes split in two payments. */
  private payInstalment(
    rng: Rng,
    out: Repayments,
    prevId: number,
    clientId: number,
    version: number,
    number: number,
    due: number,
    entry: number | null,
    amount: number,
  ): void {
    const r = this.r;
    if (entry === null) {
      out.instalments.push(instalmentRow(prevId, clientId, version, number, due, null, amount, null));
      return;
    }
    const payment = rng.chance(r.partialPaymentShare)
      ? roundTo(amount * (0.1 + 0.8 * rng.next()), 0.005)
      : amount;
    if (rng.chance(r.splitPaymentShare) && entry < -2) {
      const first = roundTo(payment * (0.2 + 0.6 * rng.next()), 0.005);
      const secondDay = Math.min(entry + rng.intBetween(0, 10), -1);
      out.instalments.push(instalmentRow(prevId, clientId, version, number, due, entry, amount, first));
      out.instalments.push(
        instalmentRow(
          prevId,
          clientId,
          version,
          number,
          due,
          secondDay,
          amount,
          roundTo(payment - first, 0.005),
        ),
      );
    } else {
      out.instalments.push(instalmentRow(prevId, clientId, version, number, due, entry, amount, payment));
    }
  }

  private card(rng: Rng, clientId: number, card: CardLoan, missChance: number, out: Repayments): void {
    const c = this.r.card;
    const startMonth = monthOf(card.decision);
    const endMonth = card.closedOn === null ? -1 : monthOf(card.closedOn);
    const firstUseMonth = card.firstDrawing === null ? null : monthOf(card.firstDrawing);
    const unused = firstUseMonth === null || rng.chance(c.unusedShare);
    let limit = card.limit;
    let balance = 0;
    let dpd = 0;
    let matured = 0;
    let instalmentNumber = 0;
    for (let m = startMonth; m <= endMonth; m++) {
      if (rng.chance(c.limitRaiseShare)) limit = roundTo(limit * 1.5, 22500);
      const active = !unused && m >= firstUseMonth! && rng.chance(c.activeMonthShare);
      const room = Math.max(0, limit - balance);
      const atm = active && rng.chance(c.atmShare) ? Math.min(roundTo(this.drawing.draw(rng), 450), room) : 0;
      const pos =
        active && rng.chance(c.posDrawingShare)
          ? Math.min(roundTo(this.drawing.draw(rng) * 0.4, 0.005), room - atm)
          : 0;
      const other =
        active && rng.chance(c.otherDrawingShare)
          ? Math.min(roundTo(this.drawing.draw(rng), 0.005), room - atm - pos)
          : 0;
      const atmCount = atm > 0 ? 1 + poisson(rng, 1) : 0;
      const posCount = pos > 0 ? 1 + poisson(rng, 2) : 0;
      const otherCount = other > 0 ? 1 : 0;
      const owed = roundTo(balance * (1 + c.monthlyInterest), 0.005);
      const minimum = owed > 0 ? roundTo(Math.min(owed, Math.max(owed * c.minPaymentRate, 2250)), 0.005) : 0;
      const missed = owed > 0 && rng.chance(missChance);
      let payment = 0;
      if (owed > 0 && !missed)
        payment = rng.chance(c.payFullShare)
          ? owed
          : roundTo(Math.min(owed, minimum * (1 + 2 * rng.next())), 0.005);
      if (payment > 0) matured++;
      dpd = missed ? dpd + 30 : 0;
      const drawings = roundTo(atm + pos + other, 0.005);
      balance = Math.max(0, roundTo(owed + drawings - payment, 0.005));
      // A month without drawings or payment is often reported with the details unknown rather than zero.
      const quiet = drawings === 0 && payment === 0 && rng.chance(c.quietMonthNullShare);
      const early = m - startMonth < c.regularityNullMonths;
      let status = m === startMonth ? this.cardFirstStatus.draw(rng) : CARD_ACTIVE;
      if (card.closedOn !== null && m === endMonth) status = CARD_COMPLETED;
      else if (dpd >= 90) status = CARD_DEMAND;
      out.cards.push({
        SK_ID_PREV: card.prevId,
        SK_ID_CURR: clientId,
        MONTHS_BALANCE: m,
        AMT_BALANCE: balance,
        AMT_CREDIT_LIMIT_ACTUAL: limit,
        AMT_DRAWINGS_ATM_CURRENT: quiet ? null : atm,
        AMT_DRAWINGS_CURRENT: drawings,
        AMT_DRAWINGS_OTHER_CURRENT: quiet ? null : other,
        AMT_DRAWINGS_POS_CURRENT: quiet ? null : pos,
        AMT_INST_MIN_REGULARITY: early ? null : minimum,
        AMT_PAYMENT_CURRENT: quiet ? null : payment,
        AMT_PAYMENT_TOTAL_CURRENT: payment,
        AMT_RECEIVABLE_PRINCIPAL: roundTo(balance / (1 + c.monthlyInterest), 0.005),
        AMT_RECIVABLE: balance,
        AMT_TOTAL_RECEIVABLE: balance,
        CNT_DRAWINGS_ATM_CURRENT: quiet ? null : atmCount,
        CNT_DRAWINGS_CURRENT: atmCount + posCount + otherCount,
        CNT_DRAWINGS_OTHER_CURRENT: quiet ? null : otherCount,
        CNT_DRAWINGS_POS_CURRENT: quiet ? null : posCount,
        CNT_INSTALMENT_MATURE_CUM: early ? null : matured,
        NAME_CONTRACT_STATUS: status,
        SK_DPD: dpd,
        SK_DPD_DEF: dpd > 0 && rng.chance(this.r.pos.dpdDefShare) ? dpd : 0,
      });
      if (minimum > 0) {
        // Card statements also appear in installments_payments, as version 0; a missed one is paid a month late.
        const due = Math.min(monthEnd(m) - 10, -1);
        let entry: number | null = missed
          ? due + 30 + rng.intBetween(0, 5)
          : Math.max(due - Math.round(this.earlyDays.draw(rng)), card.decision);
        if (entry > -1) entry = null;
        instalmentNumber++;
        this.payInstalment(rng, out, card.prevId, clientId, 0, instalmentNumber, due, entry, minimum);
      }
    }
  }
}

function instalmentRow(
  prevId: number,
  clientId: number,
  version: number,
  number: number,
  due: number,
  entry: number | null,
  amount: number,
  payment: number | null,
): Row {
  return {
    SK_ID_PREV: prevId,
    SK_ID_CURR: clientId,
    NUM_INSTALMENT_VERSION: version,
    NUM_INSTALMENT_NUMBER: number,
    DAYS_INSTALMENT: due,
    DAYS_ENTRY_PAYMENT: entry,
    AMT_INSTALMENT: amount,
    AMT_PAYMENT: payment,
  };
}

/** A status choice where the named levels have small shares and the usual level takes the rest. */
function withRemainder(
  table: 'POS_CASH_balance' | 'credit_card_balance',
  shares: Record<string, number>,
  usual: string,
): Choice<string> {
  const named = Object.entries(shares).map(
    ([status, p]) => [checkLevel(table, 'NAME_CONTRACT_STATUS', status), p] as const,
  );
  const rest = 1 - named.reduce((s, [, p]) => s + p, 0);
  return new Choice([...named, [usual, rest] as const]);
}
