import { modelInputs } from '../features/catalogue.ts';
import { decide, type DecisionOutcome } from './decision.ts';
import { ModelLoadError, OnnxScorer } from './onnxScorer.ts';
import { selectModelInputs } from './trainingData.ts';

/**
 * Scoring clients of a base: the model must take exactly this version's model inputs (the catalogue's features
 * minus the protected ones), which the loader checks once.
 */

/** Loads `<dir>/model.onnx` for scoring clients; ModelLoadError when missing, corrupt or on other features. */
export function loadClientScorer(dir: string): Promise<OnnxScorer> {
  return OnnxScorer.load(dir, modelInputs);
}

export interface ClientScore extends DecisionOutcome {
  probability: number;
}

/**
 * The probability of default and decision of one full feature vector (catalogue order, NaN = missing): a client's
 * (features/client.ts clientFeatures, or the stored one) or an edited application's.
 */
export async function scoreFeatureVector(scorer: OnnxScorer, vector: Float64Array): Promise<ClientScore> {
  checkClientScorer(scorer);
  const row = new Float32Array(modelInputs.length);
  selectModelInputs(vector, row);
  const probability = (await scorer.scoreRows(row, 1))[0]!;
  return { probability, ...decide(probability, scorer.metadata) };
}

/** Throws unless the scorer's model takes the model inputs (a scorer loaded by loadClientScorer does). */
export function checkClientScorer(scorer: OnnxScorer): void {
  const names = scorer.metadata.featureNames;
  if (names.length !== modelInputs.length || names.some((n, i) => n !== modelInputs[i])) {
    throw new ModelLoadError(
      `model ${scorer.metadata.modelVersion} does not take this version's model inputs: load it with loadClientScorer`,
    );
  }
}
