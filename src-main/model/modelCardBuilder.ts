import rawProtected from '../../data/features/protected.json' with { type: 'json' };
import { catalogue, catalogueEntry, protectedFeatures } from '../features/catalogue.ts';
import { costCurve, type CostOptimum, type CostPoint } from './decisionCost.ts';
import { ageBand, AGE_BANDS, ratesByGroup, UNKNOWN_GROUP, type GroupRates } from './fairness.ts';
import { CALIBRATION_TOLERANCE, type ScoringFit } from './fitScoringModel.ts';
import {
  MODEL_CARD_SCHEMA_VERSION,
  modelCardSchema,
  type BilingualText,
  type FairnessAttributeEntry,
  type ModelCard,
} from './modelCard.ts';
import type { FairnessAttributes } from './trainingData.ts';

/** Step of the cost curve stored in the card (the threshold itself is searched on a 0.001 grid). */
export const COST_CURVE_STEP = 0.01;
const THRESHOLD_SEARCH_STEP = 0.001;
/** Features listed in the card's global importance. */
const TOP_FEATURES = 25;
/** Groups smaller than this are too noisy to weigh in the refusal-rate ratio. */
const MIN_GROUP_SIZE = 30;

export interface ModelCardInput {
  fit: ScoringFit;
  /** The labels the fit was trained on. */
  labels: Uint8Array;
  folds: number;
  seed: number;
  model: { version: string; createdAt: string; file: string; sha256: string };
  /** File name of the client base. */
  source: string;
  /** Of the labelled rows, in the fit's row order. */
  fairness: FairnessAttributes;
}

/** The model card of a fit, validated against the schema. */
export function buildModelCard(input: ModelCardInput): ModelCard {
  const { fit } = input;
  const { report } = fit;
  const labels = checkRows(input);
  const card: ModelCard = {
    schemaVersion: MODEL_CARD_SCHEMA_VERSION,
    model: {
      ...input.model,
      format: 'ONNX TreeEnsembleClassifier (ai.onnx.ml opset 3), LOGISTIC, node covers in nodes_hitrates',
      algorithm: {
        fr:
          'Arbres de décision boostés par gradient (histogrammes, croissance par feuille, log-loss binaire), ' +
          'entraînés par l’entraîneur TypeScript de Scoring Desk.',
        en:
          'Gradient-boosted decision trees (histograms, leaf-wise growth, binary log-loss), trained by ' +
          'Scoring Desk’s TypeScript trainer.',
      },
    },
    data: {
      source: input.source,
      trainingFingerprint: report.fingerprint,
      labelledRows: report.rows,
      positives: report.positives,
      defaultRate: report.positives / report.rows,
    },
    features: {
      count: report.features,
      families: catalogue.families.map((family) => ({
        id: family.id,
        label: { fr: family.fr, en: family.en },
        count: fit.model.featureNames.filter((name) => catalogueEntry(name).family === family.id).length,
      })),
      excluded: { protectedAttributes: [...rawProtected.attributes], features: [...protectedFeatures] },
    },
    training: {
      folds: input.folds,
      seed: input.seed,
      hyperparameters: { ...report.params },
      foldResults: report.folds.map((f) => ({
        fold: f.fold,
        trainRows: f.trainRows,
        validRows: f.validRows,
        rounds: f.bestRounds,
        auc: f.validAuc,
      })),
      finalRounds: report.finalRounds,
    },
    imbalance: {
      scalePosWeight: report.params.scalePosWeight,
      calibration: {
        method: report.calibration.a === 1 && report.calibration.b === 0 ? 'none' : 'platt',
        ...report.calibration,
      },
      maxDecileGap: {
        raw: report.rawCalibrationGap,
        calibrated: report.maxCalibrationGap,
        tolerance: CALIBRATION_TOLERANCE,
      },
      withinTolerance: report.calibrated,
    },
    costs: { ...report.costs },
    decision: {
      threshold: report.decision.threshold,
      searchStep: THRESHOLD_SEARCH_STEP,
      cost: report.decision.cost,
      costPerClient: report.decision.costPerClient,
      refusalRate: refusalRate(report.decision),
      confusion: { ...report.decision.confusion },
    },
    costCurve: {
      step: COST_CURVE_STEP,
      points: withOptimum(
        costCurve(fit.oofProbabilities, labels, report.costs, Math.round(1 / COST_CURVE_STEP)),
        report.decision,
      ),
    },
    metrics: {
      oofAuc: report.oofAuc,
      foldAuc: {
        mean: report.foldAucMean,
        std: report.foldAucStd,
        values: report.folds.map((f) => f.validAuc),
      },
      logLoss: report.logLoss,
      brier: report.brier,
    },
    calibration: { deciles: report.reliability.map((bin) => ({ ...bin })) },
    importance: importanceSection(fit),
    fairness: {
      basis: {
        fr: 'Probabilités hors échantillon (validation croisée), calibrées, au seuil de décision.',
        en: 'Calibrated out-of-fold probabilities (cross-validation), at the decision threshold.',
      },
      threshold: report.decision.threshold,
      minGroupSize: MIN_GROUP_SIZE,
      attributes: fairnessSection(fit, labels, input.fairness, report.decision.threshold),
    },
    explanations: EXPLANATIONS,
    limits: LIMITS,
    monitoring: MONITORING,
  };
  return modelCardSchema.parse(card);
}

