import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientBase } from '../data/clientBase.ts';
import { ExplanationEngine } from '../explain/explanationEngine.ts';
import { modelInputs } from '../features/catalogue.ts';
import { loadClientScorer } from '../model/clientScoring.ts';
import { MODEL_CARD_FILE, parseModelCard, type ModelCard } from '../model/modelCard.ts';
import type { OnnxScorer } from '../model/onnxScorer.ts';
import { selectModelInputs } from '../model/trainingData.ts';

/**
 * The loaded model, as the services use it: the onnxruntime scorer (probabilities, as `scoring-desk score`
 * stores them), the explanation engine over the same file, and the model card. Loaded once per server or app;
 * a model folder that cannot be used leaves the services running without a model (search, client file and
 * decisions still answer), with the reason kept for the 'model_unavailable' errors.
 */
export class ModelRuntime {
  private constructor(
    readonly modelDir: string,
    readonly scorer: OnnxScorer,
    readonly explainer: ExplanationEngine,
    /** Null when the folder has no model-card.json (a model trained elsewhere). */
    readonly card: ModelCard | null,
  ) {}

  /** `onWarning` hears of a model card that cannot be read: the model works without it. */
  static async load(
    modelDir: string,
    db: ClientBase,
    onWarning: (message: string) => void,
  ): Promise<ModelRuntime> {
    const scorer = await loadClientScorer(modelDir);
    try {
      const explainer = await ExplanationEngine.open(modelDir, { db, threshold: scorer.metadata.threshold });
      let card: ModelCard | null = null;
      try {
        card = readCard(modelDir);
      } catch (error) {
        onWarning(
          `the model card cannot be read, the model information will lack it: ${(error as Error).message}`,
        );
      }
      return new ModelRuntime(modelDir, scorer, explainer, card);
    } catch (error) {
      await scorer.release();
      throw error;
    }
  }

  get version(): string {
    return this.scorer.metadata.modelVersion;
  }

  get threshold(): number {
    return this.scorer.metadata.threshold;
  }

  get createdAt(): string {
    return this.scorer.metadata.createdAt;
  }

  /** The model's inputs of full feature vectors (catalogue order), row-major float32 as onnxruntime reads them. */
  modelInputs(vectors: readonly Float64Array[]): Float32Array {
    const out = new Float32Array(vectors.length * modelInputs.length);
    vectors.forEach((vector, r) => selectModelInputs(vector, out, r * modelInputs.length));
    return out;
  }

  async score(vectors: readonly Float64Array[]): Promise<Float32Array> {
    return this.scorer.scoreRows(this.modelInputs(vectors), vectors.length);
  }

  async release(): Promise<void> {
    await this.scorer.release();
  }
}

function readCard(modelDir: string): ModelCard | null {
  const path = join(modelDir, MODEL_CARD_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return parseModelCard(JSON.parse(text), path);
}
