import { annuityFor, DAYS_PER_YEAR, SENTINEL_DAYS, type Client } from './application.ts';
import type { Row } from './csvWriter.ts';
import {
  Choice,
  Grains,
  Quantiles,
  correlatedNormal,
  countChoice,
  negativeBinomial,
  normalCdf,
  roundTo,
} from './distributions.ts';
import { checkLevel, levelChoice, type AmountParams, type DemoParams } from './params.ts';
import type { Rng } from './prng.ts';

/** An approved cash or consumer loan with a repayment schedule: the source of its POS and installment rows. */
export interface InstalmentLoan {
  prevId: number;
  decision: number;
  firstDue: number;
  /** Instalments the schedule will have had in the end: fewer than planned when repaid early. */
  instalments: number;
  planned: number;
  annuity: number;
  /** The last instalment's amount when the rest was repaid early, else null. */
  payoff: number | null;
  consumer: boolean;
}

/** An approved revolving loan: a credit card with monthly balances. */
export interface CardLoan {
  prevId: number;
  /** The day the card was first used, or null when it never was. */
  firstDrawing: number | null;
  decision: number;
  closedOn: number | null;
  limit: number;
}

export interface PreviousHistory {
  rows: Row[];
  instalmentLoans: InstalmentLoan[];
  cards: CardLoan[];
}

const T = 'previous_application';
const level = (column: string, value: string) => checkLevel(T, column, value);
const XNA = 'XNA';

/** Level codes with a meaning the generator depends on, checked against the schema once. */
const L = {
  cash: level('NAME_CONTRACT_TYPE', 'Cash loans'),
  consumer: level('NAME_CONTRACT_TYPE', 'Consumer loans'),
  revolving: level('NAME_CONTRACT_TYPE', 'Revolving loans'),
  approved: level('NAME_CONTRACT_STATUS', 'Approved'),
  canceled: level('NAME_CONTRACT_STATUS', 'Canceled'),
  refused: level('NAME_CONTRACT_STATUS', 'Refused'),
  unused: level('NAME_CONTRACT_STATUS', 'Unused offer'),
  notApplicable: level('CODE_REJECT_REASON', 'XAP'),
  clientDeclined: level('CODE_REJECT_REASON', 'CLIENT'),
  newClient: level('NAME_CLIENT_TYPE', 'New'),
  repeater: level('NAME_CLIENT_TYPE', 'Repeater'),
  refreshed: level('NAME_CLIENT_TYPE', 'Refreshed'),
  cashPortfolio: level('NAME_PORTFOLIO', 'Cash'),
  posPortfolio: level('NAME_PORTFOLIO', 'POS'),
  cardsPortfolio: level('NAME_PORTFOLIO', 'Cards'),
  carsPortfolio: level('NAME_PORTFOLIO', 'Cars'),
  walkIn: level('NAME_PRODUCT_TYPE', 'walk-in'),
  crossSell: level('NAME_PRODUCT_TYPE', 'x-sell'),
  cashCombination: level('PRODUCT_COMBINATION', 'Cash'),
  officeChannel: level('CHANNEL_TYPE', 'Credit and cash offices'),
  noPurposeAsked: level('NAME_CASH_LOAN_PURPOSE', 'XAP'),
  yes: level('FLAG_LAST_APPL_PER_CONTRACT', 'Y'),
  no: level('FLAG_LAST_APPL_PER_CONTRACT', 'N'),
} as const;
for (const [column, value] of [
  ['NAME_CONTRACT_TYPE', XNA],
  ['NAME_CASH_LOAN_PURPOSE', XNA],
  ['NAME_PAYMENT_TYPE', XNA],
  ['NAME_GOODS_CATEGORY', XNA],
  ['NAME_PORTFOLIO', XNA],
  ['NAME_PRODUCT_TYPE', XNA],
  ['NAME_SELLER_INDUSTRY', XNA],
  ['NAME_YIELD_GROUP', XNA],
  ['NAME_CLIENT_TYPE', XNA],
] as const) {
  level(column, value);
}

