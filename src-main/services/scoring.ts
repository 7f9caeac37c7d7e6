import { createHash } from 'node:crypto';
import type { ApiHandlers, Score } from '../api/contract.ts';
import { ApiFailure, conflict } from '../api/apiFailure.ts';
import {
  clientFeatures,
  FeatureError,
  withApplicationEdits,
  type ApplicationEdits,
} from '../features/client.ts';
import { StaleFeaturesError, storedClientFeatures } from '../features/store.ts';
import { requireModel, requireRow, type ServiceContext } from './context.ts';
import { marginPoints, marginText, riskBandOf, riskBands } from './riskBands.ts';

/**
 * Scores of the loaded model: read from the `score` table (one row per client and model version, written by
 * `scoring-desk score` or here), computed and stored on demand for clients not scored yet, so that a base
 * imported after the last batch run still answers. Also the one place that reads a client's feature vector for
 * the services (stored when present, else computed from the base) and fingerprints the model inputs a decision
 * is taken on.
 */

interface ScoreRow {
  probability: number;
  scored_at: string;
}

export class Scores {
  constructor(private readonly context: ServiceContext) {}

  /** The client's full feature vector (catalogue order, NaN = missing): stored if current, else computed now. */
  vector(clientId: number): Float64Array {
    const { db } = this.context;
    try {
      return storedClientFeatures(db, clientId) ?? clientFeatures(db, clientId);
    } catch (error) {
      if (error instanceof StaleFeaturesError) return this.computed(clientId);
      if (error instanceof FeatureError)
        throw conflict(`client ${clientId} cannot be scored: ${error.message}`);
      throw error;
    }
  }

  private computed(clientId: number): Float64Array {
    try {
      return clientFeatures(this.context.db, clientId);
    } catch (error) {
      if (error instanceof FeatureError)
        throw conflict(`client ${clientId} cannot be scored: ${error.message}`);
      throw error;
    }
  }

  /** sha256 of the model's inputs taken from `vector` (float32, as the model reads them). */
  fingerprint(vector: Float64Array): string {
    const inputs = requireModel(this.context).modelInputs([vector]);
    return createHash('sha256').update(new Uint8Array(inputs.buffer)).digest('hex');
  }

  /**
   * The model's probability for the client's application with `changes` (an offer's amounts; none: as stored,
   * the stored score) and the fingerprint of the inputs it was computed on.
   */
  async offerScore(
    clientId: number,
    changes: ApplicationEdits,
  ): Promise<{ probability: number; inputsFingerprint: string }> {
    const vector = withApplicationEdits(this.context.db, clientId, this.vector(clientId), changes);
    const probability =
      Object.keys(changes).length === 0
        ? (await this.score(clientId, 'en')).probability
        : (await requireModel(this.context).score([vector]))[0]!;
    return { probability, inputsFingerprint: this.fingerprint(vector) };
  }

  /**
   * Makes sure the clients at `rows` of the index are scored, computing and storing in one transaction the scores
   * missing. Clients that cannot be scored (left out of the features) are skipped and stay unscored.
   */
  async ensure(rows: readonly number[]): Promise<void> {
    const { index } = this.context;
    const missing = rows.filter((row) => Number.isNaN(index.probability[row]!));
    if (missing.length === 0) return;
    const runtime = requireModel(this.context);
    const scorable: { row: number; vector: Float64Array }[] = [];
    for (const row of missing) {
      try {
        scorable.push({ row, vector: this.vector(index.ids[row]!) });
      } catch (error) {
        if (!(error instanceof ApiFailure)) throw error;
      }
    }
    if (scorable.length === 0) return;
    const probabilities = await runtime.score(scorable.map((s) => s.vector));
    const scoredAt = this.context.now().toISOString();
    const insert = this.context.db.prepare(
      `INSERT OR IGNORE INTO score (SK_ID_CURR, model_version, probability, decision, threshold, scored_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.context.db.transaction(() => {
      scorable.forEach(({ row }, i) => {
        const p = probabilities[i]!;
        insert.run(
          index.ids[row],
          runtime.version,
          p,
          p >= runtime.threshold ? 'refused' : 'granted',
          runtime.threshold,
          scoredAt,
        );
      });
    })();
    scorable.forEach(({ row }, i) => index.setScore(row, probabilities[i]!));
  }

  async score(clientId: number, lang: 'fr' | 'en'): Promise<Score> {
    const row = requireRow(this.context, clientId);
    const runtime = requireModel(this.context);
    await this.ensure([row]);
    const stored = this.context.db
      .prepare('SELECT probability, scored_at FROM score WHERE model_version = ? AND SK_ID_CURR = ?')
      .get(runtime.version, clientId) as ScoreRow | undefined;
    if (!stored) throw conflict(`client ${clientId} cannot be scored: the client has no feature vector`);
    const t = runtime.threshold;
    return {
      clientId,
      probability: stored.probability,
      decision: stored.probability >= t ? 'refused' : 'granted',
      threshold: t,
      margin: marginPoints(stored.probability, t),
      marginText: marginText(stored.probability, t, lang),
      riskBand: riskBandOf(stored.probability, t),
      bands: riskBands(t),
      modelVersion: runtime.version,
      scoredAt: stored.scored_at,
    };
  }
}

export function createScoringService(scores: Scores): Pick<ApiHandlers, 'getScore'> {
  return {
    getScore: ({ clientId, lang }) => scores.score(clientId, lang),
  };
}
