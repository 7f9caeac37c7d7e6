import { DAYS_PER_YEAR, type Client } from './application.ts';
import type { Row } from './csvWriter.ts';
import type { Choice } from './distributions.ts';
import {
  Grains,
  Quantiles,
  clamp,
  correlatedNormal,
  negativeBinomial,
  normalCdf,
  roundTo,
  sigmoid,
} from './distributions.ts';
import { checkLevel, levelChoice, type DemoParams } from './params.ts';
import type { Rng } from './prng.ts';
import { monthOf } from './repayments.ts';

export interface BureauHistory {
  bureau: Row[];
  balance: Row[];
}

const T = 'bureau';
const CLOSED = checkLevel(T, 'CREDIT_ACTIVE', 'Closed');
const ACTIVE = checkLevel(T, 'CREDIT_ACTIVE', 'Active');
const SOLD = checkLevel(T, 'CREDIT_ACTIVE', 'Sold');
const BAD_DEBT = checkLevel(T, 'CREDIT_ACTIVE', 'Bad debt');
const CARD = checkLevel(T, 'CREDIT_TYPE', 'Credit card');
const STATUS_CLOSED = checkLevel('bureau_balance', 'STATUS', 'C');
const STATUS_UNKNOWN = checkLevel('bureau_balance', 'STATUS', 'X');
/** bureau_balance statuses by days past due: '0' none, '1' 1-30 days ... '5' over 120 days or written off. */
const STATUS_BY_LATENESS = ['0', '1', '2', '3', '4', '5'].map((s) =>
  checkLevel('bureau_balance', 'STATUS', s),
);

/**
 * Credits other lenders reported to the credit bureau (bureau) and, for about half of them, their monthly status
 * (bureau_balance). A credit is opened after the client's 18th birthday, its balance months run from its opening
 * month to the last report, and a credit that was ever overdue shows it both in AMT_CREDIT_MAX_OVERDUE and in
 * its monthly statuses: the hidden discipline trait is what makes a client's credits go overdue.
 */
export class BureauBuilder {
  private readonly b: DemoParams['bureau'];
  private readonly bb: DemoParams['bureauBalance'];
  private readonly creditType: Choice<string>;
  private readonly currency: Choice<string>;
  private readonly daysCredit: Quantiles;
  private readonly termMonths = new Map<string, Quantiles>();
  private readonly otherTerm: Quantiles;
  private readonly amount: Quantiles;
  private readonly amountGrains: Grains;

  constructor(params: DemoParams) {
    const b = params.bureau;
    this.b = b;
    this.bb = params.bureauBalance;
    this.creditType = levelChoice(T, 'CREDIT_TYPE', b.creditType);
    this.currency = levelChoice(T, 'CREDIT_CURRENCY', b.currency);
    this.daysCredit = new Quantiles(b.daysCredit);
    for (const [type, knots] of Object.entries(b.termMonths)) {
      if (type !== 'other') this.termMonths.set(checkLevel(T, 'CREDIT_TYPE', type), new Quantiles(knots));
    }
    const other = b.termMonths.other;
    if (!other) throw new Error('demo parameters: bureau.termMonths needs an "other" entry');
    this.otherTerm = new Quantiles(other);
    for (const type of Object.keys(b.amount.typeFactor)) checkLevel(T, 'CREDIT_TYPE', type);
    this.amount = new Quantiles(b.amount.quantiles);
    this.amountGrains = new Grains(b.amount.grains);
  }

  build(rng: Rng, client: Client, nextId: () => number): BureauHistory {
    const history: BureauHistory = { bureau: [], balance: [] };
    if (!client.hasBureauFile) return history;
    const c = this.b.creditsPerClient;
    const count =
      1 +
      negativeBinomial(
        rng,
        (c.mean - 1) * Math.exp(c.ageLoading * client.older - c.ageLoading ** 2 / 2),
        c.shape,
      );
    const overdueChance = sigmoid(
      this.b.overdue.intercept + this.b.overdue.disciplineLoading * client.discipline,
    );
    for (let i = 0; i < count; i++) this.credit(rng, client, nextId(), overdueChance, history);
    return history;
  }

