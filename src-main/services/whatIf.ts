import type { ApiHandlers, ApplicationEdits, WhatIf } from '../api/contract.ts';
import { conflict, outOfRange } from '../api/apiFailure.ts';
import { requireModel, requireRow, type ServiceContext } from './context.ts';
import type { Explanations } from './explanations.ts';
import { marginPoints, marginText, riskBandOf } from './riskBands.ts';

/**
 * whatIf: the application with some amounts changed (credit, annuity, goods price), scored and explained by the
 * explanation engine over the edited application row (features/client.ts editedApplicationFeatures), without
 * writing anything; the change of each reason family against the stored application; and, on request, what
 * would change the decision from there (the engine's counterfactual search).
 *
 * Edits the contract accepts but the application does not are refused as 'out_of_range': an amount beyond ten
 * times (or under a tenth of) the stored credit, an annuity above the credit or for a term over 50 years.
 */

type Field = keyof ApplicationEdits;
type Amounts = Record<Field, number>;

const RANGE_FACTOR = 10;
const MAX_TERM_MONTHS = 600;

function checkRange(field: Field, value: number, min: number, max: number, why: string): void {
  if (value < min || value > max) {
    throw outOfRange(`${field}: ${value} is outside the range this application allows (${why})`, {
      field,
      value,
      min,
      max,
    });
  }
}

export function createWhatIfService(
  context: ServiceContext,
  explanations: Explanations,
): Pick<ApiHandlers, 'whatIf'> {
  const selectAmounts = context.db.prepare(
    'SELECT AMT_CREDIT, AMT_ANNUITY, AMT_GOODS_PRICE FROM application WHERE SK_ID_CURR = ?',
  );
  return {
    async whatIf({ clientId, lang, edits, counterfactuals }): Promise<WhatIf> {
      requireRow(context, clientId);
      const model = requireModel(context);
      const row = selectAmounts.get(clientId) as Record<Field, number | null>;
      const stored = {} as Amounts;
      for (const field of ['AMT_CREDIT', 'AMT_ANNUITY', 'AMT_GOODS_PRICE'] as const) {
        const value = edits[field] ?? row[field];
        if (row[field] === null && edits[field] === undefined) {
          throw conflict(`client ${clientId} has no ${field} recorded: give one in edits to simulate`, {
            field,
          });
        }
        stored[field] = row[field] ?? value!;
      }
      const applied: Amounts = { ...stored, ...edits };
      const credit = stored.AMT_CREDIT;
      checkRange(
        'AMT_CREDIT',
        applied.AMT_CREDIT,
        credit / RANGE_FACTOR,
        credit * RANGE_FACTOR,
        `a tenth to ${RANGE_FACTOR} times the stored credit`,
      );
      checkRange(
        'AMT_GOODS_PRICE',
        applied.AMT_GOODS_PRICE,
        credit / RANGE_FACTOR,
        credit * RANGE_FACTOR,
        `a tenth to ${RANGE_FACTOR} times the stored credit`,
      );
      checkRange(
        'AMT_ANNUITY',
        applied.AMT_ANNUITY,
        applied.AMT_CREDIT / MAX_TERM_MONTHS,
        applied.AMT_CREDIT,
        `at most the credit, over at most ${MAX_TERM_MONTHS} months`,
      );

      const before = explanations.explain(clientId, lang);
      const after = model.explainer.explainEdited(context.db, clientId, edits, lang);
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
          ? model.explainer.counterfactuals(context.db, clientId, lang, edits)
          : null,
      };
    },
  };
}
