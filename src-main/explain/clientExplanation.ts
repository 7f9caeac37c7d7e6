import type { ClientBase } from '../data/clientBase.ts';
import type { ApplicationEdits } from '../features/client.ts';
import type { ShapMethod } from './explainer.ts';

/**
 * What the explanation layer hands to the services above it (HTTP, IPC, the printed sheet): plain data, JSON-safe
 * (no typed arrays, no NaN: a missing value is null), every text already in the requested language.
 *
 * Probabilities are probabilities of default (0 to 1). Contributions are on the probability scale and add up
 * exactly: baseProbability + Σ family.contribution = probability, and within a family Σ feature.contribution =
 * family.contribution (see familyContributions.ts for the method).
 */

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

/** The model's decision: refused when the probability of default is ≥ the threshold. */
export type Decision = 'granted' | 'refused';

export interface FeatureContribution {
  /** Feature name (the model's input name, as in the catalogue). */
  name: string;
  /** What the feature means, from the catalogue. */
  label: string;
  /** The client's value; null when missing. */
  value: number | null;
  /** The value as a person reads it (locale number, currency, percent, duration; "not provided" when missing). */
  formattedValue: string;
  /** SHAP value on the model's log-odds scale. */
  shap: number;
  /** Share of the family's probability contribution given to this feature. */
  contribution: number;
  actionable: boolean;
  sensitive: boolean;
  /**
   * Computed from a protected attribute (data/features/protected.json). Never named in a reason; kept here so that
   * the numbers add up, for the expert view only.
   */
  protected: boolean;
}

export interface FamilyContribution {
  /** Reason family id (catalogue `families`). */
  id: string;
  label: string;
  /** Σ SHAP of the family's features (log-odds). */
  shap: number;
  /** Exact Shapley value of the family on the probability scale. */
  contribution: number;
  /** The family's features, largest |contribution| first. */
  features: FeatureContribution[];
}

/** One entry of the ranked adverse or favourable factors: a family and its leading (non-protected) feature. */
export interface Factor {
  family: string;
  label: string;
  /** Probability contribution of the family's non-protected features (> 0 adverse, < 0 favourable). */
  contribution: number;
  /** The non-protected feature with the largest contribution of the same sign in the family. */
  feature: string;
}

export interface Reason {
  family: string;
  feature: string;
  contribution: number;
  /** A plain sentence built from the client's own value and a reference from the client base. */
  text: string;
}

export type WarningKind = 'missing-external-scores' | 'outside-training-range';

export interface DataWarning {
  kind: WarningKind;
  /** The features concerned. */
  features: string[];
  text: string;
}

export interface ClientExplanation {
  /** SK_ID_CURR when the explanation is of a stored client, null for a bare vector. */
  clientId: number | null;
  lang: Lang;
  modelVersion: string;
  probability: number;
  decision: Decision;
  threshold: number;
  /** probability − threshold (< 0: under the threshold, granted). */
  margin: number;
  /** Within the borderline band under the threshold (granted, but close). */
  borderline: boolean;
  /** The probability of the average client, σ(bias): where the contributions start from. */
  baseProbability: number;
  /** Every reason family, largest |contribution| first. */
  families: FamilyContribution[];
  /** Families raising the risk, largest first (protected features left out). */
  adverse: Factor[];
  /** Families lowering the risk, largest first (protected features left out). */
  favourable: Factor[];
  /** At most four principal reasons (adverse), in plain words. */
  principalReasons: Reason[];
  /** At most three favourable factors in plain words. */
  favourableReasons: Reason[];
  warnings: DataWarning[];
  method: { kind: ShapMethod; notice: string };
  /** The application amounts changed for a what-if, when the explanation is of an edited application. */
  edits: ApplicationEdits | null;
}

/** The levers a client and the bank control. */
export type Lever = 'amount' | 'term' | 'down-payment';

export interface CounterfactualOption {
  /** The levers moved (one, or two together). */
  levers: Lever[];
  /** The application amounts to apply (what explainEdited takes); no goods price when the application has none. */
  edits: ApplicationEdits;
  /** Size of each move: amount and down payment in % of the amount or goods price, term in months. */
  changes: { lever: Lever; size: number }[];
  probability: number;
  decision: Decision;
  text: string;
}

export type CounterfactualStatus =
  /** Granted and not borderline: nothing to search. */
  | 'not-needed'
  | 'found'
  /** No change within the limits brings the probability under the target. */
  | 'none-within-limits';

export interface CounterfactualLimits {
  /** Smallest amount borrowed, as a share of the current one. */
  minAmountShare: number;
  /** Most months added to the term. */
  maxExtraMonths: number;
  /** Longest term in months. */
  maxTermMonths: number;
  /** Largest down payment, as a share of the goods price. */
  maxDownPaymentShare: number;
}

export interface CounterfactualResult {
  clientId: number;
  lang: Lang;
  status: CounterfactualStatus;
  /** The probability the options must go under: the threshold (refused) or the borderline band's floor. */
  target: number;
  current: { probability: number; decision: Decision; edits: ApplicationEdits };
  /** Up to three options, smallest change first. */
  options: CounterfactualOption[];
  limits: CounterfactualLimits;
  /** One sentence summing up the search (including the honest "no acceptable change found within the limits"). */
  summary: string;
}

/**
 * What ExplanationEngine (explanationEngine.ts) offers, created once per loaded model with
 * `await ExplanationEngine.open(modelDir, { db })`. Every method is synchronous and takes a few milliseconds for
 * one client (counterfactuals: at most 300 ms). `vector` is a full feature vector in catalogue order (the
 * features' `featureNames`, NaN = missing), as clientFeatures returns it.
 */
export interface ClientExplainer {
  readonly modelVersion: string;
  readonly threshold: number;
  explainVector(vector: Float64Array, lang: Lang): ClientExplanation;
  explainClient(db: ClientBase, clientId: number, lang: Lang): ClientExplanation;
  /** The client with some application amounts changed (what-if); the stored client is not touched. */
  explainEdited(db: ClientBase, clientId: number, edits: ApplicationEdits, lang: Lang): ClientExplanation;
  /**
   * What would change the decision, starting from the stored application or from `edits` applied to it; the
   * term lever amortises at `nominalRate`, the product's nominal annual rate (0.08 for 8 %).
   */
  counterfactuals(
    db: ClientBase,
    clientId: number,
    lang: Lang,
    nominalRate: number,
    edits?: ApplicationEdits,
  ): CounterfactualResult;
}