type Status = string;

interface Product {
  row: Row;
  /** The monthly instalment, null when none was offered. */
  annuity: number | null;
  insured: boolean;
}

/**
 * previous_application rows of one client, oldest first, and the approved loans behind them. The first application
 * is the client's "New" one; refusals grow with the hidden quality trait, so REFUSED_* aggregates carry risk.
 */
export class PreviousBuilder {
  private readonly p: DemoParams['previous'];
  private readonly firstContractType: Choice<string>;
  private readonly laterContractType: Choice<string>;
  private readonly statusByType = new Map<string, { refused: number; others: [Status, number][] }>();
  private readonly daysDecision: Quantiles;
  private readonly weekday: Choice<string>;
  private readonly hour: Choice<number>;
  private readonly typeSuite: Choice<string>;
  private readonly paymentType: Choice<string>;
  private readonly rejectReason: Choice<string>;
  private readonly firstDueLag: Quantiles;
  private readonly primaryRate: Quantiles;
  private readonly privilegedRate: Quantiles;
  private readonly terminationLag: Quantiles;
  private readonly cash: {
    amount: AmountSampler;
    insuranceFactor: Quantiles;
    term: Choice<number>;
    yield: Choice<string>;
    purpose: Choice<string>;
    channel: Choice<string>;
    sellerIndustry: Choice<string>;
  };
  private readonly consumer: {
    amount: AmountSampler;
    downPaymentRate: Quantiles;
    insuranceFactor: Quantiles;
    term: Choice<number>;
    combination: Choice<string>;
    yieldWithInterest: Choice<string>;
    yieldWithoutInterest: Choice<string>;
    goodsByFamily: Map<string, Choice<string>>;
    channel: Choice<string>;
    sellerPlaceArea: Quantiles;
  };
  private readonly revolving: { credit: Quantiles; channel: Choice<string> };

