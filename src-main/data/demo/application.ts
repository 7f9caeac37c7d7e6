import { BuildingBuilder } from './building.ts';
import type { Row } from './csvWriter.ts';
import {
  Choice,
  Grains,
  Quantiles,
  clamp,
  correlatedNormal,
  countChoice,
  normalCdf,
  roundTo,
  sigmoid,
} from './distributions.ts';
import { checkLevel, levelChoice, type DemoParams } from './params.ts';
import type { Rng } from './prng.ts';

export const DAYS_PER_YEAR = 365.25;
/** Kaggle's "infinity" date: DAYS_EMPLOYED of pensioners and the unemployed, and open-ended previous-loan dates. */
export const SENTINEL_DAYS = 365243;

/**
 * A client: the hidden traits the rest of the data is drawn from, and the application row they show.
 * Traits are standard normals: `quality` is the creditworthiness behind the external scores, refusals and
 * repayment behaviour; `discipline` drives late payments and overdue credits; `older` is the age latent.
 */
export interface Client {
  id: number;
  quality: number;
  discipline: number;
  older: number;
  incomeLatent: number;
  gender: string;
  ageYears: number;
  daysBirth: number;
  employed: boolean;
  employedYears: number;
  income: number;
  credit: number;
  annuity: number | null;
  goodsPrice: number | null;
  /** The external scores before some go missing: the risk model uses the truth, a model sees what is left. */
  extSources: [number, number, number];
  regionRatingWithCity: number;
  education: string;
  occupation: string | null;
  hasBureauFile: boolean;
  application: Row;
}

interface Region {
  population: number;
  rating: number;
}

export class ApplicationBuilder {
  private readonly a: DemoParams['application'];
  private readonly traits: DemoParams['traits'];
  private readonly bureauShare: number;
  private readonly building: BuildingBuilder;
  private readonly contractType: Choice<string>;
  private readonly revolvingLevel: string;
  private readonly gender: Choice<string>;
  private readonly children: Choice<number>;
  private readonly typeSuite: Choice<string>;
  private readonly employedIncomeType: Choice<string>;
  private readonly notEmployedIncomeType: Choice<string>;
  private readonly education: Choice<string>;
  private readonly familyStatus: Choice<string>;
  private readonly housingType: Choice<string>;
  private readonly occupation: Choice<string>;
  private readonly organization: Choice<string>;
  private readonly notEmployedOrganization: string;
  private readonly weekday: Choice<string>;
  private readonly hour: Choice<number>;
  private readonly region: Choice<Region>;
  private readonly income: Quantiles;
  private readonly incomeGrains: Grains;
  private readonly goodsPrice: Quantiles;
  private readonly goodsGrains: Grains;
  private readonly creditToGoods: Quantiles;
  private readonly term: Choice<number>;
  private readonly annualRate: Quantiles;
  private readonly revolvingCreditToIncome: Quantiles;
  private readonly daysBirth: Quantiles;
  private readonly daysEmployed: Quantiles;
  private readonly daysRegistration: Quantiles;
  private readonly daysIdPublish: Quantiles;
  private readonly daysLastPhoneChange: Quantiles;
  private readonly ownCarAge: Quantiles;
  private readonly extSources: Quantiles[];
  private readonly documents: Choice<string | null>;
  private readonly documentColumns: string[];
  private readonly observed30: Choice<number>;
  private readonly requests: [string, Choice<number>][];
  /** Work flags are drawn among employed clients only, at the rate that keeps the Kaggle share over everyone. */
  private readonly employedShare: number;

