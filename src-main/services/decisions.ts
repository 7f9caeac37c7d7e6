import { randomUUID } from 'node:crypto';
import type { CallerHandlers, DecisionRecord, Offer, Review } from '../api/contract.ts';
import { conflict, invalidRequest } from '../api/apiFailure.ts';
import { requireManager, requireModel, requireRow, type ServiceContext } from './context.ts';
import { decide } from '../model/decision.ts';
import type { Offers } from './offers.ts';
import type { Scores } from './scoring.ts';

/**
 * The decision record: the manager's final decision on an offer (the stored application, or what a what-if made
 * of it) beside the model's opinion on that same offer, with the offer, the model version, the offer's probability
 * and the fingerprint of the inputs it was scored on, how the file was reviewed, written with its audit entry in
 * one transaction (both or neither). A final decision that differs from the model's opinion needs a reason. Only a
 * pending application is decided (a past client's outcome is known). The table is append-only: a second decision
 * on a client (after a review, say) supersedes the first without erasing it.
 */

interface DecisionRow {
  id: number;
  SK_ID_CURR: number;
  decided_at: string;
  manager: string;
  manager_branch: string | null;
  final_decision: 'granted' | 'refused';
  model_decision: 'granted' | 'refused';
  override_reason: string | null;
  client_comment: string | null;
  human_review_requested: number;
  model_version: string;
  probability: number;
  inputs_fingerprint: string;
  trace_id: string;
  offer_json: string | null;
  review_json: string | null;
}

function toRecord(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    clientId: row.SK_ID_CURR,
    decidedAt: row.decided_at,
    manager: row.manager,
    managerBranch: row.manager_branch,
    finalDecision: row.final_decision,
    modelDecision: row.model_decision,
    offer: row.offer_json === null ? null : (JSON.parse(row.offer_json) as Offer),
    review: row.review_json === null ? null : (JSON.parse(row.review_json) as Review),
    overridden: row.final_decision !== row.model_decision,
    overrideReason: row.override_reason,
    clientComment: row.client_comment,
    humanReviewRequested: row.human_review_requested === 1,
    modelVersion: row.model_version,
    probability: row.probability,
    inputsFingerprint: row.inputs_fingerprint,
    traceId: row.trace_id,
  };
}

export function createDecisionsService(
  context: ServiceContext,
  scores: Scores,
  offers: Offers,
): Pick<CallerHandlers, 'recordDecision' | 'listDecisions' | 'getClientHistory'> {
  const { db, index, audit } = context;
  const insert = db.prepare(
    `INSERT INTO decision (SK_ID_CURR, decided_at, manager, manager_branch, final_decision, model_decision,
       override_reason, client_comment, human_review_requested, model_version, probability, inputs_fingerprint,
       trace_id, offer_json, review_json)
     VALUES (@clientId, @decidedAt, @manager, @managerBranch, @finalDecision, @modelDecision, @overrideReason,
       @clientComment, @humanReviewRequested, @modelVersion, @probability, @inputsFingerprint, @traceId,
       @offerJson, @reviewJson)`,
  );
  const selectById = db.prepare('SELECT * FROM decision WHERE id = ?');
  const clientDecisions = db.prepare('SELECT * FROM decision WHERE SK_ID_CURR = ? ORDER BY id DESC');

  return {
    async recordDecision(input, caller) {
      const manager = requireManager(caller, 'a decision');
      const row = requireRow(context, input.clientId);
      if (index.target[row] !== -1) {
        const outcome = index.target[row] === 1 ? 'defaulted' : 'repaid';
        throw conflict(
          `client ${input.clientId} is a past client (the loan was ${outcome}): only a pending application can be decided`,
          { status: 'past', outcome },
        );
      }
      const runtime = requireModel(context);
      if (input.modelVersion !== undefined && input.modelVersion !== runtime.version) {
        throw conflict(
          `the decision was prepared with model ${input.modelVersion}, but model ${runtime.version} is loaded now: reload the client file`,
          { expected: input.modelVersion, loaded: runtime.version },
        );
      }
      const { applied: offer, changes } = offers.resolve(input.clientId, input.offer);
      const { probability, inputsFingerprint } = await scores.offerScore(input.clientId, changes);
      const modelDecision = decide(probability, runtime).decision;
      const overrideReason = input.overrideReason?.length ? input.overrideReason : null;
      if (input.finalDecision !== modelDecision && overrideReason === null) {
        throw invalidRequest(
          `overrideReason: required when the final decision (${input.finalDecision}) differs from the model's opinion on this offer (${modelDecision})`,
          { field: 'overrideReason' },
        );
      }
      const record = {
        clientId: input.clientId,
        decidedAt: context.now().toISOString(),
        manager: manager.name,
        managerBranch: manager.branch,
        finalDecision: input.finalDecision,
        modelDecision,
        overrideReason,
        clientComment: input.clientComment?.length ? input.clientComment : null,
        humanReviewRequested: input.humanReviewRequested ? 1 : 0,
        modelVersion: runtime.version,
        probability,
        inputsFingerprint,
        offerJson: JSON.stringify(offer),
        reviewJson: input.review === undefined ? null : JSON.stringify(input.review),
        traceId: randomUUID(),
      };
      const written = db
        .transaction(() => {
          const id = Number(insert.run(record).lastInsertRowid);
          audit.append({
            actor: record.manager,
            action: 'decision',
            clientId: record.clientId,
            traceId: record.traceId,
            details: {
              decisionId: id,
              branch: manager.branch,
              via: caller.via,
              finalDecision: record.finalDecision,
              modelDecision: record.modelDecision,
              overrideReason: record.overrideReason,
              humanReviewRequested: record.humanReviewRequested === 1,
              clientCommented: record.clientComment !== null,
              modelVersion: record.modelVersion,
              probability: record.probability,
              inputsFingerprint: record.inputsFingerprint,
              offer,
              review: input.review ?? null,
            },
          });
          return selectById.get(id) as DecisionRow;
        })
        .immediate();
      index.setDecision(row, record.finalDecision, record.decidedAt);
      return toRecord(written);
    },

    async listDecisions({ clientId, page, pageSize }) {
      const where = clientId === undefined ? '' : 'WHERE SK_ID_CURR = @clientId';
      const total = db.prepare(`SELECT COUNT(*) FROM decision ${where}`).pluck().get({ clientId }) as number;
      const rows = db
        .prepare(`SELECT * FROM decision ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
        .all({ clientId, limit: pageSize, offset: (page - 1) * pageSize }) as DecisionRow[];
      return { page, pageSize, total, items: rows.map(toRecord) };
    },

    async getClientHistory({ clientId }) {
      requireRow(context, clientId);
      return {
        clientId,
        decisions: (clientDecisions.all(clientId) as DecisionRow[]).map(toRecord),
        events: audit.clientEntries(clientId),
      };
    },
  };
}
