import type { CostWeights } from './decisionCost.ts';

/**
 * What an exported model says about itself, stored as ONNX metadata_props (strings): onnxruntime does not expose
 * them, so readers decode the file. One definition of the keys for the writer and the readers.
 */
export interface ModelMetadata {
  /** Input columns in order. */
  featureNames: readonly string[];
  modelVersion: string;
  /** trainingFingerprint() of the training data. */
  trainingFingerprint: string;
  /** Refuse when the probability of default is ≥ this. */
  threshold: number;
  costs: CostWeights;
  /** ISO 8601. */
  createdAt: string;
}

const KEYS = {
  featureNames: 'feature_names',
  modelVersion: 'model_version',
  trainingFingerprint: 'training_fingerprint',
  threshold: 'threshold',
  costFn: 'cost_fn',
  costFp: 'cost_fp',
  createdAt: 'created_at',
} as const;

export function metadataProps(metadata: ModelMetadata): { key: string; value: string }[] {
  return [
    { key: KEYS.featureNames, value: JSON.stringify(metadata.featureNames) },
    { key: KEYS.modelVersion, value: metadata.modelVersion },
    { key: KEYS.trainingFingerprint, value: metadata.trainingFingerprint },
    { key: KEYS.threshold, value: String(metadata.threshold) },
    { key: KEYS.costFn, value: String(metadata.costs.falseNegative) },
    { key: KEYS.costFp, value: String(metadata.costs.falsePositive) },
    { key: KEYS.createdAt, value: metadata.createdAt },
  ];
}

/** Parses metadata_props back; throws naming the first missing or malformed entry. */
export function parseMetadataProps(
  props: readonly { key?: string | null; value?: string | null }[],
): ModelMetadata {
  const map = new Map(props.map((p) => [p.key ?? '', p.value ?? '']));
  const text = (key: string): string => {
    const value = map.get(key);
    if (value === undefined || value === '') throw new Error(`the metadata entry ${key} is missing`);
    return value;
  };
  const number = (key: string): number => {
    const value = Number(text(key));
    if (!Number.isFinite(value))
      throw new Error(`the metadata entry ${key} is not a number: ${map.get(key)}`);
    return value;
  };
  let featureNames: unknown;
  try {
    featureNames = JSON.parse(text(KEYS.featureNames));
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error(`the metadata entry ${KEYS.featureNames} is not JSON`);
    throw error;
  }
  if (!Array.isArray(featureNames) || featureNames.some((n) => typeof n !== 'string' || n === '')) {
    throw new Error(`the metadata entry ${KEYS.featureNames} is not a list of names`);
  }
  return {
    featureNames: featureNames as string[],
    modelVersion: text(KEYS.modelVersion),
    trainingFingerprint: text(KEYS.trainingFingerprint),
    threshold: number(KEYS.threshold),
    costs: { falseNegative: number(KEYS.costFn), falsePositive: number(KEYS.costFp) },
    createdAt: text(KEYS.createdAt),
  };
}

/**
 * The creation date written into a model: SOURCE_DATE_EPOCH (whole seconds since 1970, the reproducible-builds
 * convention) when set, so that the same data, seed and code give the same file byte for byte; the current time
 * otherwise.
 */
export function creationDate(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date().toISOString();
  if (!/^\d{1,12}$/.test(epoch)) {
    throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not ${JSON.stringify(epoch)}`);
  }
  return new Date(Number(epoch) * 1000).toISOString();
}
