import type {
  ApiClient,
  ApiOutput,
  ClientExplanation,
  ClientFile,
  Score,
} from '../../src-main/api/contract.ts';

/** Small contract-shaped answers for component tests, served by an in-memory bridge (no network, no server). */

export const score: Score = {
  clientId: 100002,
  probability: 0.134,
  decision: 'refused',
  threshold: 0.11,
  margin: 2.4,
  marginText: '2,4 points au-dessus du seuil',
  riskBand: 'high',
  bands: [
    { band: 'low', from: 0, to: 0.055 },
    { band: 'moderate', from: 0.055, to: 0.11 },
    { band: 'high', from: 0.11, to: 0.22 },
    { band: 'very_high', from: 0.22, to: 1 },
  ],
  modelVersion: 'test-1',
  scoredAt: '2026-01-15T10:00:00.000Z',
};

export const explanation: ClientExplanation = {
  clientId: 100002,
  lang: 'fr',
  modelVersion: 'test-1',
  probability: 0.134,
  decision: 'refused',
  threshold: 0.11,
  margin: 2.4,
  borderline: true,
  baseProbability: 0.08,
  families: [
    {
      id: 'external_scores',
      label: 'Scores de crédit externes',
      shap: 0.5,
      contribution: 0.05,
      features: [
        {
          name: 'EXT_SOURCE_2',
          label: 'Score externe 2',
          value: 0.2,
          formattedValue: '0,20',
          shap: 0.5,
          contribution: 0.05,
          actionable: false,
          sensitive: false,
          protected: false,
        },
      ],
    },
    { id: 'loan_terms', label: 'Montant et durée', shap: 0.04, contribution: 0.004, features: [] },
  ],
  adverse: [],
  favourable: [],
  principalReasons: [
    {
      family: 'external_scores',
      feature: 'EXT_SOURCE_2',
      contribution: 0.05,
      text: 'Vos scores externes sont bas.',
    },
  ],
  favourableReasons: [],
  warnings: [],
  method: { kind: 'path-dependent', notice: 'Valeurs de Shapley exactes.' },
  edits: null,
};

export const clientFile: ClientFile = {
  clientId: 100002,
  identity: { firstName: 'Camille', lastName: 'Martin', branch: 'Lyon', phone: null },
  status: 'pending',
  outcome: null,
  groups: [
    {
      family: 'loan_terms',
      label: 'Montant et durée',
      fields: [
        {
          name: 'AMT_CREDIT',
          label: 'Montant',
          value: 300000,
          formattedValue: '300 000 €',
          unit: 'amount',
          format: 'currency:0',
        },
        {
          name: 'NAME_CONTRACT_TYPE',
          label: 'Produit',
          value: 'Cash loans',
          formattedValue: 'Prêt personnel',
          unit: 'category',
          format: 'category',
        },
      ],
    },
  ],
  history: {
    bureau: { credits: 0, active: 0, closed: 0, overdue: 0, overdueAmount: 0, totalDebt: 0 },
    previous: { applications: 0, approved: 0, refused: 0, canceled: 0, unusedOffers: 0 },
    instalments: { instalments: 0, late: 0, lateShare: null, maxDaysLate: 0, underpaid: 0 },
    card: { cards: 0, months: 0, meanUtilisation: null, monthsWithDrawings: 0, monthsPastDue: 0 },
  },
  timeline: { bureau: [], previous: [], instalments: [], instalmentsTruncated: false },
  segment: { contractType: 'Cash loans', ageBand: '35-44', incomeBand: '100k-150k' },
};

const history: ApiOutput<'getClientHistory'> = { clientId: 100002, decisions: [], events: [] };

/** An in-memory bridge answering the read methods the client file uses; any other method fails loudly. */
export function fakeBridge(): { version: string; api: Partial<ApiClient>; printToPdf: () => never } {
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  return {
    version: 'test',
    api: {
      getScore: () => ok(score),
      getExplanation: () => ok(explanation),
      getClientFile: () => ok(clientFile),
      getClientHistory: () => ok(history),
      logEvent: () => ok({ seq: 1, at: '2026-01-15T10:00:00.000Z', traceId: 'T-1' }),
    },
    printToPdf: () => {
      throw new Error('not in this test');
    },
  };
}