function checkRows(input: ModelCardInput): Uint8Array {
  const rows = input.fit.report.rows;
  const lengths = [input.labels.length, input.fairness.gender.length, input.fairness.daysBirth.length];
  if (lengths.some((n) => n !== rows)) {
    throw new Error(`model card: ${lengths.join(', ')} labels, genders and birth dates for ${rows} rows`);
  }
  return input.labels;
}

function refusalRate(decision: CostOptimum): number {
  const c = decision.confusion;
  return (
    (c.truePositive + c.falsePositive) / (c.truePositive + c.falsePositive + c.trueNegative + c.falseNegative)
  );
}

/** The grid points with the chosen threshold's point in its place (once, if it is on the grid). */
function withOptimum(grid: CostPoint[], decision: CostOptimum): CostPoint[] {
  const optimum: CostPoint = {
    threshold: decision.threshold,
    falseNegative: decision.confusion.falseNegative,
    falsePositive: decision.confusion.falsePositive,
    cost: decision.cost,
  };
  const rest = grid.filter((p) => Math.abs(p.threshold - optimum.threshold) > 1e-12);
  return [...rest, optimum].sort((a, b) => a.threshold - b.threshold);
}

function importanceSection(fit: ScoringFit): ModelCard['importance'] {
  const total = fit.report.importance.reduce((s, f) => s + f.gain, 0) || 1;
  const familyGain = new Map(catalogue.families.map((f) => [f.id, 0]));
  const top = fit.report.importance.map((f) => {
    const family = catalogueEntry(f.feature).family;
    familyGain.set(family, familyGain.get(family)! + f.gain);
    return { feature: f.feature, family, gain: f.gain, share: f.gain / total, splits: f.splits };
  });
  return {
    measure: 'gain',
    top: top.slice(0, TOP_FEATURES),
    byFamily: catalogue.families
      .map((family) => ({
        family: family.id,
        label: { fr: family.fr, en: family.en },
        gain: familyGain.get(family.id)!,
        share: familyGain.get(family.id)! / total,
      }))
      .sort((a, b) => b.gain - a.gain),
  };
}

function fairnessSection(
  fit: ScoringFit,
  labels: Uint8Array,
  attributes: FairnessAttributes,
  threshold: number,
): FairnessAttributeEntry[] {
  const genders = attributes.gender.map((g) => g ?? UNKNOWN_GROUP);
  const bands = attributes.daysBirth.map(ageBand);
  const byName = (a: GroupRates, b: GroupRates) => a.group.localeCompare(b.group);
  const bandOrder = [...AGE_BANDS, UNKNOWN_GROUP] as string[];
  const byBand = (a: GroupRates, b: GroupRates) => bandOrder.indexOf(a.group) - bandOrder.indexOf(b.group);
  return [
    attributeEntry(
      'CODE_GENDER',
      ratesByGroup(fit.oofProbabilities, labels, genders, threshold).sort(byName),
      {
        fr: 'Genre déclaré (CODE_GENDER, lu dans la demande ; ce n’est pas une entrée du modèle).',
        en: 'Declared gender (CODE_GENDER, read from the application; not a model input).',
      },
    ),
    attributeEntry('AGE_BAND', ratesByGroup(fit.oofProbabilities, labels, bands, threshold).sort(byBand), {
      fr: 'Tranche d’âge à la date de la demande, en années révolues (depuis DAYS_BIRTH).',
      en: 'Age band at the application date, in whole years (from DAYS_BIRTH).',
    }),
  ];
}

function attributeEntry(
  attribute: string,
  rates: GroupRates[],
  description: BilingualText,
): FairnessAttributeEntry {
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  const weighed = rates.filter((r) => r.count >= MIN_GROUP_SIZE).map((r) => r.refusalRate);
  const highest = Math.max(...weighed);
  return {
    attribute,
    description,
    groups: rates.map((r) => ({
      ...r,
      truePositiveRate: orNull(r.truePositiveRate),
      falsePositiveRate: orNull(r.falsePositiveRate),
    })),
    refusalRateRatio: weighed.length >= 2 && highest > 0 ? Math.min(...weighed) / highest : null,
  };
}

