import type { Lang, RiskBand } from '../api/contract.ts';

/**
 * Risk bands and the margin to the threshold in words: the one place that says how a probability of default
 * reads next to the model's threshold t. Bands are multiples of t (low < t/2 ≤ moderate < t ≤ high < 2t ≤
 * very_high), so they move with the threshold a model card sets rather than with fixed percentages.
 */

const BAND_MULTIPLES: readonly [RiskBand, number][] = [
  ['low', 0.5],
  ['moderate', 1],
  ['high', 2],
  ['very_high', Infinity],
];

export function riskBands(threshold: number): { band: RiskBand; from: number; to: number }[] {
  let from = 0;
  return BAND_MULTIPLES.map(([band, multiple]) => {
    const to = Math.min(1, threshold * multiple);
    const bounds = { band, from, to };
    from = to;
    return bounds;
  });
}

export function riskBandOf(probability: number, threshold: number): RiskBand {
  for (const [band, multiple] of BAND_MULTIPLES) if (probability < threshold * multiple) return band;
  return 'very_high';
}

/** Percentage points from the threshold, signed (< 0: under it, so granted). */
export function marginPoints(probability: number, threshold: number): number {
  return (probability - threshold) * 100;
}

/** "3,2 points sous le seuil", "1.5 points over the limit". */
export function marginText(probability: number, threshold: number, lang: Lang): string {
  const points = marginPoints(probability, threshold);
  const rounded = Math.round(Math.abs(points) * 10) / 10;
  const figure = rounded.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  if (rounded === 0) return lang === 'fr' ? 'au niveau du seuil' : 'at the limit';
  if (lang === 'fr') {
    // French keeps the singular below 2 (« 1,5 point »), English only for exactly one.
    const unit = rounded < 2 ? 'point' : 'points';
    return `${figure} ${unit} ${points < 0 ? 'sous le' : 'au-dessus du'} seuil`;
  }
  return `${figure} ${rounded === 1 ? 'point' : 'points'} ${points < 0 ? 'under' : 'over'} the limit`;
}