  constructor(params: DemoParams) {
    const p = params.previous;
    this.p = p;
    this.firstContractType = levelChoice(T, 'NAME_CONTRACT_TYPE', p.contractType.first);
    this.laterContractType = levelChoice(T, 'NAME_CONTRACT_TYPE', p.contractType.later);
    for (const [type, weights] of Object.entries(p.statusByType)) {
      level('NAME_CONTRACT_TYPE', type);
      const total = Object.values(weights).reduce((s, w) => s + w, 0);
      this.statusByType.set(type, {
        refused: (weights[L.refused] ?? 0) / total,
        others: Object.entries(weights)
          .filter(([status]) => level('NAME_CONTRACT_STATUS', status) !== L.refused)
          .map(([status, w]) => [status, w / total]),
      });
    }
    this.daysDecision = new Quantiles(p.daysDecision);
    this.weekday = levelChoice(T, 'WEEKDAY_APPR_PROCESS_START', p.weekday);
    this.hour = countChoice(p.hour);
    this.typeSuite = levelChoice(T, 'NAME_TYPE_SUITE', p.typeSuite.weights);
    this.paymentType = levelChoice(T, 'NAME_PAYMENT_TYPE', p.paymentType);
    this.rejectReason = levelChoice(T, 'CODE_REJECT_REASON', p.rejectReason);
    this.firstDueLag = new Quantiles(p.schedule.firstDueLagDays);
    this.primaryRate = new Quantiles(p.interestRates.primary);
    this.privilegedRate = new Quantiles(p.interestRates.privileged);
    this.terminationLag = new Quantiles(p.schedule.terminationLagDays);
    for (const yieldGroup of Object.keys(p.annualRateByYield)) level('NAME_YIELD_GROUP', yieldGroup);
    for (const byYield of Object.values(p.cash.combination)) {
      for (const [yieldGroup, combination] of Object.entries(byYield)) {
        level('NAME_YIELD_GROUP', yieldGroup);
        level('PRODUCT_COMBINATION', combination);
      }
    }
    for (const combination of Object.values(p.revolving.combination))
      level('PRODUCT_COMBINATION', combination);
    this.cash = {
      amount: new AmountSampler(p.cash.amount),
      insuranceFactor: new Quantiles(p.cash.insuranceFactor),
      term: termChoice(p.cash.termMonths),
      yield: levelChoice(T, 'NAME_YIELD_GROUP', p.cash.yield),
      purpose: levelChoice(T, 'NAME_CASH_LOAN_PURPOSE', p.cash.purpose),
      channel: levelChoice(T, 'CHANNEL_TYPE', p.cash.channel),
      sellerIndustry: levelChoice(T, 'NAME_SELLER_INDUSTRY', p.cash.sellerIndustry),
    };
    const c = p.consumer;
    for (const goods of Object.keys(c.sellerIndustryByGoods)) level('NAME_GOODS_CATEGORY', goods);
    for (const industry of [...Object.values(c.sellerIndustryByGoods), c.sellerIndustryOther])
      level('NAME_SELLER_INDUSTRY', industry);
    level('CHANNEL_TYPE', c.carsChannel);
    this.consumer = {
      amount: new AmountSampler(c.amount),
      downPaymentRate: new Quantiles(c.downPaymentRate),
      insuranceFactor: new Quantiles(c.insuranceFactor),
      term: termChoice(c.termMonths),
      combination: levelChoice(
        T,
        'PRODUCT_COMBINATION',
        Object.fromEntries(Object.entries(c.combination).map(([k, v]) => [k, v.weight])),
      ),
      yieldWithInterest: levelChoice(T, 'NAME_YIELD_GROUP', c.yieldWithInterest),
      yieldWithoutInterest: levelChoice(T, 'NAME_YIELD_GROUP', c.yieldWithoutInterest),
      goodsByFamily: new Map(
        Object.entries(c.goodsByFamily).map(([family, w]) => [
          family,
          levelChoice(T, 'NAME_GOODS_CATEGORY', w),
        ]),
      ),
      channel: levelChoice(T, 'CHANNEL_TYPE', c.channel),
      sellerPlaceArea: new Quantiles(c.sellerPlaceArea),
    };
    for (const { family } of Object.values(c.combination)) {
      if (!this.consumer.goodsByFamily.has(family))
        throw new Error(`demo parameters: no goods for the family ${family}`);
    }
    this.revolving = {
      credit: new Quantiles(p.revolving.credit),
      channel: levelChoice(T, 'CHANNEL_TYPE', p.revolving.channel),
    };
  }

  build(rng: Rng, client: Client, nextId: () => number): PreviousHistory {
    const history: PreviousHistory = { rows: [], instalmentLoans: [], cards: [] };
    if (!rng.chance(this.p.clientShare)) return history;
    const a = this.p.applicationsPerClient;
    const count =
      1 +
      negativeBinomial(
        rng,
        (a.mean - 1) * Math.exp(a.ageLoading * client.older - a.ageLoading ** 2 / 2),
        a.shape,
      );
    const earliest = Math.ceil(client.daysBirth + this.p.minAgeYears * DAYS_PER_YEAR);
    const decisions: number[] = [];
    for (let i = 0; i < count; i++) {
      let day = Math.round(this.daysDecision.draw(rng));
      // A decision before the client's 18th birthday is redrawn inside the window they could have applied in.
      if (day < earliest) day = earliest + Math.floor(rng.next() * (-1 - earliest));
      decisions.push(day);
    }
    decisions.sort((x, y) => x - y);
    decisions.forEach((decision, i) =>
      history.rows.push(this.application(rng, client, nextId(), decision, i === 0, history)),
    );
    return history;
  }