  constructor(params: DemoParams) {
    const a = params.application;
    this.a = a;
    this.traits = params.traits;
    this.bureauShare = params.bureau.clientShare;
    this.building = new BuildingBuilder(params.building);
    this.contractType = levelChoice('application', 'NAME_CONTRACT_TYPE', a.contractType);
    this.revolvingLevel = checkLevel('application', 'NAME_CONTRACT_TYPE', 'Revolving loans');
    this.gender = levelChoice('application', 'CODE_GENDER', a.gender);
    for (const gender of this.gender.items) {
      if (
        a.notEmployed.retirementAgeYears[gender] === undefined ||
        a.ownCarShareByGender[gender] === undefined
      ) {
        throw new Error(`demo parameters: no retirement age or car ownership share for gender ${gender}`);
      }
    }
    this.children = countChoice(a.children);
    this.typeSuite = levelChoice('application', 'NAME_TYPE_SUITE', a.typeSuite.weights);
    const notEmployed = new Set(
      a.notEmployed.incomeTypes.map((t) => checkLevel('application', 'NAME_INCOME_TYPE', t)),
    );
    const incomeTypes = Object.entries(a.incomeType);
    this.employedIncomeType = levelChoice(
      'application',
      'NAME_INCOME_TYPE',
      Object.fromEntries(incomeTypes.filter(([t]) => !notEmployed.has(t))),
    );
    this.notEmployedIncomeType = levelChoice(
      'application',
      'NAME_INCOME_TYPE',
      Object.fromEntries(incomeTypes.filter(([t]) => notEmployed.has(t))),
    );
    const total = incomeTypes.reduce((s, [, w]) => s + w, 0);
    this.employedShare =
      incomeTypes.filter(([t]) => !notEmployed.has(t)).reduce((s, [, w]) => s + w, 0) / total;
    // In rank order, so that a higher status latent gives a higher degree while the level shares stay Kaggle's.
    this.education = new Choice(
      a.education.order.map(
        (level) =>
          [checkLevel('application', 'NAME_EDUCATION_TYPE', level), a.education.weights[level] ?? 0] as const,
      ),
    );
    this.familyStatus = levelChoice('application', 'NAME_FAMILY_STATUS', a.familyStatus);
    for (const status of a.couples) checkLevel('application', 'NAME_FAMILY_STATUS', status);
    this.housingType = levelChoice('application', 'NAME_HOUSING_TYPE', a.housingType);
    this.occupation = levelChoice('application', 'OCCUPATION_TYPE', a.occupation.weights);
    this.organization = levelChoice('application', 'ORGANIZATION_TYPE', a.organization.weights);
    this.notEmployedOrganization = checkLevel(
      'application',
      'ORGANIZATION_TYPE',
      a.organization.notEmployedLevel,
    );
    this.weekday = levelChoice('application', 'WEEKDAY_APPR_PROCESS_START', a.weekday);
    this.hour = countChoice(a.hour);
    this.region = new Choice(
      a.regions.list.map(([population, rating, w]) => [{ population, rating }, w] as const),
    );
    this.income = new Quantiles(a.income.quantiles);
    this.incomeGrains = new Grains(a.income.grains);
    this.goodsPrice = new Quantiles(a.cashLoan.goodsPrice.quantiles);
    this.goodsGrains = new Grains(a.cashLoan.goodsPrice.grains);
    this.creditToGoods = new Quantiles(a.cashLoan.creditToGoods.quantiles);
    this.term = new Choice(
      Object.entries(a.cashLoan.termMonths).map(([months, w]) => [Number(months), w] as const),
    );
    this.annualRate = new Quantiles(a.cashLoan.annualRate);
    this.revolvingCreditToIncome = new Quantiles(a.revolvingLoan.creditToIncome);
    this.daysBirth = new Quantiles(a.daysBirth);
    this.daysEmployed = new Quantiles(a.daysEmployed.quantiles);
    this.daysRegistration = new Quantiles(a.daysRegistration);
    this.daysIdPublish = new Quantiles(a.daysIdPublish.quantiles);
    this.daysLastPhoneChange = new Quantiles(a.daysLastPhoneChange.quantiles);
    this.ownCarAge = new Quantiles(a.ownCarAge);
    this.extSources = a.extSources.map((e) => new Quantiles(e.quantiles));
    const documentShare = Object.values(a.documents).reduce((s, p) => s + p, 0);
    this.documents = new Choice<string | null>([
      ...Object.entries(a.documents),
      [null, Math.max(0, 1 - documentShare)] as const,
    ]);
    this.documentColumns = Object.keys(a.documents);
    this.observed30 = countChoice(a.socialCircle.observed30);
    this.requests = Object.entries(a.creditBureauRequests).map(([column, w]) => [column, countChoice(w)]);
    for (const group of [a.addressFlags, a.workFlags]) {
      const order = Object.keys(group);
      for (const [from, to] of a.flagImplications) {
        if (order.includes(to) && !(order.indexOf(from) >= 0 && order.indexOf(from) < order.indexOf(to))) {
          throw new Error(`demo parameters: flag ${from} must come before ${to} in the same group`);
        }
      }
    }
  }

