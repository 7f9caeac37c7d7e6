import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { rowMajorSlice, type FeatureMatrix } from './featureMatrix.ts';
import { parseMetadataProps, type ModelMetadata } from './modelMetadata.ts';
import { INPUT_NAME, MODEL_FILE, PROBABILITY_OUTPUT } from './onnxExport.ts';

const { onnx } = onnxProto;

/** A model that cannot be used: missing, corrupt, not ours, or expecting other features. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** Rows per onnxruntime call when scoring a whole matrix: bounds the row-major copy's memory. */
const BATCH_ROWS = 10_000;

/**
 * Scores probabilities of default with onnxruntime from a model folder written by writeOnnxModel.
 */
export class OnnxScorer {
  private constructor(
    readonly metadata: ModelMetadata,
    private readonly session: ort.InferenceSession,
  ) {}

  /**
   * Loads `<dir>/model.onnx`. With `expectedFeatures` (the columns the caller will pass, in order), fails unless
   * they are exactly the model's, naming the differences.
   */
  static async load(dir: string, expectedFeatures?: readonly string[]): Promise<OnnxScorer> {
    const path = join(dir, MODEL_FILE);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new ModelLoadError(`cannot read the model ${path}: ${(error as Error).message}`);
    }
    const fail = (problem: string): never => {
      throw new ModelLoadError(`the model ${path} cannot be used: ${problem}`);
    };
    let proto: onnxProto.onnx.ModelProto;
    try {
      proto = onnx.ModelProto.decode(bytes);
    } catch (error) {
      return fail(`it is not a valid ONNX file (${(error as Error).message})`);
    }
    const graph = proto.graph;
    if (!graph?.node?.some((n) => n.opType === 'TreeEnsembleClassifier')) {
      return fail('it holds no TreeEnsembleClassifier');
    }
    const input = graph.input?.find((i) => i.name === INPUT_NAME);
    const inputWidth = input?.type?.tensorType?.shape?.dim?.[1]?.dimValue;
    if (inputWidth === undefined || inputWidth === null)
      return fail(`it has no input named ${INPUT_NAME} of known width`);
    let metadata: ModelMetadata;
    try {
      metadata = parseMetadataProps(proto.metadataProps);
    } catch (error) {
      return fail((error as Error).message);
    }
    if (Number(inputWidth) !== metadata.featureNames.length) {
      fail(
        `its input has ${inputWidth} columns but its metadata names ${metadata.featureNames.length} features`,
      );
    }
    if (expectedFeatures) {
      const mismatch = describeMismatch(metadata.featureNames, expectedFeatures);
      if (mismatch) fail(mismatch);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes);
    } catch (error) {
      return fail(`onnxruntime rejects it (${(error as Error).message})`);
    }
    return new OnnxScorer(metadata, session);
  }

  /** Probabilities of default for `rows` rows given row-major (the model's feature order), NaN = missing. */
  async scoreRows(values: Float32Array, rows: number): Promise<Float32Array> {
    const width = this.metadata.featureNames.length;
    if (values.length !== rows * width) {
      throw new Error(`scoreRows: ${values.length} values for ${rows} rows × ${width} features`);
    }
    if (rows === 0) return new Float32Array(0);
    const input = new ort.Tensor('float32', values, [rows, width]);
    const output = await this.session.run({ [INPUT_NAME]: input });
    const probabilities = output[PROBABILITY_OUTPUT]!.data as Float32Array;
    const positive = new Float32Array(rows);
    for (let r = 0; r < rows; r++) positive[r] = probabilities[2 * r + 1]!;
    return positive;
  }

  /** The probability of default of one row of values in the model's feature order (NaN or null = missing). */
  async scoreOne(values: ArrayLike<number | null>): Promise<number> {
    const row = Float32Array.from({ length: values.length }, (_, i) => values[i] ?? NaN);
    return (await this.scoreRows(row, 1))[0]!;
  }

  /** Probabilities of every row of a column-major matrix, in batches; its features must be the model's. */
  async scoreMatrix(matrix: FeatureMatrix): Promise<Float32Array> {
    const mismatch = describeMismatch(this.metadata.featureNames, matrix.featureNames);
    if (mismatch) throw new ModelLoadError(`the model cannot score this matrix: ${mismatch}`);
    const out = new Float32Array(matrix.rows);
    for (let start = 0; start < matrix.rows; start += BATCH_ROWS) {
      const count = Math.min(BATCH_ROWS, matrix.rows - start);
      out.set(await this.scoreRows(rowMajorSlice(matrix, start, count), count), start);
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Why two feature lists differ (undefined when equal): names missing on either side, else the first misplaced. */
function describeMismatch(model: readonly string[], given: readonly string[]): string | undefined {
  const inModel = new Set(model);
  const inGiven = new Set(given);
  const missing = model.filter((n) => !inGiven.has(n));
  const extra = given.filter((n) => !inModel.has(n));
  const list = (names: string[]) =>
    names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length})` : '');
  if (missing.length || extra.length) {
    const parts = [`the model expects ${model.length} features, ${given.length} were given`];
    if (missing.length) parts.push(`missing: ${list(missing)}`);
    if (extra.length) parts.push(`not in the model: ${list(extra)}`);
    return parts.join('; ');
  }
  const at = model.findIndex((n, i) => n !== given[i]);
  if (at < 0 && model.length === given.length) return undefined;
  if (at < 0) return `the model expects ${model.length} features, ${given.length} were given (duplicates?)`;
  return `the features are in another order: position ${at + 1} is ${model[at]} in the model, ${given[at]} given`;
}
