import type { ClientBase } from '../data/clientBase.ts';
import { checkClientScorer } from './clientScoring.ts';
import { decide } from './decision.ts';
import type { OnnxScorer } from './onnxScorer.ts';
import { checkStoredFeatures, readModelInputBatch } from './trainingData.ts';

/**
 * `scoring-desk score`: the probability and decision of every client of a base with stored features, into table
 * `score` under the model's version, one transaction per batch, then one `score_run` row. Scoring again with the
 * same version replaces that version's rows (and drops those of clients no longer in the base); other versions'
 * rows stay, so decisions taken under an earlier model keep their probability.
 */

export interface ScoreRunOptions {
  /** Clients per onnxruntime call and per transaction. */
  batchSize?: number;
  onProgress?: (scored: number, total: number) => void;
  now?: () => Date;
}

export interface ScoreRunSummary {
  runId: number;
  modelVersion: string;
  threshold: number;
  clients: number;
  refused: number;
  startedAt: string;
  finishedAt: string;
}

export const DEFAULT_SCORE_BATCH = 5000;

export async function scoreClientBase(
  db: ClientBase,
  file: string,
  scorer: OnnxScorer,
  options: ScoreRunOptions = {},
): Promise<ScoreRunSummary> {
  checkClientScorer(scorer);
  checkStoredFeatures(db, file);
  const batchSize = options.batchSize ?? DEFAULT_SCORE_BATCH;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new RangeError(`the batch size is a whole number ≥ 1, not ${batchSize}`);
  }
  const now = options.now ?? (() => new Date());
  const { modelVersion, threshold } = scorer.metadata;
  const startedAt = now().toISOString();
  const total = db.prepare('SELECT COUNT(*) FROM client_features').pluck().get() as number;
  const insert = db.prepare(
    `INSERT OR REPLACE INTO score (SK_ID_CURR, model_version, probability, decision, threshold, scored_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const store = db.transaction((ids: Float64Array, probabilities: Float32Array) => {
    let refused = 0;
    ids.forEach((id, i) => {
      const { decision } = decide(probabilities[i]!, scorer.metadata);
      if (decision === 'refused') refused++;
      insert.run(id, modelVersion, probabilities[i]!, decision, threshold, startedAt);
    });
    return refused;
  });
  let scored = 0;
  let refused = 0;
  let lastId = Number.MIN_SAFE_INTEGER;
  options.onProgress?.(0, total);
  for (;;) {
    const batch = readModelInputBatch(db, lastId, batchSize);
    const rows = batch.ids.length;
    if (rows === 0) break;
    refused += store(batch.ids, await scorer.scoreRows(batch.values, rows));
    scored += rows;
    lastId = batch.ids[rows - 1]!;
    options.onProgress?.(scored, total);
  }
  const finishedAt = now().toISOString();
  const runId = db.transaction(() => {
    db.prepare(
      `DELETE FROM score WHERE model_version = ?
         AND SK_ID_CURR NOT IN (SELECT SK_ID_CURR FROM client_features)`,
    ).run(modelVersion);
    return db
      .prepare('INSERT INTO score_run (model_version, started_at, finished_at, clients) VALUES (?, ?, ?, ?)')
      .run(modelVersion, startedAt, finishedAt, scored).lastInsertRowid;
  })();
  return { runId: Number(runId), modelVersion, threshold, clients: scored, refused, startedAt, finishedAt };
}
