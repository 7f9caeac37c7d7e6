import { z } from 'zod';
import { modelCardSchema, type ModelCard } from '../model/modelCard.ts';
import { apiMethodNames, type ApiMethodName } from './methods.ts';

/**
 * The Scoring Desk API, declared once: every method's input and output as zod schemas, with the TypeScript types
 * inferred from them. The services implement it (src-main/services), the HTTP server derives its routes and its
 * OpenAPI document from it (src-main/http), the Electron preload exposes the same method names
 * (src-main/electron), and the renderer imports its types only (`import type`).
 *
 * Conventions: probabilities are probabilities of default (0 to 1); margins are in percentage points; amounts in
 * the base's currency; days are Kaggle's "days before the application" (negative); dates are ISO 8601 strings; a
 * missing value is null (JSON has no NaN). Every text meant for a person comes in the requested language.
 *
 * This module imports nothing but zod schemas (the model card's, src-main/model/modelCard.ts, is zod only), so that
 * the renderer can type-check against it without Node's types.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

export const langSchema = z.enum(['fr', 'en']).describe('language of every text in the answer');
export type Lang = z.infer<typeof langSchema>;
/** The model card as the contract serves it (getModelCard), for the renderer, which imports nothing else. */
export type { ModelCard };

const lang = langSchema.default('fr');

export const clientIdSchema = z
  .int()
  .positive()
  .max(Number.MAX_SAFE_INTEGER)
  .describe('the client number (SK_ID_CURR)');

export const decisionSchema = z.enum(['granted', 'refused']);
export type Decision = z.infer<typeof decisionSchema>;

/**
 * Where an application stands: `pending` awaits a decision, `decided` has a decision recorded in Scoring Desk,
 * `past` is a past client whose outcome is known (repaid or defaulted).
 */
export const clientStatusSchema = z.enum(['pending', 'decided', 'past']);
export type ClientStatus = z.infer<typeof clientStatusSchema>;

export const outcomeSchema = z.enum(['repaid', 'defaulted']);
export type Outcome = z.infer<typeof outcomeSchema>;

/** Risk bands, as multiples of the threshold t: low < t/2 ≤ moderate < t ≤ high < 2t ≤ very_high. */
export const riskBandSchema = z.enum(['low', 'moderate', 'high', 'very_high']);
export type RiskBand = z.infer<typeof riskBandSchema>;

export const contractTypeSchema = z.enum(['Cash loans', 'Revolving loans']);
export type ContractType = z.infer<typeof contractTypeSchema>;

/** Age bands in years at the application. */
export const ageBandSchema = z.enum(['<25', '25-34', '35-44', '45-54', '55-64', '65+']);
export type AgeBand = z.infer<typeof ageBandSchema>;

/** Monthly income bands (AMT_INCOME_TOTAL is a monthly amount: README, "Amounts"). */
export const incomeBandSchema = z.enum(['<100k', '100k-150k', '150k-200k', '200k-300k', '300k+']);
export type IncomeBand = z.infer<typeof incomeBandSchema>;

const text = z.string();
const probability = z.number().min(0).max(1);
const isoDate = z.string().describe('ISO 8601 date and time');
const traceId = z.string().describe('the audit trace id (shown on a printed sheet, kept in the audit log)');

const pageInput = {
  page: z.int().min(1).max(1_000_000).default(1),
  pageSize: z.int().min(1).max(100).default(25),
};

function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    page: z.int(),
    pageSize: z.int(),
    /** Items matching, over all pages. */
    total: z.int(),
    items: z.array(item),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

export const apiErrorCodeSchema = z.enum([
  /** No such client, decision or feature. */
  'not_found',
  /** The input does not follow the contract; the message names the field. */
  'invalid_request',
  /** A value the contract accepts but the application does not (a what-if amount too far from the stored one). */
  'out_of_range',
  /** No model is loaded, or it cannot score this base. */
  'model_unavailable',
  /** The request contradicts the stored state (a decision on a past client, a stale model version). */
  'conflict',
  /** The caller may not do this: no manager is named at the desk, or a signed-in manager tries to change it. */
  'forbidden',
  /** Anything else; the details stay in the server's log. */
  'internal',
]);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

