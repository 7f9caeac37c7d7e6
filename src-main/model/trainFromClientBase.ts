import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ClientBase } from '../data/clientBase.ts';
import type { BoosterParams } from './boosterParams.ts';
import type { CostWeights } from './decisionCost.ts';
import { fitScoringModel, type FitProgress, type ScoringFit } from './fitScoringModel.ts';
import { MODEL_CARD_FILE, type ModelCard } from './modelCard.ts';
import { buildModelCard } from './modelCardBuilder.ts';
import { MODEL_CARD_NOTE_FILE, renderModelCardMarkdown } from './modelCardMarkdown.ts';
import { creationDate, type ModelMetadata } from './modelMetadata.ts';
import { contentVersion, MODEL_FILE, onnxModelBytes } from './onnxExport.ts';
import { checkStoredFeatures, loadLabelledMatrix, readFairnessAttributes } from './trainingData.ts';
import type { TreeModel } from './treeModel.ts';

/**
 * `scoring-desk train`: the model of a client base, from its stored features to the files of a model folder.
 * Labelled clients only, protected attributes left out (catalogue model inputs); the protocol is fitScoringModel's.
 */

export interface TrainOptions {
  folds?: number;
  /** Seed of the folds and of the trainer (default 1). */
  seed?: number;
  costs?: CostWeights;
  threads?: number;
  /** Overrides of the kernel's hyperparameters (the seed is `seed`'s). */
  params?: Partial<BoosterParams>;
  /** ISO 8601; by default creationDate() (SOURCE_DATE_EPOCH when set). */
  createdAt?: string;
  onLoaded?: (rows: number, features: number) => void;
  onProgress?: (progress: FitProgress) => void;
}

export interface TrainedModel {
  model: TreeModel;
  metadata: ModelMetadata;
  /** The ONNX file's bytes. */
  onnx: Uint8Array;
  card: ModelCard;
  fit: ScoringFit;
}

export async function trainFromClientBase(
  db: ClientBase,
  file: string,
  options: TrainOptions = {},
): Promise<TrainedModel> {
  checkStoredFeatures(db, file);
  const { matrix, labels, ids } = loadLabelledMatrix(db);
  if (matrix.rows === 0) {
    throw new Error(`client base ${file} has no client with a known TARGET: there is nothing to learn from`);
  }
  const fairness = readFairnessAttributes(db, ids);
  options.onLoaded?.(matrix.rows, matrix.featureNames.length);
  const seed = options.seed ?? 1;
  const folds = options.folds ?? 5;
  const fit = await fitScoringModel(matrix, labels, {
    params: { ...options.params, seed },
    folds,
    seed,
    costs: options.costs,
    threads: options.threads,
    onProgress: options.onProgress,
  });
  const { report } = fit;
  const content = {
    featureNames: fit.model.featureNames,
    trainingFingerprint: report.fingerprint,
    threshold: report.decision.threshold,
    costs: report.costs,
  };
  const metadata: ModelMetadata = {
    ...content,
    modelVersion: contentVersion(fit.model, content),
    createdAt: options.createdAt ?? creationDate(),
  };
  const onnx = onnxModelBytes(fit.model, metadata);
  const card = buildModelCard({
    fit,
    labels,
    folds,
    seed,
    model: {
      version: metadata.modelVersion,
      createdAt: metadata.createdAt,
      file: MODEL_FILE,
      sha256: createHash('sha256').update(onnx).digest('hex'),
    },
    source: basename(file),
    fairness,
  });
  return { model: fit.model, metadata, onnx, card, fit };
}

/** Writes model.onnx, model-card.json and model-card.md into `dir` (a staging folder: see writeModelFolder). */
export function writeTrainedModel(dir: string, trained: TrainedModel): void {
  writeFileSync(join(dir, MODEL_FILE), trained.onnx);
  writeFileSync(join(dir, MODEL_CARD_FILE), `${JSON.stringify(trained.card, null, 2)}\n`);
  writeFileSync(join(dir, MODEL_CARD_NOTE_FILE), renderModelCardMarkdown(trained.card));
}
