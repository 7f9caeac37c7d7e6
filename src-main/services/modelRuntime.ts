import { featureNames } from '../features/recipe.ts';
import { ModelLoadError, OnnxScorer } from '../model/onnxScorer.ts';
import type { ModelMetadata } from '../model/modelMetadata.ts';

/**
 * The loaded model, as the services use it: the onnxruntime scorer and where each of its inputs sits in a full
 * feature vector (catalogue order). Loaded once per server or app; a model folder that cannot be used leaves the
 * services running without a model (search, client file and decisions still answer), with the reason kept for
 * the 'model_unavailable' errors.
 */
export class ModelRuntime {
  private constructor(
    readonly modelDir: string,
    readonly scorer: OnnxScorer,
    /** Position in the full feature vector of each model input, in the model's order. */
    readonly inputPositions: Int32Array,
  ) {}

  static async load(modelDir: string): Promise<ModelRuntime> {
    const scorer = await OnnxScorer.load(modelDir);
    const positions = scorer.metadata.featureNames.map((name) => featureNames.indexOf(name));
    const unknown = scorer.metadata.featureNames.filter((_, i) => positions[i]! < 0);
    if (unknown.length > 0) {
      await scorer.release();
      throw new ModelLoadError(
        `the model in ${modelDir} uses features this version does not compute: ${unknown.slice(0, 5).join(', ')}`,
      );
    }
    return new ModelRuntime(modelDir, scorer, Int32Array.from(positions));
  }

  get metadata(): ModelMetadata {
    return this.scorer.metadata;
  }

  get version(): string {
    return this.scorer.metadata.modelVersion;
  }

  get threshold(): number {
    return this.scorer.metadata.threshold;
  }

  /** The model's inputs taken from full feature vectors, row-major float32 (what onnxruntime reads). */
  modelInputs(vectors: readonly Float64Array[]): Float32Array {
    const width = this.inputPositions.length;
    const out = new Float32Array(vectors.length * width);
    vectors.forEach((vector, r) => {
      for (let k = 0; k < width; k++) out[r * width + k] = vector[this.inputPositions[k]!]!;
    });
    return out;
  }

  async score(vectors: readonly Float64Array[]): Promise<Float32Array> {
    return this.scorer.scoreRows(this.modelInputs(vectors), vectors.length);
  }

  async release(): Promise<void> {
    await this.scorer.release();
  }
}