export const apiErrorSchema = z.object({
  code: apiErrorCodeSchema,
  message: z.string().describe('what is wrong and where, for a person'),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** What every transport hands back: the method's output, or a typed error. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------------------------------------------------------
// searchClients

export const searchClientsInput = z.strictObject({
  /** Digits: client numbers starting with them. Words: first or last names starting with each word. */
  query: z
    .string()
    .trim()
    .max(100)
    .superRefine((query, context) => {
      for (const word of query.split(/\s+/)) {
        // A word with nothing to match (punctuation or accents alone) would otherwise match every name.
        if (word.length > 0 && !/[\p{L}\p{N}]/u.test(word)) {
          context.addIssue({
            code: 'custom',
            message: `"${word}" has no letter or digit to search for`,
          });
        } else if (/^0\d*$/.test(word)) {
          context.addIssue({ code: 'custom', message: `no client number starts with 0 ("${word}")` });
        }
      }
    })
    .default(''),
  status: z.array(clientStatusSchema).max(3).optional().describe('any of these statuses (default: all)'),
  /** The decision in force: the recorded final decision when there is one, else the model's. */
  decision: decisionSchema.optional(),
  riskBand: z.array(riskBandSchema).max(4).optional(),
  contractType: contractTypeSchema.optional(),
  sortBy: z.enum(['clientId', 'probability', 'name']).default('clientId'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** Pending applications before the others, whatever the sort. */
  pendingFirst: z.boolean().default(true),
  ...pageInput,
});

export const clientSummarySchema = z.object({
  clientId: z.int(),
  firstName: text.nullable(),
  lastName: text.nullable(),
  branch: text.nullable(),
  contractType: text.nullable(),
  amountCredit: z.number().nullable(),
  status: clientStatusSchema,
  /** Known for past clients only. */
  outcome: outcomeSchema.nullable(),
  /** Null when the client cannot be scored (no features). */
  probability: probability.nullable(),
  modelDecision: decisionSchema.nullable(),
  riskBand: riskBandSchema.nullable(),
  finalDecision: decisionSchema.nullable(),
  decidedAt: isoDate.nullable(),
});
export type ClientSummary = z.infer<typeof clientSummarySchema>;

export const searchClientsOutput = pageOf(clientSummarySchema);

// ---------------------------------------------------------------------------------------------------------------
// getClientFile

const clientInput = z.strictObject({ clientId: clientIdSchema, lang });

export const fieldSchema = z.object({
  /** The application column (Kaggle name). */
  name: z.string(),
  label: text,
  /** A number, or the Kaggle level of a categorical column; null when missing. */
  value: z.union([z.number(), z.string()]).nullable(),
  /** The value as a person reads it, in the requested language ("non renseigné" when missing). */
  formattedValue: text,
  /** Catalogue unit: days, amount, count, ratio, score, flag, code, category... */
  unit: z.string(),
  /** Catalogue display format (integer, decimal:N, percent:N, currency:N, flag, code, category). */
  format: z.string(),
});
export type Field = z.infer<typeof fieldSchema>;

export const fieldGroupSchema = z.object({
  /** Reason family id (catalogue `families`). */
  family: z.string(),
  label: text,
  fields: z.array(fieldSchema),
});

export const historySummarySchema = z.object({
  bureau: z.object({
    credits: z.int(),
    active: z.int(),
    closed: z.int(),
    /** Credits overdue now (CREDIT_DAY_OVERDUE > 0). */
    overdue: z.int(),
    overdueAmount: z.number(),
    totalDebt: z.number(),
  }),
  previous: z.object({
    applications: z.int(),
    approved: z.int(),
    refused: z.int(),
    canceled: z.int(),
    unusedOffers: z.int(),
  }),
  instalments: z.object({
    instalments: z.int(),
    /** Paid after the due date. */
    late: z.int(),
    lateShare: z.number().nullable(),
    maxDaysLate: z.int(),
    /** Paid less than due. */
    underpaid: z.int(),
  }),
  card: z.object({
    cards: z.int(),
    months: z.int(),
    /** Mean balance / limit over the months with a limit. */
    meanUtilisation: z.number().nullable(),
    monthsWithDrawings: z.int(),
    monthsPastDue: z.int(),
  }),
});
export type HistorySummary = z.infer<typeof historySummarySchema>;

export const timelineSchema = z.object({
  bureau: z.array(
    z.object({
      bureauId: z.int(),
      creditType: text.nullable(),
      status: text.nullable(),
      startDay: z.number().nullable(),
      endDay: z.number().nullable(),
      amount: z.number().nullable(),
      debt: z.number().nullable(),
      daysOverdue: z.number().nullable(),
    }),
  ),
  previous: z.array(
    z.object({
      previousId: z.int(),
      contractType: text.nullable(),
      status: text.nullable(),
      decisionDay: z.number().nullable(),
      amountApplied: z.number().nullable(),
      amountCredit: z.number().nullable(),
    }),
  ),
  /** Most recent first, at most `maxInstalments` of them. */
  instalments: z.array(
    z.object({
      previousId: z.int(),
      number: z.number().nullable(),
      dueDay: z.number().nullable(),
      paidDay: z.number().nullable(),
      amountDue: z.number().nullable(),
      amountPaid: z.number().nullable(),
      /** Days paid after the due date (0 on time or early); null when not paid. */
      daysLate: z.number().nullable(),
    }),
  ),
  /** Whether older instalments were left out. */
  instalmentsTruncated: z.boolean(),
});
export type Timeline = z.infer<typeof timelineSchema>;

export const segmentSchema = z.object({
  contractType: contractTypeSchema.nullable(),
  ageBand: ageBandSchema.nullable(),
  incomeBand: incomeBandSchema.nullable(),
});
export type Segment = z.infer<typeof segmentSchema>;

export const getClientFileOutput = z.object({
  clientId: z.int(),
  identity: z
    .object({ firstName: text, lastName: text, branch: text.nullable(), phone: text.nullable() })
    .nullable(),
  status: clientStatusSchema,
  outcome: outcomeSchema.nullable(),
  /** The application's fields, grouped by reason family and labelled from the feature catalogue. */
  groups: z.array(fieldGroupSchema),
  history: historySummarySchema,
  timeline: timelineSchema,
  /** The client's own segment, to preselect a comparison. */
  segment: segmentSchema,
});
export type ClientFile = z.infer<typeof getClientFileOutput>;

// ---------------------------------------------------------------------------------------------------------------
// getScore

export const riskBandBoundsSchema = z.object({ band: riskBandSchema, from: probability, to: probability });

export const scoreSchema = z.object({
  clientId: z.int(),
  probability,
  decision: decisionSchema,
  threshold: probability,
  /** Percentage points between the probability and the threshold, signed (< 0: under the threshold). */
  margin: z.number(),
  /** The margin in plain words ("3,2 points sous le seuil"). */
  marginText: text,
  riskBand: riskBandSchema,
  bands: z.array(riskBandBoundsSchema),
  modelVersion: z.string(),
  scoredAt: isoDate,
});
export type Score = z.infer<typeof scoreSchema>;

// ---------------------------------------------------------------------------------------------------------------
// getExplanation (mirrors src-main/explain/clientExplanation.ts; a test checks they stay equal)

export const featureContributionSchema = z.object({
  name: z.string(),
  label: text,
  value: z.number().nullable(),
  formattedValue: text,
  shap: z.number(),
  contribution: z.number(),
  actionable: z.boolean(),
  sensitive: z.boolean(),
  protected: z.boolean(),
});

export const familyContributionSchema = z.object({
  id: z.string(),
  label: text,
  shap: z.number(),
  contribution: z.number(),
  features: z.array(featureContributionSchema),
});

export const factorSchema = z.object({
  family: z.string(),
  label: text,
  contribution: z.number(),
  feature: z.string(),
});

export const reasonSchema = z.object({
  family: z.string(),
  feature: z.string(),
  contribution: z.number(),
  text,
});

export const dataWarningSchema = z.object({
  kind: z.enum(['missing-external-scores', 'outside-training-range']),
  features: z.array(z.string()),
  text,
});

/**
 * What a what-if changes in the application: the amount borrowed, the goods price, and either the monthly payment
 * or the term (the other follows by amortisation at the product's rate). Left out: as stored, with the stored term
 * kept when the amount moves (the payment follows the amount).
 */
export const offerEditsSchema = z
  .strictObject({
    AMT_CREDIT: z.number().positive().max(1e9).optional(),
    AMT_ANNUITY: z.number().positive().max(1e9).optional(),
    AMT_GOODS_PRICE: z.number().positive().max(1e9).optional(),
    termMonths: z.number().min(1).max(600).optional().describe('the term in months; the payment follows'),
  })
  .refine((edits) => edits.AMT_ANNUITY === undefined || edits.termMonths === undefined, {
    message: 'give the monthly payment (AMT_ANNUITY) or the term (termMonths), not both',
    path: ['termMonths'],
  });
export type OfferEdits = z.infer<typeof offerEditsSchema>;

/** Application amounts as the explanation engine reports them (no goods price when the application has none). */
const amountsSchema = z.object({
  AMT_CREDIT: z.number().optional(),
  AMT_ANNUITY: z.number().optional(),
  AMT_GOODS_PRICE: z.number().optional(),
});

export const offerWarningSchema = z.enum([
  /** The monthly payment is above the monthly income: the data look wrong, or the loan is impossible. */
  'payment-above-income',
  /** The monthly payment does not cover the interest at the product's rate: no term repays the credit. */
  'payment-below-interest',
]);
export type OfferWarning = z.infer<typeof offerWarningSchema>;

/**
 * A loan as offered: the three application amounts the model reads, and what a client checks them by. Kaggle's
 * AMT_ANNUITY and AMT_INCOME_TOTAL are both monthly amounts (README, "Amounts"), so payment and income are shown
 * side by side for the same month.
 */
export const offerSchema = z.object({
  AMT_CREDIT: z.number(),
  /** The monthly payment. */
  AMT_ANNUITY: z.number(),
  /** The price of the goods financed; null for an application without one (some revolving loans). */
  AMT_GOODS_PRICE: z.number().nullable(),
  /** Months to repay, from the amount, the payment and the rate; fractional as stored; null if never repaid. */
  termMonths: z.number().nullable(),
  /** The product's nominal annual rate (0.08 for 8 %), from the lender's file. */
  nominalRate: z.number(),
  /** What the client pays upfront: the goods price beyond the credit (0 when the credit covers it all). */
  downPayment: z.number(),
  /** The credit beyond the goods price (fees or insurance financed with it); 0 when within the price. */
  financedBeyondPrice: z.number(),
  /** Payment × term; null without a term. */
  totalRepaid: z.number().nullable(),
  monthlyIncome: z.number().nullable(),
  /** Monthly payment ÷ monthly income (debt burden of this loan). */
  paymentToIncome: z.number().nullable(),
  warnings: z.array(offerWarningSchema),
});
export type Offer = z.infer<typeof offerSchema>;

export const clientExplanationSchema = z.object({
  clientId: z.int().nullable(),
  lang: langSchema,
  modelVersion: z.string(),
  probability,
  decision: decisionSchema,
  threshold: probability,
  margin: z.number(),
  borderline: z.boolean(),
  baseProbability: probability,
  families: z.array(familyContributionSchema),
  adverse: z.array(factorSchema),
  favourable: z.array(factorSchema),
  principalReasons: z.array(reasonSchema),
  favourableReasons: z.array(reasonSchema),
  warnings: z.array(dataWarningSchema),
  method: z.object({ kind: z.enum(['path-dependent', 'interventional']), notice: text }),
  edits: amountsSchema.nullable(),
});
export type ClientExplanation = z.infer<typeof clientExplanationSchema>;

export const leverSchema = z.enum(['amount', 'term', 'down-payment']);

export const counterfactualResultSchema = z.object({
  clientId: z.int(),
  lang: langSchema,
  status: z.enum(['not-needed', 'found', 'none-within-limits']),
  target: probability,
  current: z.object({ probability, decision: decisionSchema, edits: amountsSchema }),
  options: z.array(
    z.object({
      levers: z.array(leverSchema),
      edits: amountsSchema,
      changes: z.array(z.object({ lever: leverSchema, size: z.number() })),
      probability,
      decision: decisionSchema,
      text,
    }),
  ),
  limits: z.object({
    minAmountShare: z.number(),
    maxExtraMonths: z.number(),
    maxTermMonths: z.number(),
    maxDownPaymentShare: z.number(),
  }),
  summary: text,
});
export type CounterfactualResult = z.infer<typeof counterfactualResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// compare

export const comparisonGroupSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('similar'), k: z.int().min(20).max(500).default(50) }),
  z.strictObject({
    kind: z.literal('segment'),
    contractType: contractTypeSchema.optional(),
    ageBand: ageBandSchema.optional(),
    incomeBand: incomeBandSchema.optional(),
  }),
]);
export type ComparisonGroup = z.infer<typeof comparisonGroupSchema>;

