import type { Lang, ModelCard } from '../../src-main/api/contract.ts';

/** The parts of the model card (written by `scoring-desk train`) the Model view shows, in the view's language. */

export interface MethodologyNote {
  algorithm: string;
  explanations: string;
  limits: string[];
  monitoring: string[];
}

export function methodologyOf(card: ModelCard, lang: Lang): MethodologyNote {
  return {
    algorithm: card.model.algorithm[lang],
    explanations: card.explanations[lang],
    limits: card.limits.map((text) => text[lang]),
    monitoring: card.monitoring.map((text) => text[lang]),
  };
}

export interface Metric {
  name: 'oofAuc' | 'foldAuc' | 'logLoss' | 'brier' | 'refusalRate' | 'costPerClient';
  value: number;
  /** ± spread, where the metric has one (AUC over the folds). */
  spread: number | null;
  format: 'decimal' | 'percent';
}

export function metricsOf(card: ModelCard): Metric[] {
  return [
    { name: 'oofAuc', value: card.metrics.oofAuc, spread: null, format: 'decimal' },
    {
      name: 'foldAuc',
      value: card.metrics.foldAuc.mean,
      spread: card.metrics.foldAuc.std,
      format: 'decimal',
    },
    { name: 'logLoss', value: card.metrics.logLoss, spread: null, format: 'decimal' },
    { name: 'brier', value: card.metrics.brier, spread: null, format: 'decimal' },
    { name: 'refusalRate', value: card.decision.refusalRate, spread: null, format: 'percent' },
    { name: 'costPerClient', value: card.decision.costPerClient, spread: null, format: 'decimal' },
  ];
}

export function calibrationOf(card: ModelCard): { predicted: number; observed: number }[] {
  return card.calibration.deciles.map((bin) => ({
    predicted: bin.meanPredicted,
    observed: bin.observedRate,
  }));
}

export interface FairnessRow {
  attribute: string;
  group: string;
  count: number;
  refusalRate: number;
  defaultRate: number;
}

export function fairnessOf(card: ModelCard, lang: Lang): FairnessRow[] {
  return card.fairness.attributes.flatMap((attribute) =>
    attribute.groups.map((group) => ({
      attribute: attribute.description[lang],
      group: group.group,
      count: group.count,
      refusalRate: group.refusalRate,
      defaultRate: group.defaultRate,
    })),
  );
}