  private credit(rng: Rng, client: Client, id: number, overdueChance: number, history: BureauHistory): void {
    const b = this.b;
    const type = this.creditType.draw(rng);
    const earliest = Math.ceil(client.daysBirth + b.minAgeYears * DAYS_PER_YEAR);
    let daysCredit = Math.round(this.daysCredit.draw(rng));
    if (daysCredit < earliest) daysCredit = earliest + Math.floor(rng.next() * (1 - earliest));
    const termDays = Math.round((this.termMonths.get(type) ?? this.otherTerm).draw(rng) * 30.4375);
    const endDate = type === CARD && rng.chance(b.cardWithoutEndDateShare) ? null : daysCredit + termDays;
    const everOverdue = rng.chance(overdueChance);

    const pastEnd = endDate !== null && endDate < 0;
    const closed =
      daysCredit < -1 && rng.chance(pastEnd ? b.closedShare.afterEndDate : b.closedShare.beforeEndDate);
    let factEnd: number | null = null;
    if (closed) {
      // Many credits are repaid before their end date, and those that are end sooner after opening than later.
      const early = !pastEnd || rng.chance(b.closedShare.repaidEarly);
      const until = Math.min(endDate ?? -1, -1);
      factEnd = early
        ? daysCredit + 1 + Math.floor((until - daysCredit - 1) * Math.pow(rng.next(), b.earlyClosureShape))
        : endDate! + Math.round(30 * rng.normal());
      factEnd = clamp(factEnd, daysCredit + 1, -1);
    }
    let state = closed ? CLOSED : ACTIVE;
    if (!closed && everOverdue && rng.chance(b.overdue.soldShare)) state = SOLD;
    if (!closed && everOverdue && rng.chance(b.overdue.badDebtShare)) state = BAD_DEBT;

    const latent = correlatedNormal(rng, client.incomeLatent, b.amount.incomeLoading);
    const amount = this.amountGrains.round(
      rng,
      this.amount.at(normalCdf(latent)) * (b.amount.typeFactor[type] ?? 1),
    );
    const elapsed = Math.min(1, -daysCredit / Math.max(termDays, 1));
    let debt = 0;
    if (!closed)
      debt =
        type === CARD
          ? roundTo(amount * rng.next(), 0.005)
          : roundTo(amount * (1 - elapsed) * (0.8 + 0.3 * rng.next()), 0.005);
    debt = Math.max(0, Math.min(debt, amount));
    const monthlyAnnuity = roundTo((amount / Math.max(termDays / 30.4375, 1)) * 1.1, 0.005);
    const overdueNow = !closed && everOverdue && rng.chance(b.overdue.currentShare);
    const daysOverdue = overdueNow ? rng.intBetween(1, 180) : 0;
    const maxOverdue = everOverdue
      ? Math.max(0.005, roundTo(Math.min(monthlyAnnuity * (0.2 + 2.8 * rng.next()), amount), 0.005))
      : rng.chance(b.nullRates.AMT_CREDIT_MAX_OVERDUE ?? 0)
        ? null
        : 0;
    const nullable = (column: string, value: number) => (rng.chance(b.nullRates[column] ?? 0) ? null : value);
    const update = closed ? Math.min(factEnd! + rng.intBetween(0, 30), 0) : -rng.int(b.updateLagDays);

    history.bureau.push({
      SK_ID_CURR: client.id,
      SK_ID_BUREAU: id,
      CREDIT_ACTIVE: state,
      CREDIT_CURRENCY: this.currency.draw(rng),
      DAYS_CREDIT: daysCredit,
      CREDIT_DAY_OVERDUE: daysOverdue,
      DAYS_CREDIT_ENDDATE: endDate === null ? null : nullable('DAYS_CREDIT_ENDDATE', endDate),
      DAYS_ENDDATE_FACT: factEnd,
      AMT_CREDIT_MAX_OVERDUE: maxOverdue,
      CNT_CREDIT_PROLONG: rng.chance(b.prolongShare) ? rng.intBetween(1, 2) : 0,
      AMT_CREDIT_SUM: amount,
      AMT_CREDIT_SUM_DEBT: nullable('AMT_CREDIT_SUM_DEBT', debt),
      AMT_CREDIT_SUM_LIMIT: nullable(
        'AMT_CREDIT_SUM_LIMIT',
        type === CARD && !closed ? roundTo(amount - debt, 0.005) : 0,
      ),
      AMT_CREDIT_SUM_OVERDUE: overdueNow ? roundTo(monthlyAnnuity * Math.ceil(daysOverdue / 30), 0.005) : 0,
      CREDIT_TYPE: type,
      DAYS_CREDIT_UPDATE: Math.max(update, daysCredit),
      AMT_ANNUITY: nullable('AMT_ANNUITY', rng.chance(b.annuityZeroShare) ? 0 : monthlyAnnuity),
    });
    if (rng.chance(this.bb.creditShare))
      this.balance(rng, id, daysCredit, factEnd, everOverdue, state, history);
  }

  /**
   * Monthly statuses, newest month first as in Kaggle's file: '0' while running, 'C' once closed, 'X' unknown,
   * and for a credit that went overdue one episode of '1' (1-30 days) that may worsen month by month; a sold or
   * written-off credit stays at its worst status to the end.
   */
  private balance(
    rng: Rng,
    id: number,
    daysCredit: number,
    factEnd: number | null,
    everOverdue: boolean,
    state: string,
    history: BureauHistory,
  ): void {
    const bb = this.bb;
    const first = monthOf(daysCredit);
    const last = Math.max(first, -Math.floor(-bb.reportLagMonths * Math.log(1 - rng.next())));
    const closedMonth = factEnd === null ? null : monthOf(factEnd);
    const runningUntil = Math.min(closedMonth ?? last, last);
    const allUnknown = rng.chance(bb.unknownCreditShare);
    const unknownUntil = rng.chance(bb.unknownLeadShare)
      ? first + Math.floor(-bb.unknownLeadMonths * Math.log(1 - rng.next()))
      : first - 1;
    const statuses: string[] = [];
    let episodeStart = Infinity;
    let episodeEnd = -Infinity;
    if (everOverdue) {
      episodeStart = rng.intBetween(first, runningUntil);
      const writtenOff = state === SOLD || state === BAD_DEBT;
      episodeEnd = writtenOff
        ? runningUntil
        : Math.min(
            episodeStart + Math.floor(-bb.overdueEpisodeMonths * Math.log(1 - rng.next())),
            runningUntil,
          );
      let lateness = 1;
      for (let m = episodeStart; m <= episodeEnd; m++) {
        statuses.push(STATUS_BY_LATENESS[lateness]!);
        if (lateness < 5 && (writtenOff || rng.chance(bb.worseningShare))) lateness++;
      }
    }
    for (let m = last; m >= first; m--) {
      let status: string;
      if (allUnknown) status = STATUS_UNKNOWN;
      else if (closedMonth !== null && m > closedMonth) status = STATUS_CLOSED;
      else if (m <= unknownUntil) status = STATUS_UNKNOWN;
      else if (m >= episodeStart && m <= episodeEnd) status = statuses[m - episodeStart]!;
      else status = STATUS_BY_LATENESS[0]!;
      history.balance.push({ SK_ID_BUREAU: id, MONTHS_BALANCE: m, STATUS: status });
    }
  }
}