export const compareInput = z.strictObject({
  clientId: clientIdSchema,
  lang,
  group: comparisonGroupSchema.default({ kind: 'all' }),
  /** Features to show (catalogue names); default: those that matter most to this client's score. */
  features: z.array(z.string().max(200)).max(12).optional(),
  bins: z.int().min(5).max(50).default(20),
});

export const histogramSchema = z.object({
  /** bins + 1 increasing edges; the last bin includes its upper edge. */
  edges: z.array(z.number()),
  repaid: z.array(z.int()),
  defaulted: z.array(z.int()),
  /** Group members with no value for the feature. */
  missing: z.object({ repaid: z.int(), defaulted: z.int() }),
});

export const featureComparisonSchema = z.object({
  name: z.string(),
  label: text,
  unit: z.string(),
  format: z.string(),
  clientValue: z.number().nullable(),
  formattedClientValue: text,
  /** Share of the group with a lower value, plus half the ties, in percent; null when the client's is missing. */
  percentile: z.number().min(0).max(100).nullable(),
  median: z.object({ repaid: z.number().nullable(), defaulted: z.number().nullable() }),
  histogram: histogramSchema,
});
export type FeatureComparison = z.infer<typeof featureComparisonSchema>;

export const compareOutput = z.object({
  clientId: z.int(),
  /** The past clients with a known outcome compared with (the client excluded), as aggregates only. */
  group: z.object({
    kind: z.enum(['all', 'similar', 'segment']),
    description: text,
    size: z.int(),
    repaid: z.int(),
    defaulted: z.int(),
    defaultRate: z.number().nullable(),
    /** The segment's criteria, for kind 'segment'. */
    segment: segmentSchema.nullable(),
  }),
  /** The client's own segment. */
  clientSegment: segmentSchema,
  /** For kind 'similar': what the neighbours were matched on, and their medians (never a single client's row). */
  similar: z
    .object({
      k: z.int(),
      sentence: text,
      matchedOn: z.array(z.object({ name: z.string(), label: text })),
      medians: z.array(
        z.object({ name: z.string(), label: text, value: z.number().nullable(), formattedValue: text }),
      ),
    })
    .nullable(),
  features: z.array(featureComparisonSchema),
});
export type Comparison = z.infer<typeof compareOutput>;