  private application(
    rng: Rng,
    client: Client,
    prevId: number,
    decision: number,
    first: boolean,
    history: PreviousHistory,
  ): Row {
    const p = this.p;
    // A client's first application is most often a consumer loan taken in a shop; later ones make up the rest.
    const type = (first ? this.firstContractType : this.laterContractType).draw(rng);
    const status = this.status(rng, type, client.quality);
    const empty =
      type === XNA || (status === L.canceled && type !== L.consumer && rng.chance(p.emptyCanceledShare));
    const product = empty
      ? this.emptyProduct(type)
      : type === L.cash
        ? this.cashProduct(rng, client)
        : type === L.consumer
          ? this.consumerProduct(rng, client, status)
          : this.revolvingProduct(rng, client);
    const row: Row = {
      SK_ID_PREV: prevId,
      SK_ID_CURR: client.id,
      NAME_CONTRACT_TYPE: type,
      ...product.row,
      WEEKDAY_APPR_PROCESS_START: this.weekday.draw(rng),
      HOUR_APPR_PROCESS_START: this.hour.draw(rng),
      FLAG_LAST_APPL_PER_CONTRACT: rng.chance(p.lastApplicationPerContractNoShare) ? L.no : L.yes,
      NFLAG_LAST_APPL_IN_DAY: rng.chance(p.notLastInDayShare) ? 0 : 1,
      RATE_INTEREST_PRIMARY: null,
      RATE_INTEREST_PRIVILEGED: null,
      NAME_CONTRACT_STATUS: status,
      DAYS_DECISION: decision,
      NAME_PAYMENT_TYPE:
        empty || rng.chance(p.paymentTypeXnaShare[type] ?? 0) ? XNA : this.paymentType.draw(rng),
      CODE_REJECT_REASON:
        status === L.refused
          ? this.rejectReason.draw(rng)
          : status === L.unused
            ? L.clientDeclined
            : L.notApplicable,
      NAME_TYPE_SUITE: empty || rng.chance(p.typeSuite.nullRate) ? null : this.typeSuite.draw(rng),
      NAME_CLIENT_TYPE: this.clientType(rng, first),
      DAYS_FIRST_DRAWING: null,
      DAYS_FIRST_DUE: null,
      DAYS_LAST_DUE_1ST_VERSION: null,
      DAYS_LAST_DUE: null,
      DAYS_TERMINATION: null,
      NFLAG_INSURED_ON_APPROVAL: null,
    };
    if (!empty && type === L.cash && rng.chance(p.interestRateShare)) {
      row.RATE_INTEREST_PRIMARY = this.primaryRate.draw(rng);
      row.RATE_INTEREST_PRIVILEGED = this.privilegedRate.draw(rng);
    }
    if (status === L.approved && !empty && !rng.chance(p.schedule.missingShare)) {
      row.NFLAG_INSURED_ON_APPROVAL = product.insured ? 1 : 0;
      if (type === L.revolving) this.cardSchedule(rng, row, prevId, decision, product, history);
      else this.instalmentSchedule(rng, row, prevId, decision, type, product, history);
    }
    return row;
  }

  /** A first application is usually the client's "New" one; some clients had loans before the data window. */
  private clientType(rng: Rng, first: boolean): string {
    const p = this.p;
    if (rng.chance(p.clientTypeXnaShare)) return XNA;
    if (first && rng.chance(p.firstApplicationNewShare)) return L.newClient;
    return rng.chance(p.clientTypeRefreshedShare) ? L.refreshed : L.repeater;
  }

  /** Kaggle's status mix per contract type, with the refusal odds scaled by the client's hidden quality. */
  private status(rng: Rng, type: string, quality: number): Status {
    const s = this.statusByType.get(type);
    if (!s) throw new Error(`demo parameters: no statuses for contract type ${type}`);
    const k = this.p.refusalQualityLoading;
    const odds = (s.refused / (1 - s.refused)) * Math.exp(k * quality - (k * k) / 2);
    const refused = s.refused === 1 ? 1 : odds / (1 + odds);
    let u = rng.next();
    if (u < refused) return L.refused;
    u = (u - refused) / (1 - refused);
    const rest = 1 - s.refused;
    for (const [status, w] of s.others) {
      if ((u -= w / rest) < 0) return status;
    }
    return s.others[s.others.length - 1]![0];
  }

