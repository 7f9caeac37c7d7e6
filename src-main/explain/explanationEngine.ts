import { join } from 'node:path';
import type { ClientBase } from '../data/clientBase.ts';
import {
  clientFeatures,
  editedApplicationFeatures,
  withApplicationEdits,
  type ApplicationEdits,
} from '../features/client.ts';
import { featureIndex } from '../features/recipe.ts';
import { storedClientFeatures } from '../features/store.ts';
import { MODEL_FILE } from '../model/onnxExport.ts';
import type {
  ClientExplainer,
  ClientExplanation,
  CounterfactualLimits,
  CounterfactualResult,
  FamilyContribution,
  FeatureContribution,
  Lang,
} from './clientExplanation.ts';
import { DEFAULT_LIMITS, decisionOf, searchCounterfactuals, type Amounts } from './counterfactuals.ts';
import { dataWarnings } from './dataWarnings.ts';
import { Explainer } from './explainer.ts';
import {
  loadExplanationReference,
  type ExplanationReference,
  type ReferenceOptions,
} from './explanationReference.ts';
import { groupedContributions } from './familyContributions.ts';
import { featureLabel, formatFeatureValue } from './formatValue.ts';
import { TreeModelError } from './modelError.ts';
import { modelFeatures, modelRow, type ModelFeatures } from './modelFeatures.ts';
import { metadataValue, readOnnxTrees, type TreeModel } from './onnxTrees.ts';
import { outputOf, rawMargin, toComparisonPrecision } from './predict.ts';
import {
  MAX_FAVOURABLE_REASONS,
  MAX_PRINCIPAL_REASONS,
  rankFactors,
  reasonsOf,
  type ClientContributions,
} from './principalReasons.ts';

/**
 * Everything a client explanation needs, loaded once per model: the trees and their explainer, the model's inputs
 * through the catalogue, the threshold, and the reference statistics kept with the model (computed from the
 * client base first when the model came without them). Synchronous per client.
 */

export interface EngineOptions {
  /** The client base: needed to compute a missing reference, and for a model without node covers. */
  db?: ClientBase;
  /** Refusal threshold for a model whose file does not carry one (ours do). */
  threshold?: number;
  /** Width of the borderline band under the threshold (default 0.02: two points). */
  borderlineBand?: number;
  limits?: Partial<CounterfactualLimits>;
  reference?: ReferenceOptions;
}

export const DEFAULT_BORDERLINE_BAND = 0.02;

const LEVER_FEATURES = {
  credit: featureIndex('AMT_CREDIT'),
  annuity: featureIndex('AMT_ANNUITY'),
  goods: featureIndex('AMT_GOODS_PRICE'),
};

export class ExplanationEngine implements ClientExplainer {
  readonly modelVersion: string;
  readonly threshold: number;
  readonly borderlineBand: number;
  readonly limits: CounterfactualLimits;
  /** A row of inputs, and the same in comparison precision, reused by every call (one client at a time). */
  private readonly row: Float64Array;
  private readonly comparable: Float64Array;

  private constructor(
    readonly model: TreeModel,
    private readonly explainer: Explainer,
    readonly features: ModelFeatures,
    readonly reference: ExplanationReference,
    options: EngineOptions,
  ) {
    this.threshold = options.threshold ?? thresholdOf(model);
    this.modelVersion = metadataValue(model, 'model_version') ?? reference.model.sha256.slice(0, 12);
    this.borderlineBand = options.borderlineBand ?? DEFAULT_BORDERLINE_BAND;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.row = new Float64Array(features.names.length);
    this.comparable = new Float64Array(features.names.length);
  }

  static async open(modelDir: string, options: EngineOptions = {}): Promise<ExplanationEngine> {
    const file = join(modelDir, MODEL_FILE);
    const model = readOnnxTrees(file);
    if (model.postTransform !== 'LOGISTIC') {
      throw new TreeModelError(
        file,
        'the model does not output a probability (post_transform is not LOGISTIC)',
      );
    }
    const features = modelFeatures(model.featureNames, file);
    const reference = await loadExplanationReference(modelDir, options.db, options.reference);
    if (reference.features.some((f, k) => f.name !== features.names[k])) {
      throw new TreeModelError(file, 'the explanation reference does not list the model’s inputs');
    }
    const background = reference.background
      ? backgroundRows(options.db, features, reference.background, file)
      : undefined;
    return new ExplanationEngine(model, new Explainer(model, { background }), features, reference, options);
  }

  explainVector(vector: Float64Array, lang: Lang): ClientExplanation {
    return this.explain(vector, lang, null, null);
  }

  explainClient(db: ClientBase, clientId: number, lang: Lang): ClientExplanation {
    return this.explain(clientFeatures(db, clientId), lang, clientId, null);
  }

  explainEdited(db: ClientBase, clientId: number, edits: ApplicationEdits, lang: Lang): ClientExplanation {
    return this.explain(editedVector(db, clientId, edits), lang, clientId, edits);
  }