  build(rng: Rng, id: number): Client {
    const a = this.a;
    const quality = rng.normal();
    const older = rng.normal();
    const discipline = clamp(
      this.traits.disciplineQualityLoading * quality +
        this.traits.disciplineAgeLoading * older +
        Math.sqrt(1 - this.traits.disciplineQualityLoading ** 2 - this.traits.disciplineAgeLoading ** 2) *
          rng.normal(),
      -6,
      6,
    );
    const status = correlatedNormal(rng, quality, this.traits.statusQualityLoading);
    const gender = this.gender.draw(rng);
    const daysBirth = Math.round(this.daysBirth.at(normalCdf(-older)));
    const ageYears = -daysBirth / DAYS_PER_YEAR;

    // Pensioners are the clients past retirement age (earlier for women, as in Russia), plus a few younger ones.
    const retirementAge = a.notEmployed.retirementAgeYears[gender]!;
    const notEmployedChance =
      a.notEmployed.floorShare +
      (1 - a.notEmployed.floorShare) * sigmoid((ageYears - retirementAge) / a.notEmployed.spreadYears);
    const employed = !rng.chance(notEmployedChance);
    let daysEmployed = SENTINEL_DAYS;
    if (employed) {
      const tenure = correlatedNormal(rng, older, a.daysEmployed.ageLoading);
      const earliest = Math.ceil(daysBirth + a.daysEmployed.minWorkingAgeYears * DAYS_PER_YEAR);
      daysEmployed = Math.max(Math.round(this.daysEmployed.at(normalCdf(-tenure))), earliest, daysBirth + 1);
    }

    const education = this.education.pick(
      normalCdf(correlatedNormal(rng, status, a.education.statusLoading)),
    );
    const incomeLatent = correlatedNormal(rng, status, a.income.statusLoading);
    const income = Math.max(
      this.incomeGrains.round(rng, this.income.at(normalCdf(incomeLatent))),
      a.income.quantiles[0]![1],
    );

    const contractType = this.contractType.draw(rng);
    let credit: number;
    let annuity: number | null;
    let goodsPrice: number | null;
    if (contractType === this.revolvingLevel) {
      const r = a.revolvingLoan;
      credit = Math.min(
        Math.max(r.minCredit, roundTo(income * this.revolvingCreditToIncome.draw(rng), r.creditStep)),
        r.maxCredit,
      );
      annuity = roundTo(credit * r.annuityShare, 0.5);
      goodsPrice = rng.chance(r.goodsNullRate) ? null : credit;
    } else {
      const c = a.cashLoan;
      const goodsLatent = correlatedNormal(rng, incomeLatent, c.goodsPrice.incomeLoading);
      const goods = Math.max(
        this.goodsGrains.round(rng, this.goodsPrice.at(normalCdf(goodsLatent))),
        c.goodsPrice.quantiles[0]![1],
      );
      const ratio = rng.chance(c.creditToGoods.plainShare) ? 1 : this.creditToGoods.draw(rng);
      credit = Math.min(roundTo(goods * ratio, c.creditStep), c.maxCredit);
      // Bigger loans run longer, which keeps annuities in a plausible share of income.
      const months = this.term.pick(normalCdf(correlatedNormal(rng, goodsLatent, c.termAmountLoading)));
      annuity = roundTo(annuityFor(credit, this.annualRate.draw(rng), months), c.annuityStep);
      goodsPrice = goods;
    }
    if (rng.chance(a.annuityNullRate)) annuity = null;

    const region = this.region.draw(rng);
    const regionRatingWithCity =
      region.rating > 1 && rng.chance(a.regions.cityDowngradeShare) ? region.rating - 1 : region.rating;
    const children = this.children.draw(rng);
    const familyStatus = this.familyStatus.draw(rng);
    const ownsCar = rng.chance(a.ownCarShareByGender[gender]!);
    const occupation =
      employed && !rng.chance(a.occupation.nullRateEmployed) ? this.occupation.draw(rng) : null;

    const extSources = a.extSources.map((e, k) => {
      const noise = Math.sqrt(1 - e.ageLoading ** 2 - e.qualityLoading ** 2);
      return this.extSources[k]!.at(
        normalCdf(e.ageLoading * older + e.qualityLoading * quality + noise * rng.normal()),
      );
    }) as [number, number, number];
    const hasBureauFile = rng.chance(this.bureauShare);

    const row: Row = {
      SK_ID_CURR: id,
      TARGET: null,
      NAME_CONTRACT_TYPE: contractType,
      CODE_GENDER: gender,
      FLAG_OWN_CAR: ownsCar ? 'Y' : 'N',
      FLAG_OWN_REALTY: rng.chance(a.ownRealtyShare) ? 'Y' : 'N',
      CNT_CHILDREN: children,
      AMT_INCOME_TOTAL: income,
      AMT_CREDIT: credit,
      AMT_ANNUITY: annuity,
      AMT_GOODS_PRICE: goodsPrice,
      NAME_TYPE_SUITE: rng.chance(a.typeSuite.nullRate) ? null : this.typeSuite.draw(rng),
      NAME_INCOME_TYPE: employed ? this.employedIncomeType.draw(rng) : this.notEmployedIncomeType.draw(rng),
      NAME_EDUCATION_TYPE: education,
      NAME_FAMILY_STATUS: familyStatus,
      NAME_HOUSING_TYPE: this.housingType.draw(rng),
      REGION_POPULATION_RELATIVE: region.population,
      DAYS_BIRTH: daysBirth,
      DAYS_EMPLOYED: daysEmployed,
      DAYS_REGISTRATION: Math.max(Math.round(this.daysRegistration.draw(rng)), daysBirth),
      DAYS_ID_PUBLISH: Math.max(
        Math.round(this.daysIdPublish.draw(rng)),
        Math.ceil(daysBirth + a.daysIdPublish.minAgeYears * DAYS_PER_YEAR),
      ),
      OWN_CAR_AGE: ownsCar ? Math.round(this.ownCarAge.draw(rng)) : null,
      FLAG_EMP_PHONE: employed ? 1 : 0,
      OCCUPATION_TYPE: occupation,
      CNT_FAM_MEMBERS: rng.chance(a.famMembersNullRate)
        ? null
        : children + (a.couples.includes(familyStatus) ? 2 : 1),
      REGION_RATING_CLIENT: region.rating,
      REGION_RATING_CLIENT_W_CITY: regionRatingWithCity,
      WEEKDAY_APPR_PROCESS_START: this.weekday.draw(rng),
      HOUR_APPR_PROCESS_START: this.hour.draw(rng),
      ORGANIZATION_TYPE: employed ? this.organization.draw(rng) : this.notEmployedOrganization,
      DAYS_LAST_PHONE_CHANGE: rng.chance(a.daysLastPhoneChange.nullRate)
        ? null
        : Math.max(Math.round(this.daysLastPhoneChange.draw(rng)), daysBirth),
    };
    for (const [column, p] of Object.entries(a.flags)) row[column] = rng.chance(p) ? 1 : 0;
    this.drawFlags(rng, row, a.addressFlags, 1);
    this.drawFlags(rng, row, a.workFlags, employed ? this.employedShare : 0);
    a.extSources.forEach((e, k) => {
      row[e.column] = rng.chance(e.nullRate) ? null : extSources[k]!;
    });
    this.building.fill(rng, row);
    this.drawSocialCircle(rng, row, quality);
    const document = this.documents.draw(rng);
    for (const column of this.documentColumns) row[column] = column === document ? 1 : 0;
    for (const [column, counts] of this.requests) row[column] = hasBureauFile ? counts.draw(rng) : null;

    return {
      id,
      quality,
      discipline,
      older,
      incomeLatent,
      gender,
      ageYears,
      daysBirth,
      employed,
      employedYears: employed ? -daysEmployed / DAYS_PER_YEAR : 0,
      income,
      credit,
      annuity,
      goodsPrice,
      extSources,
      regionRatingWithCity,
      education,
      occupation,
      hasBureauFile,
      application: row,
    };
  }