  private emptyProduct(type: string): Product {
    const row: Row = {
      AMT_ANNUITY: null,
      AMT_APPLICATION: 0,
      AMT_CREDIT: 0,
      AMT_DOWN_PAYMENT: null,
      AMT_GOODS_PRICE: null,
      RATE_DOWN_PAYMENT: null,
      NAME_CASH_LOAN_PURPOSE: type === L.revolving ? L.noPurposeAsked : XNA,
      NAME_GOODS_CATEGORY: XNA,
      NAME_PORTFOLIO: XNA,
      NAME_PRODUCT_TYPE: XNA,
      CHANNEL_TYPE: L.officeChannel,
      SELLERPLACE_AREA: -1,
      NAME_SELLER_INDUSTRY: XNA,
      CNT_PAYMENT: null,
      NAME_YIELD_GROUP: XNA,
      PRODUCT_COMBINATION:
        type === XNA
          ? null
          : type === L.revolving
            ? this.p.revolving.combination[L.walkIn]!
            : L.cashCombination,
    };
    return { row, annuity: null, insured: false };
  }

  private cashProduct(rng: Rng, client: Client): Product {
    const c = this.p.cash;
    const amount = this.cash.amount.draw(rng, client.incomeLatent);
    const insured = rng.chance(c.insuredShare);
    const credit = insured ? roundTo(amount * this.cash.insuranceFactor.draw(rng), 4.5) : amount;
    const months = this.cash.term.draw(rng);
    const yieldGroup = this.cash.yield.draw(rng);
    const productType = rng.chance(c.walkInShare) ? L.walkIn : L.crossSell;
    const annuity = roundTo(annuityFor(credit, this.rate(rng, yieldGroup), months), 0.005);
    const row: Row = {
      AMT_ANNUITY: annuity,
      AMT_APPLICATION: amount,
      AMT_CREDIT: credit,
      AMT_DOWN_PAYMENT: null,
      AMT_GOODS_PRICE: amount,
      RATE_DOWN_PAYMENT: null,
      NAME_CASH_LOAN_PURPOSE: rng.chance(c.purposeShare) ? this.cash.purpose.draw(rng) : XNA,
      NAME_GOODS_CATEGORY: XNA,
      NAME_PORTFOLIO: L.cashPortfolio,
      NAME_PRODUCT_TYPE: productType,
      CHANNEL_TYPE: this.cash.channel.draw(rng),
      SELLERPLACE_AREA: this.sellerPlace(rng, c.sellerPlace),
      NAME_SELLER_INDUSTRY: this.cash.sellerIndustry.draw(rng),
      CNT_PAYMENT: months,
      NAME_YIELD_GROUP: yieldGroup,
      PRODUCT_COMBINATION: c.combination[productType]?.[yieldGroup] ?? L.cashCombination,
    };
    return { row, annuity, insured };
  }

