import type { CatalogueEntry } from '../features/catalogueSchema.ts';
import type { Factor, Lang, Reason } from './clientExplanation.ts';
import { fill, reasonTemplate, wording, type Position } from './explanationWording.ts';
import type { FeatureReference } from './explanationReference.ts';
import { featureLabel, formatFeatureValue, formatPercent } from './formatValue.ts';
import type { ModelFeatures } from './modelFeatures.ts';

/**
 * Adverse and favourable factors, ranked, and the principal reasons in plain words. Protected features never
 * appear: they are left out of the factors' contributions, of the choice of the leading feature, and so of every
 * sentence. Each sentence states the client's own value and where the clients who repaid stand.
 */

export const MAX_PRINCIPAL_REASONS = 4;
export const MAX_FAVOURABLE_REASONS = 3;
/** A factor smaller than this share of the largest one on its side is not worth a reason. */
const MIN_SHARE_OF_TOP = 0.1;

const Q25 = 2;
const Q50 = 3;
const Q75 = 4;

export interface ClientContributions {
  features: ModelFeatures;
  /** The client's inputs, in the model's order (NaN = missing). */
  values: Float64Array;
  /** Probability contribution of each input. */
  contributions: Float64Array;
  reference: readonly FeatureReference[];
}

export interface RankedFactors {
  adverse: Factor[];
  favourable: Factor[];
}

export function rankFactors(client: ClientContributions, lang: Lang): RankedFactors {
  const { features, contributions } = client;
  const totals = new Float64Array(features.families.length);
  features.entries.forEach((entry, k) => {
    if (!entry.protected) totals[features.familyOf[k]!] = totals[features.familyOf[k]!]! + contributions[k]!;
  });
  const factors: Factor[] = [];
  totals.forEach((total, f) => {
    if (total === 0) return;
    let lead = -1;
    features.entries.forEach((entry, k) => {
      if (entry.protected || features.familyOf[k] !== f || Math.sign(contributions[k]!) !== Math.sign(total))
        return;
      if (lead < 0 || Math.abs(contributions[k]!) > Math.abs(contributions[lead]!)) lead = k;
    });
    const family = features.families[f]!;
    factors.push({
      family: family.id,
      label: family[lang],
      contribution: total,
      feature: features.names[lead]!,
    });
  });
  return {
    adverse: factors.filter((f) => f.contribution > 0).sort((a, b) => b.contribution - a.contribution),
    favourable: factors.filter((f) => f.contribution < 0).sort((a, b) => a.contribution - b.contribution),
  };
}

/** The first `max` factors of a ranked side that weigh at least MIN_SHARE_OF_TOP of its first, as sentences. */
export function reasonsOf(
  client: ClientContributions,
  factors: readonly Factor[],
  max: number,
  lang: Lang,
): Reason[] {
  const top = Math.abs(factors[0]?.contribution ?? 0);
  return factors
    .filter((factor) => Math.abs(factor.contribution) >= MIN_SHARE_OF_TOP * top)
    .slice(0, max)
    .map((factor) => {
      const k = client.features.names.indexOf(factor.feature);
      return {
        family: factor.family,
        feature: factor.feature,
        contribution: factor.contribution,
        text: reasonSentence(
          factor.family,
          client.features.entries[k]!,
          client.values[k]!,
          client.reference[k]!,
          lang,
        ),
      };
    });
}

/** "Your external credit scores are low: 0.21 (External credit score 3), where most clients who repaid have 0.42 or more". */
export function reasonSentence(
  family: string,
  entry: CatalogueEntry,
  value: number,
  reference: FeatureReference,
  lang: Lang,
): string {
  const format = (x: number) => formatFeatureValue(entry, x, lang);
  const values: Record<string, string> = { label: featureLabel(entry, lang), value: format(value) };
  const say = (position: Position, extra: Record<string, string> = {}) =>
    fill(reasonTemplate(family, position, lang), { ...values, ...extra });
  if (Number.isNaN(value)) return say('missing');
  if (entry.format === 'flag' && reference.repaidMean !== null) {
    const share = value === 1 ? reference.repaidMean : 1 - reference.repaidMean;
    return say('flag', { share: formatPercent(share, lang, 0) });
  }
  const shown = shownScale(entry, value, reference);
  if (!shown) return say('plain');
  const { x, q, min, max } = shown;
  const compare = (position: Position, at: number, who: 'most' | 'half') =>
    say(position, { reference: format(q[at]!), who: wording.who[who][lang] });
  if (x < q[Q25]!) return compare(q[Q25] === max ? 'lowAtCeiling' : 'low', Q25, 'most');
  if (x < q[Q50]!) return compare(q[Q50] === max ? 'lowAtCeiling' : 'low', Q50, 'half');
  if (x > q[Q75]!) return compare(q[Q75] === min ? 'highAtFloor' : 'high', Q75, 'most');
  if (x > q[Q50]!) return compare(q[Q50] === min ? 'highAtFloor' : 'high', Q50, 'half');
  return say('typical', { reference: format(q[Q50]!) });
}

/**
 * The value, the quantiles of the clients who repaid and the range on the scale the client reads. Days and months
 * counted back from the application are negative and shown as lengths (formatFeatureValue): there, "low" and
 * "high" are about the length, so the scale is turned round. Undefined without quantiles to compare with.
 */
function shownScale(
  entry: CatalogueEntry,
  value: number,
  reference: FeatureReference,
): { x: number; q: number[]; min: number | null; max: number | null } | undefined {
  const q = reference.repaidQuantiles;
  if (!q) return undefined;
  const backwards =
    (entry.unit === 'days' || entry.unit === 'months') &&
    reference.max !== null &&
    reference.max <= 0 &&
    value <= 0;
  if (!backwards) return { x: value, q, min: reference.min, max: reference.max };
  return { x: -value, q: q.map((v) => -v).reverse(), min: -reference.max!, max: -reference.min! };
}