  counterfactuals(
    db: ClientBase,
    clientId: number,
    lang: Lang,
    nominalRate: number,
    edits: ApplicationEdits = {},
  ): CounterfactualResult {
    const vector = editedVector(db, clientId, edits);
    const probability = this.probabilityOf(vector);
    const refused = probability >= this.threshold;
    const amount = (index: number) => (Number.isNaN(vector[index]!) ? null : vector[index]!);
    const current: Amounts = {
      credit: vector[LEVER_FEATURES.credit]!,
      annuity: amount(LEVER_FEATURES.annuity),
      goods: amount(LEVER_FEATURES.goods),
    };
    return searchCounterfactuals({
      clientId,
      lang,
      current,
      nominalRate,
      probabilityOf: (candidate) => {
        vector.set(editedApplicationFeatures(db, clientId, candidate), 0);
        return this.probabilityOf(vector);
      },
      threshold: this.threshold,
      target: refused ? this.threshold : this.threshold - this.borderlineBand,
      needed: probability >= this.threshold - this.borderlineBand,
      limits: this.limits,
    });
  }

  /** The model's probability of default for a full feature vector, by walking the trees (as onnxruntime does). */
  probabilityOf(vector: Float64Array): number {
    modelRow(this.features, vector, this.row);
    toComparisonPrecision(this.model, this.row, 0, this.comparable);
    return outputOf(this.model, rawMargin(this.model, this.comparable));
  }

  private explain(
    vector: Float64Array,
    lang: Lang,
    clientId: number | null,
    edits: ApplicationEdits | null,
  ): ClientExplanation {
    const { features } = this;
    const width = features.names.length;
    modelRow(features, vector, this.row);
    const batch = this.explainer.explain(this.row, 0, 1);
    const shap = batch.shap.subarray(0, width);
    const probability = batch.outputs[0]!;
    const grouped = groupedContributions(
      this.explainer.bias,
      shap,
      features.familyOf,
      features.families.length,
    );
    const client: ClientContributions = {
      features,
      values: this.row,
      contributions: grouped.featureContributions,
      reference: this.reference.features,
    };
    const factors = rankFactors(client, lang);
    const decision = decisionOf(probability, this.threshold);
    return {
      clientId,
      lang,
      modelVersion: this.modelVersion,
      probability,
      decision,
      threshold: this.threshold,
      margin: probability - this.threshold,
      borderline: decision === 'granted' && probability >= this.threshold - this.borderlineBand,
      baseProbability: outputOf(this.model, this.explainer.bias),
      families: this.families(client, shap, grouped.groupShap, grouped.groupContributions, lang),
      adverse: factors.adverse,
      favourable: factors.favourable,
      principalReasons: reasonsOf(client, factors.adverse, MAX_PRINCIPAL_REASONS, lang),
      favourableReasons: reasonsOf(client, factors.favourable, MAX_FAVOURABLE_REASONS, lang),
      warnings: dataWarnings(features, this.row, this.reference.features, lang),
      method: { kind: this.explainer.method, notice: this.explainer.notice },
      edits,
    };
  }

  private families(
    client: ClientContributions,
    shap: Float64Array,
    groupShap: Float64Array,
    groupContributions: Float64Array,
    lang: Lang,
  ): FamilyContribution[] {
    const { features } = this;
    const members: FeatureContribution[][] = features.families.map(() => []);
    features.entries.forEach((entry, k) => {
      const value = client.values[k]!;
      members[features.familyOf[k]!]!.push({
        name: entry.name,
        label: featureLabel(entry, lang),
        value: Number.isNaN(value) ? null : value,
        formattedValue: formatFeatureValue(entry, value, lang),
        shap: shap[k]!,
        contribution: client.contributions[k]!,
        actionable: entry.actionable,
        sensitive: entry.sensitive,
        protected: entry.protected,
      });
    });
    const byMagnitude = (a: { contribution: number }, b: { contribution: number }) =>
      Math.abs(b.contribution) - Math.abs(a.contribution);
    return features.families
      .map((family, f) => ({
        id: family.id,
        label: family[lang],
        shap: groupShap[f]!,
        contribution: groupContributions[f]!,
        features: members[f]!.sort(byMagnitude),
      }))
      .sort(byMagnitude);
  }
}

/** A client's full feature vector with some application amounts changed (none: as stored). */
function editedVector(db: ClientBase, clientId: number, edits: ApplicationEdits): Float64Array {
  return withApplicationEdits(db, clientId, clientFeatures(db, clientId), edits);
}

function thresholdOf(model: TreeModel): number {
  const threshold = Number(metadataValue(model, 'threshold'));
  if (!(threshold > 0 && threshold < 1)) {
    throw new TreeModelError(
      model.file,
      'the model carries no refusal threshold (metadata "threshold" between 0 and 1): give one',
    );
  }
  return threshold;
}

/** The background clients of interventional TreeSHAP named by the reference, from their stored vectors. */
function backgroundRows(
  db: ClientBase | undefined,
  features: ModelFeatures,
  ids: readonly number[],
  file: string,
): { values: Float64Array; rows: number } {
  if (!db) {
    throw new TreeModelError(
      file,
      'the model has no node covers: its background clients need the client base',
    );
  }
  const width = features.names.length;
  const values = new Float64Array(ids.length * width);
  ids.forEach((id, r) => {
    const vector = storedClientFeatures(db, id);
    if (!vector)
      throw new TreeModelError(file, `background client ${id} has no stored features in this base`);
    modelRow(features, vector, values, r * width);
  });
  return { values, rows: ids.length };
}
