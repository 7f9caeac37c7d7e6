import type { ApiHandlers, ClientSummary } from '../api/contract.ts';
import type { ServiceContext } from './context.ts';
import { normalizeName } from './clientIndex.ts';
import type { Scores } from './scoring.ts';
import { contractTypeCode, contractTypes } from './segments.ts';

/**
 * searchClients: the query (client numbers by their first digits, names by the start of each word) and the
 * filters run over the in-memory client index; the page's clients are scored on demand if the loaded model has
 * not scored them yet.
 */
export function createClientsService(
  context: ServiceContext,
  scores: Scores,
): Pick<ApiHandlers, 'searchClients'> {
  return {
    async searchClients(input) {
      const { index } = context;
      const words = input.query.split(/\s+/).filter((w) => w.length > 0);
      const idPrefixes = words.filter((w) => /^\d+$/.test(w)).map(Number);
      const nameTokens = words.filter((w) => !/^\d+$/.test(w)).map(normalizeName);
      const { total, rows } = index.search(
        {
          idPrefixes,
          nameTokens,
          status: input.status,
          decision: input.decision,
          riskBand: input.riskBand,
          contractType: input.contractType === undefined ? undefined : contractTypeCode(input.contractType),
        },
        { sortBy: input.sortBy, order: input.order, pendingFirst: input.pendingFirst },
        (input.page - 1) * input.pageSize,
        input.pageSize,
      );
      if (context.model) await scores.ensure(rows);
      const items = rows.map((row): ClientSummary => {
        const probability = index.probability[row]!;
        return {
          clientId: index.ids[row]!,
          firstName: index.firstName[row] ?? null,
          lastName: index.lastName[row] ?? null,
          branch: index.branch[row] ?? null,
          contractType: contractTypes[index.contractType[row]!] ?? null,
          amountCredit: Number.isNaN(index.amountCredit[row]!) ? null : index.amountCredit[row]!,
          status: index.status(row),
          outcome: index.target[row] === 1 ? 'defaulted' : index.target[row] === 0 ? 'repaid' : null,
          probability: Number.isNaN(probability) ? null : probability,
          modelDecision: index.modelDecision(row),
          riskBand: index.riskBand(row),
          finalDecision: index.finalDecisionOf(row),
          decidedAt: index.decidedAt[row] ?? null,
        };
      });
      return { page: input.page, pageSize: input.pageSize, total, items };
    },
  };
}