// ---------------------------------------------------------------------------------------------------------------
// whatIf

export const whatIfInput = z.strictObject({
  clientId: clientIdSchema,
  lang,
  edits: offerEditsSchema,
  /** Also search what would change the decision from the edited application (at most ~300 ms more). */
  counterfactuals: z.boolean().default(true),
});

export const familyDeltaSchema = z.object({
  family: z.string(),
  label: text,
  before: z.number(),
  after: z.number(),
  change: z.number(),
});

export const whatIfOutput = z.object({
  clientId: z.int(),
  /** The stored application, and the offer the edits make of it. */
  stored: offerSchema,
  applied: offerSchema,
  before: z.object({ probability, decision: decisionSchema, riskBand: riskBandSchema }),
  after: z.object({
    probability,
    decision: decisionSchema,
    riskBand: riskBandSchema,
    margin: z.number(),
    marginText: text,
  }),
  /** Change of each family's contribution (probability scale), largest |change| first. */
  delta: z.array(familyDeltaSchema),
  explanation: clientExplanationSchema,
  counterfactuals: counterfactualResultSchema.nullable(),
});
export type WhatIf = z.infer<typeof whatIfOutput>;

// ---------------------------------------------------------------------------------------------------------------
// getModelInfo

export const modelInfoOutput = z.object({
  modelVersion: z.string(),
  threshold: probability,
  createdAt: isoDate,
  /** Global importance of the model's features, most important first, labelled. */
  importance: z.array(
    z.object({ name: z.string(), label: text, family: z.string(), gain: z.number(), share: z.number() }),
  ),
  /**
   * The model card (methodology, metrics, cost curve, calibration, importance, fairness) as written by
   * `scoring-desk train`; null for a model folder without one.
   */
  card: modelCardSchema.nullable(),
});
export type ModelInfo = z.infer<typeof modelInfoOutput>;