  private consumerProduct(rng: Rng, client: Client, status: Status): Product {
    const c = this.p.consumer;
    const goods = this.consumer.amount.draw(rng, client.incomeLatent);
    const down = rng.chance(c.downPaymentShare)
      ? roundTo(goods * this.consumer.downPaymentRate.draw(rng), 0.5)
      : 0;
    const insured = rng.chance(c.insuredShare);
    const credit = roundTo((goods - down) * (insured ? this.consumer.insuranceFactor.draw(rng) : 1), 0.5);
    const combination = this.consumer.combination.draw(rng);
    const { family, interest } = c.combination[combination]!;
    const goodsCategory = this.consumer.goodsByFamily.get(family)!.draw(rng);
    const channel = this.consumer.channel.draw(rng);
    const offered = status !== L.unused;
    const months = this.consumer.term.draw(rng);
    const yieldGroup = offered
      ? (interest ? this.consumer.yieldWithInterest : this.consumer.yieldWithoutInterest).draw(rng)
      : XNA;
    const annuity = offered
      ? roundTo(interest ? annuityFor(credit, this.rate(rng, yieldGroup), months) : credit / months, 0.005)
      : null;
    const row: Row = {
      AMT_ANNUITY: annuity,
      AMT_APPLICATION: goods,
      AMT_CREDIT: credit,
      AMT_DOWN_PAYMENT: down,
      AMT_GOODS_PRICE: goods,
      RATE_DOWN_PAYMENT: down / goods,
      NAME_CASH_LOAN_PURPOSE: L.noPurposeAsked,
      NAME_GOODS_CATEGORY: goodsCategory,
      NAME_PORTFOLIO: channel === c.carsChannel ? L.carsPortfolio : L.posPortfolio,
      NAME_PRODUCT_TYPE: XNA,
      CHANNEL_TYPE: channel,
      SELLERPLACE_AREA: Math.round(this.consumer.sellerPlaceArea.draw(rng)),
      NAME_SELLER_INDUSTRY: c.sellerIndustryByGoods[goodsCategory] ?? c.sellerIndustryOther,
      CNT_PAYMENT: offered ? months : null,
      NAME_YIELD_GROUP: yieldGroup,
      PRODUCT_COMBINATION: combination,
    };
    return { row, annuity, insured };
  }

  private revolvingProduct(rng: Rng, client: Client): Product {
    const r = this.p.revolving;
    const latent = correlatedNormal(rng, client.incomeLatent, r.incomeLoading);
    const credit = Math.max(r.creditStep, roundTo(this.revolving.credit.at(normalCdf(latent)), r.creditStep));
    const application = rng.chance(r.applicationZeroShare) ? 0 : credit;
    const productType = rng.chance(r.walkInShare) ? L.walkIn : L.crossSell;
    const annuity = roundTo(credit * r.annuityShare, 0.005);
    const row: Row = {
      AMT_ANNUITY: annuity,
      AMT_APPLICATION: application,
      AMT_CREDIT: credit,
      AMT_DOWN_PAYMENT: null,
      AMT_GOODS_PRICE: application === 0 ? null : application,
      RATE_DOWN_PAYMENT: null,
      NAME_CASH_LOAN_PURPOSE: L.noPurposeAsked,
      NAME_GOODS_CATEGORY: XNA,
      NAME_PORTFOLIO: L.cardsPortfolio,
      NAME_PRODUCT_TYPE: productType,
      CHANNEL_TYPE: this.revolving.channel.draw(rng),
      SELLERPLACE_AREA: this.sellerPlace(rng, r.sellerPlace),
      NAME_SELLER_INDUSTRY: XNA,
      CNT_PAYMENT: 0,
      NAME_YIELD_GROUP: XNA,
      PRODUCT_COMBINATION: r.combination[productType]!,
    };
    return { row, annuity, insured: false };
  }

  /** Cash and card applications are mostly not made at a seller's (-1), some at an unknown one (0). */
  private sellerPlace(rng: Rng, p: { minusOneShare: number; zeroShare: number }): number {
    const u = rng.next();
    if (u < p.minusOneShare) return -1;
    if (u < p.minusOneShare + p.zeroShare) return 0;
    return Math.round(this.consumer.sellerPlaceArea.draw(rng));
  }

  private rate(rng: Rng, yieldGroup: string): number {
    const base = this.p.annualRateByYield[yieldGroup] ?? 0.2;
    return base * (1 + this.p.annualRateJitter * (2 * rng.next() - 1));
  }

