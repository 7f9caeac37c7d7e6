import type { DataWarning, Lang } from './clientExplanation.ts';
import { fill, wording } from './explanationWording.ts';
import type { FeatureReference } from './explanationReference.ts';
import { featureLabel, formatFeatureValue } from './formatValue.ts';
import type { ModelFeatures } from './modelFeatures.ts';

/**
 * What makes an estimate less sure: external credit scores missing (the model's strongest inputs), and values
 * outside the range the model saw in training (trees extrapolate flat beyond it). Protected features are not
 * named here either.
 */

const EXTERNAL_SCORES = 'external_scores';

export function dataWarnings(
  features: ModelFeatures,
  values: Float64Array,
  reference: readonly FeatureReference[],
  lang: Lang,
): DataWarning[] {
  const warnings: DataWarning[] = [];
  const separator = wording.words.listSeparator[lang];
  const missing = features.entries.flatMap((entry, k) =>
    entry.family === EXTERNAL_SCORES && Number.isNaN(values[k]!) ? [k] : [],
  );
  if (missing.length > 0) {
    warnings.push({
      kind: 'missing-external-scores',
      features: missing.map((k) => features.names[k]!),
      text: fill(wording.warnings['missing-external-scores'][lang], {
        items: missing.map((k) => featureLabel(features.entries[k]!, lang)).join(separator),
      }),
    });
  }
  const outside = features.entries.flatMap((entry, k) => {
    const { min, max } = reference[k]!;
    const x = values[k]!;
    return !entry.protected && min !== null && max !== null && (x < min || x > max) ? [k] : [];
  });
  if (outside.length > 0) {
    const items = outside.map((k) => {
      const entry = features.entries[k]!;
      const format = (x: number) => formatFeatureValue(entry, x, lang);
      const { min, max } = reference[k]! as { min: number; max: number };
      // Days and months before the application are shown as lengths: the range reads the other way round.
      const backwards = (entry.unit === 'days' || entry.unit === 'months') && max <= 0;
      return fill(wording.warnings.outsideItem[lang], {
        label: featureLabel(entry, lang),
        value: format(values[k]!),
        min: format(backwards ? max : min),
        max: format(backwards ? min : max),
      });
    });
    warnings.push({
      kind: 'outside-training-range',
      features: outside.map((k) => features.names[k]!),
      text: fill(wording.warnings['outside-training-range'][lang], { items: items.join(separator) }),
    });
  }
  return warnings;
}
