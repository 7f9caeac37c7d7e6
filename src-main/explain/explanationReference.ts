import type { ClientBase } from '../data/clientBase.ts';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { featureFingerprint } from '../features/store.ts';
import { creationDate } from '../model/modelMetadata.ts';
import { MODEL_FILE } from '../model/onnxExport.ts';
import { sampleLabelledBase, type BaseSample } from './baseSample.ts';
import { coverProblem } from './explainer.ts';
import { modelFeatures, type ModelFeatures } from './modelFeatures.ts';
import { metadataValue, readOnnxTrees, type TreeModel } from './onnxTrees.ts';
import { openShapRunner } from './shapPool.ts';
import { writeFileAtomic } from '../runtime/durableFiles.ts';

/**
 * Statistics of the client base that explanations compare a client with, computed once per model and kept in
 * its folder (<model dir>/explanation-reference.json): per input, the range seen over the labelled clients (for
 * "outside the range seen in training" warnings), quantiles overall and among the clients who repaid (the
 * references of the reasons), and the global importance (mean |SHAP|, per input and per reason family). For a
 * model without node covers it also names the background clients of interventional TreeSHAP.
 */

export const REFERENCE_FILE = 'explanation-reference.json';
/** Quantile levels kept per input (inverse of the empirical distribution: each is a value actually seen). */
export const QUANTILE_LEVELS = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];
export const REFERENCE_FORMAT = 1;
const DEFAULTS = { sampleSize: 20_000, importanceSize: 5_000, backgroundSize: 100, seed: 1 };

const quantilesSchema = z.array(z.number()).length(QUANTILE_LEVELS.length).nullable();

const featureReferenceSchema = z
  .object({
    name: z.string(),
    /** Over every labelled client; null when the input is always missing. */
    min: z.number().nullable(),
    max: z.number().nullable(),
    /** Over the sample. */
    missingShare: z.number().min(0).max(1),
    quantiles: quantilesSchema,
    repaidQuantiles: quantilesSchema,
    /** Mean among the sampled clients who repaid (for a flag, the share of 1). */
    repaidMean: z.number().nullable(),
    /** Mean |SHAP| (log-odds) over the importance sample. */
    meanAbsShap: z.number().min(0),
  })
  .strict();
export type FeatureReference = z.infer<typeof featureReferenceSchema>;

const referenceSchema = z
  .object({
    format: z.literal(REFERENCE_FORMAT),
    model: z.object({ sha256: z.string(), version: z.string().nullable() }).strict(),
    createdAt: z.string(),
    base: z
      .object({
        featureFingerprint: z.string(),
        labelled: z.number().int().positive(),
        repaid: z.number().int().min(0),
        sampleSize: z.number().int().positive(),
        importanceSize: z.number().int().positive(),
        seed: z.number().int(),
      })
      .strict(),
    quantileLevels: z.array(z.number()),
    method: z.enum(['path-dependent', 'interventional']),
    /** SK_ID_CURR of the background clients of interventional TreeSHAP; null for path-dependent. */
    background: z.array(z.number().int()).nullable(),
    features: z.array(featureReferenceSchema),
    /** Mean |Σ SHAP of the family| (log-odds) over the importance sample, in catalogue order. */
    families: z.array(z.object({ id: z.string(), meanAbsShap: z.number().min(0) }).strict()),
  })
  .strict();
export type ExplanationReference = z.infer<typeof referenceSchema>;

export class ReferenceFileError extends Error {
  override name = 'ReferenceFileError';
}

export interface ReferenceOptions {
  /** Clients sampled for the quantiles (default 20,000). */
  sampleSize?: number;
  /** Clients of the sample explained for the global importance (default 5,000). */
  importanceSize?: number;
  /** Background clients for a model without node covers (default 100). */
  backgroundSize?: number;
  seed?: number;
  threads?: number;
}

/** Computes the reference of the model in `modelDir` from the labelled clients of `db` and writes it there. */
export function buildExplanationReference(
  db: ClientBase,
  modelDir: string,
  options: ReferenceOptions = {},
): Promise<ExplanationReference> {
  return computeReference(db, modelDir, options).then((reference) => {
    writeJsonAtomic(join(modelDir, REFERENCE_FILE), reference);
    return reference;
  });
}

/**
 * The reference kept with the model, or undefined when there is none or it belongs to another model file (the
 * model was replaced). Throws on a file that exists but is not a valid reference.
 */