  /** Dates of an approved instalment loan: 30-day instalments from the first due date, some repaid early. */
  private instalmentSchedule(
    rng: Rng,
    row: Row,
    prevId: number,
    decision: number,
    type: string,
    product: Product,
    history: PreviousHistory,
  ): void {
    const s = this.p.schedule;
    const planned = row.CNT_PAYMENT as number;
    const firstDue = decision + Math.round(this.firstDueLag.draw(rng));
    const lastDuePlanned = firstDue + 30 * (planned - 1);
    let instalments = planned;
    let payoff: number | null = null;
    if (planned > 1 && rng.chance(s.earlyRepaymentShare)) {
      instalments = rng.intBetween(1, planned - 1);
      // The payoff is what is left to repay, a little under the remaining instalments (no interest to come).
      payoff = roundTo((product.annuity ?? 0) * (planned - instalments + 1) * 0.95, 0.005);
    }
    const lastDue = firstDue + 30 * (instalments - 1);
    const termination = lastDue + Math.round(this.terminationLag.draw(rng));
    const finished = termination < 0;
    row.DAYS_FIRST_DRAWING = SENTINEL_DAYS;
    row.DAYS_FIRST_DUE = firstDue;
    row.DAYS_LAST_DUE_1ST_VERSION = lastDuePlanned;
    row.DAYS_LAST_DUE = finished ? lastDue : SENTINEL_DAYS;
    row.DAYS_TERMINATION = finished ? termination : SENTINEL_DAYS;
    history.instalmentLoans.push({
      prevId,
      decision,
      firstDue,
      instalments,
      planned,
      annuity: product.annuity ?? 0,
      payoff,
      consumer: type === L.consumer,
    });
  }

  /** Dates of an approved card: first drawing soon after approval (or never), open-ended unless closed. */
  private cardSchedule(
    rng: Rng,
    row: Row,
    prevId: number,
    decision: number,
    product: Product,
    history: PreviousHistory,
  ): void {
    const s = this.p.schedule;
    // A card approved within the last month has not been used yet.
    const drawn = rng.chance(this.p.revolving.drawnShare) && decision < -31;
    const firstDrawing = drawn ? decision + rng.intBetween(0, 30) : null;
    const closed = drawn && rng.chance(s.cardClosedShare);
    const lastDue = closed ? rng.intBetween(firstDrawing!, -1) : null;
    row.DAYS_FIRST_DRAWING = firstDrawing ?? SENTINEL_DAYS;
    row.DAYS_FIRST_DUE = firstDrawing === null ? SENTINEL_DAYS : Math.min(firstDrawing + 30, -1);
    row.DAYS_LAST_DUE_1ST_VERSION = SENTINEL_DAYS;
    row.DAYS_LAST_DUE = lastDue ?? SENTINEL_DAYS;
    row.DAYS_TERMINATION =
      lastDue === null ? SENTINEL_DAYS : Math.min(lastDue + Math.round(this.terminationLag.draw(rng)), -1);
    history.cards.push({
      prevId,
      firstDrawing,
      decision,
      closedOn: lastDue,
      limit: row.AMT_CREDIT as number,
    });
  }
}

/** An amount drawn from quantiles, correlated with the client's income latent, rounded the way Kaggle's are. */
class AmountSampler {
  private readonly quantiles: Quantiles;
  private readonly grains: Grains;

  constructor(private readonly p: AmountParams) {
    this.quantiles = new Quantiles(p.quantiles);
    this.grains = new Grains(p.grains);
  }

  draw(rng: Rng, incomeLatent: number): number {
    const latent = correlatedNormal(rng, incomeLatent, this.p.incomeLoading);
    return Math.max(this.grains.round(rng, this.quantiles.at(normalCdf(latent))), this.p.quantiles[0]![1]);
  }
}

function termChoice(weights: Record<string, number>): Choice<number> {
  return new Choice(Object.entries(weights).map(([months, w]) => [Number(months), w] as const));
}