// ---------------------------------------------------------------------------------------------------------------
// Decisions and audit

/** The parts of a client file a manager may open before deciding (the record keeps which were). */
export const reviewSectionSchema = z.enum([
  'summary',
  'explanation',
  'profile',
  'comparison',
  'what-if',
  'decision',
  'sheet',
]);
export type ReviewSection = z.infer<typeof reviewSectionSchema>;

/** How the file was reviewed before the decision (AI Act Art. 14: oversight that is more than a click). */
export const reviewSchema = z.strictObject({
  /** Seconds from opening the client file to recording the decision. */
  secondsOnFile: z
    .int()
    .min(0)
    .max(7 * 24 * 3600),
  /** The sections opened, in the order first opened. */
  sectionsOpened: z.array(reviewSectionSchema).max(reviewSectionSchema.options.length),
});
export type Review = z.infer<typeof reviewSchema>;

export const recordDecisionInput = z.strictObject({
  clientId: clientIdSchema,
  finalDecision: decisionSchema,
  /**
   * The offer decided, as edits of the stored application ({} for the application as stored): it is scored again
   * and the decision is compared with the model's opinion on it. An offer the application does not allow is
   * refused with 'out_of_range'.
   */
  offer: offerEditsSchema,
  /** Required when the final decision differs from the model's opinion on the offer. */
  overrideReason: z.string().trim().max(2000).optional(),
  /** The client's point of view, in their words. */
  clientComment: z.string().trim().max(4000).optional(),
  humanReviewRequested: z.boolean().default(false),
  /** The model version the manager saw: refused with 'conflict' if another model is loaded now. */
  modelVersion: z.string().max(200).optional(),
  review: reviewSchema.optional(),
});