  /**
   * Flags of one group, where some imply others (a client living in another region than the one they work in
   * also lives in another city). `base` is the share of clients the group applies to (0: all flags 0).
   */
  private drawFlags(rng: Rng, row: Row, rates: Record<string, number>, base: number): void {
    for (const [column, rate] of Object.entries(rates)) {
      const implication = this.a.flagImplications.find(([, to]) => to === column);
      if (base === 0) row[column] = 0;
      else if (implication && row[implication[0]] === 1) row[column] = 1;
      else {
        const p = rate / base;
        const given = implication
          ? (p - rates[implication[0]]! / base) / (1 - rates[implication[0]]! / base)
          : p;
        row[column] = rng.chance(given) ? 1 : 0;
      }
    }
  }

  private drawSocialCircle(rng: Rng, row: Row, quality: number): void {
    const s = this.a.socialCircle;
    if (rng.chance(s.nullRate)) {
      row.OBS_30_CNT_SOCIAL_CIRCLE =
        row.DEF_30_CNT_SOCIAL_CIRCLE =
        row.OBS_60_CNT_SOCIAL_CIRCLE =
        row.DEF_60_CNT_SOCIAL_CIRCLE =
          null;
      return;
    }
    // Riskier clients know more defaulters; the lognormal factor keeps the average share.
    const defaultShare = clamp(
      s.defaultShare * Math.exp(-s.defaultShareRiskLoading * quality - s.defaultShareRiskLoading ** 2 / 2),
      0,
      1,
    );
    const observed30 = this.observed30.draw(rng);
    const default30 = binomial(rng, observed30, defaultShare);
    const observed60 = observed30 - binomial(rng, observed30, s.observed60DropShare);
    row.OBS_30_CNT_SOCIAL_CIRCLE = observed30;
    row.DEF_30_CNT_SOCIAL_CIRCLE = default30;
    row.OBS_60_CNT_SOCIAL_CIRCLE = observed60;
    row.DEF_60_CNT_SOCIAL_CIRCLE = Math.min(binomial(rng, default30, s.default60KeepShare), observed60);
  }
}

/** Monthly instalment of a loan repaid in equal payments. */
export function annuityFor(principal: number, annualRate: number, months: number): number {
  const r = annualRate / 12;
  return r === 0 ? principal / months : (principal * r) / (1 - Math.pow(1 + r, -months));
}

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.chance(p)) k++;
  return k;
}
