import { checkPair } from './metrics.ts';

/** Decision and error rates of one group of clients (e.g. a gender or an age band) at a threshold. */
export interface GroupRates {
  group: string;
  count: number;
  /** Share of the group refused (p ≥ threshold). */
  refusalRate: number;
  /** Observed default rate. */
  defaultRate: number;
  /** Mean predicted probability. */
  meanPredicted: number;
  /** Share of the group's defaulters refused (NaN when it has none). */
  truePositiveRate: number;
  /** Share of the group's good clients refused (NaN when it has none). */
  falsePositiveRate: number;
}

/**
 * Rates per group at the decision threshold, groups in order of first appearance: the fairness report compares
 * refusal rates (demographic parity) and error rates (equalised odds) across groups.
 */
export function ratesByGroup(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: ArrayLike<string>,
  threshold: number,
): GroupRates[] {
  checkPair(probabilities, labels, 'ratesByGroup');
  if (groups.length !== labels.length)
    throw new Error(`ratesByGroup: ${groups.length} groups for ${labels.length} labels`);
  const tallies = new Map<
    string,
    { n: number; refused: number; defaults: number; predicted: number; tp: number; fp: number }
  >();
  for (let i = 0; i < labels.length; i++) {
    const key = groups[i]!;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = { n: 0, refused: 0, defaults: 0, predicted: 0, tp: 0, fp: 0 }));
    const refused = probabilities[i]! >= threshold;
    t.n++;
    t.predicted += probabilities[i]!;
    if (refused) t.refused++;
    if (labels[i] === 1) {
      t.defaults++;
      if (refused) t.tp++;
    } else if (refused) t.fp++;
  }
  return [...tallies].map(([group, t]) => ({
    group,
    count: t.n,
    refusalRate: t.refused / t.n,
    defaultRate: t.defaults / t.n,
    meanPredicted: t.predicted / t.n,
    truePositiveRate: t.defaults > 0 ? t.tp / t.defaults : NaN,
    falsePositiveRate: t.n > t.defaults ? t.fp / (t.n - t.defaults) : NaN,
  }));
}

/** Age bands of the fairness report, youngest first; `UNKNOWN_GROUP` when the attribute is not recorded. */
export const AGE_BANDS = ['<25', '25–34', '35–44', '45–54', '55–64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const UNKNOWN_GROUP = 'unknown';

const DAYS_PER_YEAR = 365.25;

/** The age band of a client from DAYS_BIRTH (days before the application, negative), in whole years. */
export function ageBand(daysBirth: number | null): AgeBand | typeof UNKNOWN_GROUP {
  if (daysBirth === null || !Number.isFinite(daysBirth)) return UNKNOWN_GROUP;
  const age = Math.floor(-daysBirth / DAYS_PER_YEAR);
  if (age < 25) return '<25';
  if (age >= 65) return '65+';
  return AGE_BANDS[Math.floor((age - 25) / 10) + 1]!;
}
