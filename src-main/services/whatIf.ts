import type { ApiHandlers, WhatIf } from '../api/contract.ts';
import { requireModel, requireRow, type ServiceContext } from './context.ts';
import type { Explanations } from './explanations.ts';
import type { Offers } from './offers.ts';
import { marginPoints, marginText, riskBandOf } from './riskBands.ts';

/**
 * whatIf: the offer some edits make of the application (offers.ts: amount, payment or term, goods price), scored
 * and explained by the explanation engine over the edited application row (features/client.ts
 * editedApplicationFeatures), without writing anything; the change of each reason family against the stored
 * application; and, on request, what would change the decision from there (the engine's counterfactual search).
 */
export function createWhatIfService(
  context: ServiceContext,
  explanations: Explanations,
  offers: Offers,
): Pick<ApiHandlers, 'whatIf'> {
  return {
    async whatIf({ clientId, lang, edits, counterfactuals }): Promise<WhatIf> {
      requireRow(context, clientId);
      const model = requireModel(context);
      const { stored, applied, changes } = offers.resolve(clientId, edits);
      const before = explanations.explain(clientId, lang);
      const after = model.explainer.explainEdited(context.db, clientId, changes, lang);
      const beforeFamilies = new Map(before.families.map((f) => [f.id, f.contribution]));
      const delta = after.families
        .map((family) => {
          const was = beforeFamilies.get(family.id) ?? 0;
          return {
            family: family.id,
            label: family.label,
            before: was,
            after: family.contribution,
            change: family.contribution - was,
          };
        })
        .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
      const t = model.threshold;
      return {
        clientId,
        stored,
        applied,
        before: {
          probability: before.probability,
          decision: before.decision,
          riskBand: riskBandOf(before.probability, t),
        },
        after: {
          probability: after.probability,
          decision: after.decision,
          riskBand: riskBandOf(after.probability, t),
          margin: marginPoints(after.probability, t),
          marginText: marginText(after.probability, t, lang),
        },
        delta,
        explanation: after,
        counterfactuals: counterfactuals
          ? model.explainer.counterfactuals(context.db, clientId, lang, applied.nominalRate, changes)
          : null,
      };
    },
  };
}