export function readExplanationReference(modelDir: string): ExplanationReference | undefined {
  const path = join(modelDir, REFERENCE_FILE);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReferenceFileError(`${path} is not JSON (${(error as Error).message})`);
  }
  const result = referenceSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ReferenceFileError(
      `${path} is not a valid explanation reference: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return result.data.model.sha256 === modelSha256(modelDir) ? result.data : undefined;
}

/** The kept reference, computed from `db` and kept first when missing or stale (a model trained elsewhere). */
export async function loadExplanationReference(
  modelDir: string,
  db: ClientBase | undefined,
  options: ReferenceOptions = {},
): Promise<ExplanationReference> {
  const kept = readExplanationReference(modelDir);
  if (kept) return kept;
  if (!db) {
    throw new ReferenceFileError(
      `${join(modelDir, REFERENCE_FILE)} is missing or belongs to another model, and no client base was given to compute it`,
    );
  }
  return buildExplanationReference(db, modelDir, options);
}

function modelSha256(modelDir: string): string {
  return createHash('sha256')
    .update(readFileSync(join(modelDir, MODEL_FILE)))
    .digest('hex');
}

async function computeReference(
  db: ClientBase,
  modelDir: string,
  options: ReferenceOptions,
): Promise<ExplanationReference> {
  const settings = { ...DEFAULTS, ...options };
  const modelFile = join(modelDir, MODEL_FILE);
  const model = readOnnxTrees(modelFile);
  const features = modelFeatures(model.featureNames, modelFile);
  const sample = sampleLabelledBase(db, features, { size: settings.sampleSize, seed: settings.seed });
  const interventional = coverProblem(model) !== undefined;
  const backgroundRows = interventional ? Math.min(settings.backgroundSize, sample.rows) : 0;
  const width = features.names.length;
  const importanceRows = Math.min(settings.importanceSize, sample.rows);
  const importance = await meanAbsoluteShap(model, features, sample, importanceRows, {
    modelFile,
    background: interventional
      ? { values: sample.values.slice(0, backgroundRows * width), rows: backgroundRows }
      : undefined,
    threads: settings.threads ?? Math.min(2, availableParallelism()),
  });
  return {
    format: REFERENCE_FORMAT,
    model: { sha256: modelSha256(modelDir), version: metadataValue(model, 'model_version') ?? null },
    createdAt: creationDate(),
    base: {
      featureFingerprint,
      labelled: sample.labelled,
      repaid: sample.repaid,
      sampleSize: sample.rows,
      importanceSize: importanceRows,
      seed: settings.seed,
    },
    quantileLevels: QUANTILE_LEVELS,
    method: interventional ? 'interventional' : 'path-dependent',
    background: interventional ? Array.from(sample.ids.subarray(0, backgroundRows)) : null,
    features: features.names.map((name, k) => ({
      name,
      ...columnStatistics(sample, k, width),
      meanAbsShap: importance.features[k]!,
    })),
    families: features.families.map((family, f) => ({ id: family.id, meanAbsShap: importance.families[f]! })),
  };
}

function columnStatistics(sample: BaseSample, k: number, width: number) {
  const all: number[] = [];
  const repaid: number[] = [];
  for (let r = 0; r < sample.rows; r++) {
    const x = sample.values[r * width + k]!;
    if (x !== x) continue;
    all.push(x);
    if (sample.target[r] === 0) repaid.push(x);
  }
  const finite = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    min: finite(sample.min[k]!),
    max: finite(sample.max[k]!),
    missingShare: 1 - all.length / sample.rows,
    quantiles: quantiles(all),
    repaidQuantiles: quantiles(repaid),
    repaidMean: repaid.length > 0 ? repaid.reduce((s, x) => s + x, 0) / repaid.length : null,
  };
}

/** Inverse empirical distribution at each level: the smallest value with at least that share at or below it. */
export function quantiles(values: number[]): number[] | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return QUANTILE_LEVELS.map((p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!);
}

const BATCH_ROWS = 256;

async function meanAbsoluteShap(
  model: TreeModel,
  features: ModelFeatures,
  sample: BaseSample,
  rows: number,
  runner: Parameters<typeof openShapRunner>[0],
): Promise<{ features: Float64Array; families: Float64Array }> {
  const width = model.forest.nFeatures;
  const sums = { features: new Float64Array(width), families: new Float64Array(features.families.length) };
  const family = new Float64Array(features.families.length);
  const shap = openShapRunner(runner);
  try {
    const accumulate = () => {
      const batch = shap.take();
      for (let r = 0; r < batch.rows; r++) {
        family.fill(0);
        const phi = batch.shap.subarray(r * (width + 1), r * (width + 1) + width);
        for (let k = 0; k < width; k++) {
          sums.features[k] = sums.features[k]! + Math.abs(phi[k]!);
          family[features.familyOf[k]!] = family[features.familyOf[k]!]! + phi[k]!;
        }
        for (let f = 0; f < family.length; f++) sums.families[f] = sums.families[f]! + Math.abs(family[f]!);
      }
    };
    for (let start = 0; start < rows; start += BATCH_ROWS) {
      const count = Math.min(BATCH_ROWS, rows - start);
      shap.submit({ values: sample.values.slice(start * width, (start + count) * width), rows: count });
      while (shap.pending > 2) accumulate();
    }
    while (shap.pending > 0) accumulate();
  } finally {
    await shap.close();
  }
  return { features: sums.features.map((s) => s / rows), families: sums.families.map((s) => s / rows) };
}

/** Writes the reference as JSON, atomically (see writeFileAtomic). */
function writeJsonAtomic(path: string, value: unknown): void {
  try {
    writeFileAtomic(path, JSON.stringify(value) + '\n');
  } catch (error) {
    throw new ReferenceFileError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