const EXPLANATIONS: BilingualText = {
  fr:
    'Les explications sont des valeurs TreeSHAP exactes (path-dependent) sur l’échelle des log-cotes, calculées à ' +
    'partir des couvertures stockées dans le fichier ONNX ; elles sont regroupées par famille de motifs et ' +
    'converties sur l’échelle des probabilités par les valeurs de Shapley exactes de la logistique des sommes ' +
    'par famille : elles s’additionnent de la probabilité du client moyen (logistique du biais SHAP) jusqu’à la ' +
    'probabilité du client.',
  en:
    'Explanations are exact path-dependent TreeSHAP values on the log-odds scale computed from the covers stored ' +
    'in the ONNX file; they are grouped by reason family and converted to the probability scale by exact Shapley ' +
    'values of the logistic of the family sums, so they add up from the probability of the average client ' +
    '(logistic of the SHAP bias) to the client’s probability.',
};

const LIMITS: BilingualText[] = [
  {
    fr:
      'Les plis de validation sont tirés au hasard (stratifiés), pas dans le temps : les mesures ne disent pas ' +
      'comment le modèle vieillit. Une validation sur une période postérieure reste à faire avant la production.',
    en:
      'Validation folds are drawn at random (stratified), not over time: the figures do not say how the model ' +
      'ages. An out-of-time validation is still due before production use.',
  },
  {
    fr:
      'Seules les demandes dont l’issue est connue servent à l’apprentissage : les demandes refusées par le passé ' +
      'n’ont pas d’issue, et le modèle n’a pas vu ce qu’elles seraient devenues (biais de sélection).',
    en:
      'Only applications with a known outcome are learnt from: applications refused in the past have none, and ' +
      'the model has not seen what would have become of them (selection bias).',
  },
  {
    fr:
      'La calibration (et le seuil) sont établis sur les prédictions hors échantillon des plis ; le modèle final, ' +
      'entraîné sur toutes les lignes avec le nombre moyen d’arbres des plis, en hérite.',
    en:
      'Calibration (and the threshold) are set on the folds’ out-of-fold predictions; the final model, trained on ' +
      'all rows with the folds’ mean number of trees, inherits them.',
  },
  {
    fr:
      'Le seuil minimise le coût pour les poids indiqués ; d’autres poids donnent un autre seuil, pas un autre ' +
      'classement des clients.',
    en:
      'The threshold minimises the cost for the stated weights; other weights give another threshold, not another ' +
      'ranking of the clients.',
  },
  {
    fr:
      'Exclure un attribut protégé des entrées n’empêche pas d’autres variables d’en porter une partie (effet ' +
      'de proxy) : le rapport d’équité mesure les écarts, il ne les corrige pas.',
    en:
      'Leaving a protected attribute out of the inputs does not stop other features from carrying part of it ' +
      '(proxy effect): the fairness report measures gaps, it does not correct them.',
  },
  {
    fr:
      'Les explications décrivent le modèle (des associations apprises), pas des causes : changer une variable ' +
      'ne change pas forcément le risque réel.',
    en:
      'Explanations describe the model (learnt associations), not causes: changing a feature does not necessarily ' +
      'change the real risk.',
  },
  {
    fr:
      'Le modèle est lié aux définitions des variables : s’il ne correspond plus aux variables de la base, il ' +
      'refuse de se charger et doit être réentraîné.',
    en:
      'The model is tied to the feature definitions: when they no longer match the base’s, it refuses to load and ' +
      'must be retrained.',
  },
];

const MONITORING: BilingualText[] = [
  {
    fr:
      'Chaque mois, comparer la distribution des probabilités et des variables les plus importantes à celle de ' +
      'l’apprentissage par l’indice de stabilité de population (PSI, par déciles) : examiner au-delà de 0,1, ' +
      'réentraîner au-delà de 0,25.',
    en:
      'Every month, compare the distribution of the probabilities and of the most important features with the ' +
      'training one by the population stability index (PSI, by deciles): investigate above 0.1, retrain above 0.25.',
  },
  {
    fr: 'Suivre le taux de refus et les taux de valeurs manquantes des entrées ; un saut signale un changement de données.',
    en: 'Track the refusal rate and the missing-value rates of the inputs; a jump signals a change in the data.',
  },
  {
    fr:
      'Quand les issues des crédits accordés sont connues, recalculer l’AUC et la calibration par décile : une ' +
      'baisse d’AUC de plus de 0,02 ou un écart de plus de 2 points dans un décile appelle un réentraînement.',
    en:
      'Once the outcomes of granted loans are known, recompute the AUC and the calibration by decile: an AUC ' +
      'drop of more than 0.02 or a gap of more than 2 points in a decile calls for retraining.',
  },
  {
    fr: 'Recalculer le rapport d’équité (taux de refus, TPR, FPR par groupe) à chaque revue du modèle.',
    en: 'Recompute the fairness report (refusal rate, TPR, FPR per group) at every model review.',
  },
];