export const decisionRecordSchema = z.object({
  id: z.int(),
  clientId: z.int(),
  decidedAt: isoDate,
  manager: z.string(),
  /** The manager's branch as they gave it at the desk; null when not given (and before branches were kept). */
  managerBranch: z.string().nullable(),
  finalDecision: decisionSchema,
  /** The model's opinion on the offer decided. */
  modelDecision: decisionSchema,
  /** The offer decided; null for decisions recorded before offers were kept (they were on the stored application). */
  offer: offerSchema.nullable(),
  /** How the file was reviewed; null when the caller did not say (an API client) or before it was kept. */
  review: reviewSchema.nullable(),
  overridden: z.boolean(),
  overrideReason: z.string().nullable(),
  clientComment: z.string().nullable(),
  humanReviewRequested: z.boolean(),
  modelVersion: z.string(),
  /** The model's probability of default for the offer decided. */
  probability,
  /** sha256 of the model's input vector the decision was taken on (the offer's). */
  inputsFingerprint: z.string(),
  traceId,
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

export const listDecisionsInput = z.strictObject({
  clientId: clientIdSchema.optional(),
  ...pageInput,
});

export const auditActionSchema = z.enum(['view', 'print', 'decision', 'print_pdf', 'export', 'desk']);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  seq: z.int(),
  at: isoDate,
  actor: z.string(),
  action: auditActionSchema,
  clientId: z.int().nullable(),
  traceId,
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const clientHistoryOutput = z.object({
  clientId: z.int(),
  decisions: z.array(decisionRecordSchema),
  /** Views, prints and decisions of this client, most recent first. */
  events: z.array(auditEntrySchema),
});

export const logEventInput = z.strictObject({
  clientId: clientIdSchema,
  kind: z.enum(['view', 'print']),
  lang,
  /** Which screen was viewed, or which sheet printed. */
  view: z.string().trim().max(100).optional(),
});

export const logEventOutput = z.object({ seq: z.int(), at: isoDate, traceId });

export const chainCheckSchema = z.object({
  ok: z.boolean(),
  entries: z.int(),
  /** The first entry whose hash or link does not hold, and why. */
  firstBreak: z.object({ seq: z.int(), reason: z.string() }).nullable(),
});
export type ChainCheck = z.infer<typeof chainCheckSchema>;

export const exportAuditLogInput = z.strictObject({ format: z.enum(['jsonl', 'csv']).default('jsonl') });

export const exportAuditLogOutput = z.object({
  format: z.enum(['jsonl', 'csv']),
  fileName: z.string(),
  entries: z.int(),
  /** Every entry with its prev_hash and hash, oldest first. */
  content: z.string(),
  chain: chainCheckSchema,
});

/** A person's name or a branch as a manager types it: letters, digits, spaces and the punctuation names use. */
const personText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{M}\p{N} .,'’()-]+$/u, "letters, digits, spaces and . , ' ’ ( ) - only");

/** The manager who acts: the audit log's actor and the decision's author. */
export const managerSchema = z.strictObject({ name: personText, branch: personText.nullable() });
export type Manager = z.infer<typeof managerSchema>;

/**
 * Who calls, as the transport established it: the desk (the desktop app, or the local server), where the manager
 * says who they are with setDesk; or a signed-in manager (a personal token), whose identity the desk cannot change.
 */
export interface Caller {
  readonly via: 'desk' | 'token';
  readonly manager: Manager | null;
}

export const deskOutput = z.object({
  /** 'token': the manager is the one whose token signed the request, and setDesk is refused. */
  mode: z.enum(['desk', 'token']),
  /** Who is recorded as acting; null until a manager is named. */
  manager: managerSchema.nullable(),
});

export const setDeskInput = z.strictObject({ manager: managerSchema.nullable() });

/** Who the client deals with, printed on the explanation sheet: data/lender/lender.json, or the file configured. */
export const lenderSchema = z.strictObject({
  name: z.string().min(1),
  /** Where to write: a service and a postal address, on one line. */
  address: z.string().min(1),
  phone: z.string().min(1).nullable(),
  email: z.string().min(1).nullable(),
  /** The data protection officer, for access to and correction of personal data. */
  dataProtectionEmail: z.string().min(1).nullable(),
  /** The consumer credit mediator, for a dispute the lender has not settled. */
  mediator: z.string().min(1).nullable(),
  /** The credit bureau consulted on every application: the client may obtain from it what it holds on them. */
  creditBureau: z.strictObject({
    name: z.string().min(1),
    /** Where and how the client obtains their record, on one line. */
    access: z.string().min(1),
  }),
  /** The data protection authority a client may complain to (default: France's CNIL). */
  supervisoryAuthority: z
    .strictObject({ name: z.string().min(1), address: z.string().min(1), website: z.string().min(1) })
    .default({
      name: 'CNIL (Commission nationale de l’informatique et des libertés)',
      address: '3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07',
      website: 'www.cnil.fr',
    }),
  /** How long the application and the record of its decision are kept. */
  retention: z.strictObject({
    /** After a refusal, counted from the decision. */
    refusedMonths: z.int().min(1).max(600),
    /** After a granted credit, counted from the end of the contract. */
    grantedYearsAfterEnd: z.int().min(1).max(50),
  }),
  /**
   * The nominal annual rate of each product (0.08 for 8 %), from which the term of a loan follows from its amount
   * and monthly payment (src-main/explain/amortisation.ts). Default: 8 % for cash loans, 18 % for revolving ones,
   * a French consumer lender's usual rates under the usury ceilings; set yours.
   */
  nominalRates: z
    .record(contractTypeSchema, z.number().min(0).max(1))
    .default({ 'Cash loans': 0.08, 'Revolving loans': 0.18 }),
});
export type Lender = z.infer<typeof lenderSchema>;

export const statusOutput = z.object({
  version: z.string(),
  modelVersion: z.string().nullable(),
  threshold: probability.nullable(),
  clients: z.int(),
  pending: z.int(),
  scored: z.int(),
  auditChain: chainCheckSchema,
  lender: lenderSchema,
});

// ---------------------------------------------------------------------------------------------------------------
// The method table

const empty = z.strictObject({});

interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
  /** Reads only (true) or writes the decision record / audit log (false). */
  readonly: boolean;
  summary: string;
}

export const contract = {
  getStatus: {
    input: empty,
    output: statusOutput,
    readonly: true,
    summary: 'Versions, counts and the audit chain check',
  },
  searchClients: {
    input: searchClientsInput,
    output: searchClientsOutput,
    readonly: true,
    summary: 'Search and list clients, pending applications first',
  },
  getClientFile: {
    input: clientInput,
    output: getClientFileOutput,
    readonly: true,
    summary: "A client's application, grouped and labelled, with the history summaries and timelines",
  },
  getScore: {
    input: clientInput,
    output: scoreSchema,
    readonly: true,
    summary: 'Probability of default, decision, threshold, margin and risk band',
  },
  getExplanation: {
    input: clientInput,
    output: clientExplanationSchema,
    readonly: true,
    summary: 'Why: reason families, principal reasons, features, warnings',
  },
  compare: {
    input: compareInput,
    output: compareOutput,
    readonly: true,
    summary: 'The client against all clients, similar past clients or a segment, as aggregates',
  },
  whatIf: {
    input: whatIfInput,
    output: whatIfOutput,
    readonly: true,
    summary:
      'Edited amounts: new probability, decision and explanation delta, and what would change the decision',
  },
  getModelInfo: {
    input: z.strictObject({ lang }),
    output: modelInfoOutput,
    readonly: true,
    summary: 'The model card, metrics, cost curve, calibration, importance and fairness',
  },
  recordDecision: {
    input: recordDecisionInput,
    output: decisionRecordSchema,
    readonly: false,
    summary:
      "Record the manager's final decision on an offer (departing from the model's opinion needs a reason)",
  },
  listDecisions: {
    input: listDecisionsInput,
    output: pageOf(decisionRecordSchema),
    readonly: true,
    summary: 'Recorded decisions, most recent first',
  },
  getClientHistory: {
    input: z.strictObject({ clientId: clientIdSchema }),
    output: clientHistoryOutput,
    readonly: true,
    summary: "A client's decisions, views and prints",
  },
  logEvent: {
    input: logEventInput,
    output: logEventOutput,
    readonly: false,
    summary: 'Log a view or a print; a print gets the trace id its sheet shows',
  },
  verifyAuditChain: {
    input: empty,
    output: chainCheckSchema,
    readonly: true,
    summary: 'Check the audit log hash chain and report the first break',
  },
  exportAuditLog: {
    input: exportAuditLogInput,
    output: exportAuditLogOutput,
    readonly: false,
    summary: 'The audit log with its chain, as JSON lines or CSV',
  },
  getDesk: {
    input: empty,
    output: deskOutput,
    readonly: true,
    summary: 'Who is recorded as acting at this desk',
  },
  setDesk: {
    input: setDeskInput,
    output: deskOutput,
    readonly: false,
    summary: 'Name the manager acting at this desk (null: nobody); logged',
  },
} as const satisfies Record<ApiMethodName, MethodSpec>;

export type Contract = typeof contract;
export type ApiMethod = keyof Contract;
export const apiMethods: readonly ApiMethod[] = apiMethodNames;

/** What a caller sends (defaults may be left out). */
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
/** What a service receives once the input is parsed (defaults filled in). */
export type ApiParsedInput<M extends ApiMethod> = z.output<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Contract[M]['output']>;

/** The API as a transport calls it for one caller: parsed input in, output out (errors thrown as ApiFailure). */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

/** The API as the services implement it: the caller beside the input, for the methods that record who acts. */
export type CallerHandlers = {
  [M in ApiMethod]: (input: ApiParsedInput<M>, caller: Caller) => Promise<ApiOutput<M>>;
};

/**
 * The headers every HTTP call of the API carries beside its JSON body (src-main/http/requestChecks.ts refuses a
 * call without them; the renderer's client sends them). A page on another site can send neither without the
 * server's consent, which it never gives (no CORS), so a form or a no-cors fetch cannot call the API.
 */
export type HttpApiHeaders = {
  'content-type': 'application/json';
  'x-scoring-desk': '1';
};

/** The API as a client sees it through a transport: raw input in, a result envelope out, never a throw. */
export type ApiClient = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiResult<ApiOutput<M>>> };
