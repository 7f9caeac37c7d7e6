import type { Client } from './application.ts';
import type { Row } from './csvWriter.ts';
import { sigmoid } from './distributions.ts';
import { checkLevel, type DemoParams, type DriverParams } from './params.ts';
import type { Rng } from './prng.ts';

/** What the history tables show about a client, measured on the rows written (so a model can see the same). */
export interface Observed {
  lateInstalmentShare: number;
  overdueBureauCredits: number;
  refusedApplications: number;
}

const MALE = checkLevel('application', 'CODE_GENDER', 'M');
const REFUSED = checkLevel('previous_application', 'NAME_CONTRACT_STATUS', 'Refused');

/**
 * The measured value of each driver, or null when it does not apply (no annuity, not employed), in which case the
 * driver contributes nothing. docs/demo-data.md documents each one; the parameter file gives weight and scale.
 */
const MEASURES = {
  extSource1: (c) => c.extSources[0],
  extSource2: (c) => c.extSources[1],
  extSource3: (c) => c.extSources[2],
  ageYears: (c) => c.ageYears,
  employedYears: (c) => (c.employed ? Math.log1p(c.employedYears) : null),
  notEmployed: (c) => (c.employed ? 0 : 1),
  creditToIncome: (c) => Math.log(c.credit / c.income),
  annuityToIncome: (c) => (c.annuity === null ? null : c.annuity / c.income),
  creditToGoods: (c) => (c.goodsPrice === null ? null : c.credit / c.goodsPrice),
  lateInstalmentShare: (_, o) => o.lateInstalmentShare,
  overdueBureauCredits: (_, o) => Math.min(o.overdueBureauCredits, 5),
  refusedApplications: (_, o) => Math.min(o.refusedApplications, 10),
  regionRating: (c) => c.regionRatingWithCity,
  male: (c) => (c.gender === MALE ? 1 : 0),
  higherEducation: (c, _, risk) => (risk.higherEducation.includes(c.education) ? 1 : 0),
  manualOccupation: (c, _, risk) =>
    c.occupation !== null && risk.manualOccupations.includes(c.occupation) ? 1 : 0,
} satisfies Record<string, (client: Client, observed: Observed, risk: DemoParams['risk']) => number | null>;

export type DriverName = keyof typeof MEASURES;

/**
 * The true default risk: logit = intercept + Σ weight × (measure − center) / scale + noise. The intercept is not a
 * parameter: it is solved so that the default rate comes out at the target (see calibrateIntercept).
 */
export class RiskModel {
  private readonly drivers: [DriverName, DriverParams][];

  constructor(private readonly risk: DemoParams['risk']) {
    const names = Object.keys(MEASURES);
    for (const name of Object.keys(risk.drivers)) {
      if (!names.includes(name)) throw new Error(`demo parameters: unknown risk driver ${name}`);
    }
    for (const name of names) {
      if (!(name in risk.drivers)) throw new Error(`demo parameters: risk driver ${name} has no weight`);
    }
    for (const level of risk.higherEducation) checkLevel('application', 'NAME_EDUCATION_TYPE', level);
    for (const level of risk.manualOccupations) checkLevel('application', 'OCCUPATION_TYPE', level);
    this.drivers = Object.entries(risk.drivers) as [DriverName, DriverParams][];
  }

  /** The logit without its intercept, noise included: the part of risk no column shows. */
  score(rng: Rng, client: Client, observed: Observed): number {
    let logit = 0;
    for (const [name, d] of this.drivers) {
      const value = MEASURES[name](client, observed, this.risk);
      if (value !== null) logit += (d.weight * (value - d.center)) / d.scale;
    }
    return logit + this.risk.noiseSd * rng.normal();
  }
}

export function observe(
  bureau: readonly Row[],
  previous: readonly Row[],
  instalments: readonly Row[],
): Observed {
  let late = 0;
  for (const row of instalments) {
    if (
      row.DAYS_ENTRY_PAYMENT !== null &&
      (row.DAYS_ENTRY_PAYMENT as number) > (row.DAYS_INSTALMENT as number)
    )
      late++;
  }
  let overdue = 0;
  for (const row of bureau)
    if (((row.AMT_CREDIT_MAX_OVERDUE ?? 0) as number) > 0 || (row.CREDIT_DAY_OVERDUE as number) > 0)
      overdue++;
  let refused = 0;
  for (const row of previous) if (row.NAME_CONTRACT_STATUS === REFUSED) refused++;
  return {
    lateInstalmentShare: instalments.length === 0 ? 0 : late / instalments.length,
    overdueBureauCredits: overdue,
    refusedApplications: refused,
  };
}

/** The intercept that makes the mean default probability over the given scores equal the target rate. */
export function calibrateIntercept(scores: Float64Array, targetRate: number): number {
  const meanProbability = (b: number) => {
    let sum = 0;
    for (const s of scores) sum += sigmoid(b + s);
    return sum / scores.length;
  };
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanProbability(mid) < targetRate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
