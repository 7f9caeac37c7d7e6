import type { ModelMetadata } from './modelMetadata.ts';

/** The lender's decision for one probability of default: refused when p ≥ the model's threshold. */
export type Decision = 'granted' | 'refused';

export interface DecisionOutcome {
  decision: Decision;
  /** The model's threshold the probability was compared with. */
  threshold: number;
  /** probability − threshold: ≥ 0 refused, < 0 granted; its size says how clear-cut the decision is. */
  margin: number;
}

export function decide(probability: number, model: Pick<ModelMetadata, 'threshold'>): DecisionOutcome {
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`a probability of default is between 0 and 1, not ${probability}`);
  }
  const { threshold } = model;
  return {
    decision: probability >= threshold ? 'refused' : 'granted',
    threshold,
    margin: probability - threshold,
  };
}
