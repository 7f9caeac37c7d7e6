import { catalogueEntry } from '../features/catalogue.ts';
import type { BilingualText, ModelCard } from './modelCard.ts';

/**
 * The methodology note (`model-card.md`), rendered from the model card alone: the French note, then the same note
 * in English, for a data scientist and a compliance officer. Every figure comes from model-card.json.
 */

export const MODEL_CARD_NOTE_FILE = 'model-card.md';

type Lang = 'fr' | 'en';

const WORDS = {
  fr: {
    title: 'Note méthodologique du modèle',
    intro:
      'Probabilité de défaut d’un client et décision accordé / refusé. Chiffres issus de `model-card.json` ' +
      '(même dossier), calculés sur les prédictions hors échantillon de la validation croisée.',
    data: 'Données',
    source: 'Base clients',
    created: 'Modèle créé le',
    version: 'Version du modèle',
    fingerprint: 'Empreinte des données d’apprentissage',
    labelled: 'Demandes dont l’issue est connue',
    defaults: 'Défauts',
    defaultRate: 'Taux de défaut',
    features: 'Variables',
    featureCount: (n: string) => `${n} variables en entrée du modèle, par famille de motifs :`,
    excluded: (attributes: string, features: string) =>
      `Attributs protégés exclus des entrées : ${attributes} (variables retirées : ${features}). Ils ne servent ` +
      'qu’au rapport d’équité.',
    family: 'Famille',
    count: 'Nombre',
    protocol: 'Protocole d’apprentissage',
    protocolText: (folds: number, seed: number, final: number) =>
      `Validation croisée stratifiée à ${folds} plis (graine ${seed}) ; dans chaque pli, arrêt précoce sur l’AUC ` +
      `de validation. Le modèle final est entraîné sur toutes les demandes étiquetées avec ${final} arbres ` +
      '(moyenne des plis).',
    hyperparameters: 'Hyperparamètres (ceux du noyau de référence, §1.8 de la documentation des données)',
    parameter: 'Paramètre',
    measure: 'Mesure',
    value: 'Valeur',
    fold: 'Pli',
    trainRows: 'Lignes d’apprentissage',
    validRows: 'Lignes de validation',
    trees: 'Arbres',
    imbalance: 'Déséquilibre des classes',
    imbalanceText: (weight: string, method: string) =>
      `Poids des défauts dans l’apprentissage (scale_pos_weight) : ${weight}. Calibration : ${method}.`,
    platt: (a: string, b: string) =>
      `échelle de Platt p = σ(${a}·marge + ${b}), ajustée sur les marges hors échantillon et intégrée aux feuilles ` +
      'des arbres exportés',
    noCalibration: 'aucune (les probabilités brutes sont déjà calibrées)',
    gaps: (raw: string, calibrated: string, tolerance: string, ok: boolean) =>
      `Écart maximal entre probabilité moyenne prédite et taux observé, par décile : ${raw} avant calibration, ` +
      `${calibrated} après (tolérance ${tolerance}) : ${ok ? 'respectée' : 'NON respectée'}.`,
    cost: 'Fonction de coût et seuil de décision',
    costText: (fn: string, fp: string, threshold: string, step: string) =>
      `Coût = ${fn} × FN + ${fp} × FP (FN : crédit accordé à un futur défaillant ; FP : bon client refusé). ` +
      `Seuil retenu, qui minimise ce coût (recherche par pas de ${step}) : **${threshold}** — refus quand la ` +
      'probabilité de défaut est supérieure ou égale au seuil.',
    costFigures: (cost: string, perClient: string, refusal: string) =>
      `Coût au seuil : ${cost} (${perClient} par client) ; taux de refus : ${refusal}.`,
    confusion: 'Matrice de confusion au seuil',
    actual: 'Réel \\ décision',
    refused: 'Refusé',
    granted: 'Accordé',
    defaulter: 'Défaillant',
    good: 'Bon client',
    curve: 'Courbe de coût (extrait ; la courbe complète est dans le JSON)',
    threshold: 'Seuil',
    costLabel: 'Coût',
    metrics: 'Performances et incertitude',
    oofAuc: 'AUC ROC hors échantillon (toutes les prédictions)',
    foldAuc: 'AUC par pli (moyenne ± écart-type)',
    logLoss: 'Log-loss (probabilités calibrées)',
    brier: 'Score de Brier',
    calibration: 'Calibration par décile',
    decile: 'Décile',
    range: 'Probabilités',
    predicted: 'Prédit (moyenne)',
    observed: 'Observé',
    importance: 'Importance globale (gain total des divisions du modèle final)',
    byFamily: 'Par famille de motifs',
    topFeatures: 'Variables les plus importantes',
    feature: 'Variable',
    meaning: 'Signification',
    share: 'Part du gain',
    splits: 'Divisions',
    fairness: 'Équité',
    group: 'Groupe',
    refusalRate: 'Taux de refus',
    observedDefault: 'Taux de défaut',
    tpr: 'TPR (défaillants refusés)',
    fpr: 'FPR (bons clients refusés)',
    ratio: (ratio: string, min: number) =>
      `Rapport taux de refus le plus bas / le plus haut (groupes d’au moins ${min} clients) : ${ratio}.`,
    noRatio: 'Rapport des taux de refus : non calculable (moins de deux groupes assez grands).',
    explanations: 'Explications des décisions',
    limits: 'Limites',
    monitoring: 'Suivi de la dérive',
  },
  en: {
    title: 'Model methodology note',
    intro:
      'Probability of default of a client and a granted / refused decision. Figures from `model-card.json` ' +
      '(same folder), computed on the cross-validation’s out-of-fold predictions.',
    data: 'Data',
    source: 'Client base',
    created: 'Model created on',
    version: 'Model version',
    fingerprint: 'Training data fingerprint',
    labelled: 'Applications with a known outcome',
    defaults: 'Defaults',
    defaultRate: 'Default rate',
    features: 'Features',
    featureCount: (n: string) => `${n} model inputs, by reason family:`,
    excluded: (attributes: string, features: string) =>
      `Protected attributes left out of the inputs: ${attributes} (features removed: ${features}). They serve ` +
      'the fairness report only.',
    family: 'Family',
    count: 'Count',
    protocol: 'Training protocol',
    protocolText: (folds: number, seed: number, final: number) =>
      `Stratified ${folds}-fold cross-validation (seed ${seed}); in each fold, early stopping on the validation ` +
      `AUC. The final model is trained on all labelled applications with ${final} trees (the folds’ mean).`,
    hyperparameters: 'Hyperparameters (the reference kernel’s, §1.8 of the data documentation)',
    parameter: 'Parameter',
    measure: 'Measure',
    value: 'Value',
    fold: 'Fold',
    trainRows: 'Training rows',
    validRows: 'Validation rows',
    trees: 'Trees',
    imbalance: 'Class imbalance',
    imbalanceText: (weight: string, method: string) =>
      `Weight of defaults in training (scale_pos_weight): ${weight}. Calibration: ${method}.`,
    platt: (a: string, b: string) =>
      `Platt scaling p = σ(${a}·margin + ${b}), fitted on the out-of-fold margins and folded into the leaves of ` +
      'the exported trees',
    noCalibration: 'none (the raw probabilities are already calibrated)',
    gaps: (raw: string, calibrated: string, tolerance: string, ok: boolean) =>
      `Largest gap between mean predicted probability and observed rate, by decile: ${raw} before calibration, ` +
      `${calibrated} after (tolerance ${tolerance}): ${ok ? 'met' : 'NOT met'}.`,
    cost: 'Cost function and decision threshold',
    costText: (fn: string, fp: string, threshold: string, step: string) =>
      `Cost = ${fn} × FN + ${fp} × FP (FN: credit granted to a future defaulter; FP: good client refused). ` +
      `Threshold chosen, which minimises this cost (searched by steps of ${step}): **${threshold}** — refused ` +
      'when the probability of default is greater than or equal to the threshold.',
    costFigures: (cost: string, perClient: string, refusal: string) =>
      `Cost at the threshold: ${cost} (${perClient} per client); refusal rate: ${refusal}.`,
    confusion: 'Confusion matrix at the threshold',
    actual: 'Actual \\ decision',
    refused: 'Refused',
    granted: 'Granted',
    defaulter: 'Defaulter',
    good: 'Good client',
    curve: 'Cost curve (extract; the whole curve is in the JSON)',
    threshold: 'Threshold',
    costLabel: 'Cost',
    metrics: 'Performance and uncertainty',
    oofAuc: 'Out-of-fold ROC AUC (all predictions)',
    foldAuc: 'AUC per fold (mean ± standard deviation)',
    logLoss: 'Log-loss (calibrated probabilities)',
    brier: 'Brier score',
    calibration: 'Calibration by decile',
    decile: 'Decile',
    range: 'Probabilities',
    predicted: 'Predicted (mean)',
    observed: 'Observed',
    importance: 'Global importance (total split gain in the final model)',
    byFamily: 'By reason family',
    topFeatures: 'Most important features',
    feature: 'Feature',
    meaning: 'Meaning',
    share: 'Share of gain',
    splits: 'Splits',
    fairness: 'Fairness',
    group: 'Group',
    refusalRate: 'Refusal rate',
    observedDefault: 'Default rate',
    tpr: 'TPR (defaulters refused)',
    fpr: 'FPR (good clients refused)',
    ratio: (ratio: string, min: number) =>
      `Lowest / highest refusal rate (groups of at least ${min} clients): ${ratio}.`,
    noRatio: 'Refusal-rate ratio: not computable (fewer than two groups large enough).',
    explanations: 'Explaining decisions',
    limits: 'Limits',
    monitoring: 'Monitoring drift',
  },
} as const;

/** The note in French, then in English. */
export function renderModelCardMarkdown(card: ModelCard): string {
  return `${renderNote(card, 'fr')}\n---\n\n${renderNote(card, 'en')}`;
}

function renderNote(card: ModelCard, lang: Lang): string {
  const w = WORDS[lang];
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const number = (x: number, digits = 0) =>
    x.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const text = (t: BilingualText) => t[lang];
  // French typography puts a space before a colon, a semicolon and a percent sign.
  const colon = lang === 'fr' ? ' : ' : ': ';
  const semicolon = lang === 'fr' ? ' ; ' : '; ';
  const percent = (x: number | null, digits = 1) =>
    x === null ? '—' : `${number(100 * x, digits)}${lang === 'fr' ? ' %' : '%'}`;
  const table = (head: string[], rows: (string | number)[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `|${head.map(() => ' --- ').join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  const { model, data, features, training, imbalance, decision, metrics } = card;
  const c = decision.confusion;
  const curveExtract = card.costCurve.points.filter(
    (p) => Math.round(p.threshold * 100) % 5 === 0 || p.threshold === decision.threshold,
  );
  const out: string[] = [];
  const section = (n: number, title: string, ...body: string[]) =>
    out.push(`## ${n}. ${title}\n\n${body.join('\n\n')}\n`);

  out.push(`# ${w.title} — ${model.version}\n\n${w.intro}\n`);
  section(
    1,
    w.data,
    [
      `- ${w.source}${colon}\`${data.source}\``,
      `- ${w.created}${colon}${model.createdAt}`,
      `- ${w.version}${colon}\`${model.version}\` (\`${model.file}\`, SHA-256 \`${model.sha256}\`)`,
      `- ${w.fingerprint}${colon}\`${data.trainingFingerprint}\``,
      `- ${w.labelled}${colon}${number(data.labelledRows)}${semicolon}${w.defaults}${colon}` +
        `${number(data.positives)}${semicolon}${w.defaultRate}${colon}${percent(data.defaultRate, 2)}`,
    ].join('\n'),
  );
  section(
    2,
    w.features,
    w.featureCount(number(features.count)),
    table(
      [w.family, w.count],
      features.families.map((f) => [text(f.label), f.count]),
    ),
    w.excluded(
      features.excluded.protectedAttributes.join(', ') || '—',
      features.excluded.features.join(', ') || '—',
    ),
  );
  section(
    3,
    w.protocol,
    w.protocolText(training.folds, training.seed, training.finalRounds),
    `${w.hyperparameters}${colon.trimEnd()}`,
    table(
      [w.parameter, w.value],
      Object.entries(training.hyperparameters).map(([k, v]) => [`\`${k}\``, String(v)]),
    ),
    table(
      [w.fold, w.trainRows, w.validRows, w.trees, 'AUC'],
      training.foldResults.map((f) => [
        f.fold + 1,
        number(f.trainRows),
        number(f.validRows),
        f.rounds,
        number(f.auc, 4),
      ]),
    ),
  );
  const cal = imbalance.calibration;
  section(
    4,
    w.imbalance,
    w.imbalanceText(
      String(imbalance.scalePosWeight),
      cal.method === 'platt' ? w.platt(number(cal.a, 4), number(cal.b, 4)) : w.noCalibration,
    ),
    w.gaps(
      percent(imbalance.maxDecileGap.raw, 2),
      percent(imbalance.maxDecileGap.calibrated, 2),
      percent(imbalance.maxDecileGap.tolerance, 0),
      imbalance.withinTolerance,
    ),
  );
  section(
    5,
    w.cost,
    w.costText(
      String(card.costs.falseNegative),
      String(card.costs.falsePositive),
      number(decision.threshold, 3),
      number(decision.searchStep, 3),
    ),
    w.costFigures(number(decision.cost), number(decision.costPerClient, 4), percent(decision.refusalRate)),
    `**${w.confusion}**`,
    table(
      [w.actual, w.refused, w.granted],
      [
        [w.defaulter, number(c.truePositive), number(c.falseNegative)],
        [w.good, number(c.falsePositive), number(c.trueNegative)],
      ],
    ),
    `**${w.curve}**`,
    table(
      [w.threshold, 'FN', 'FP', w.costLabel],
      curveExtract.map((p) => [
        p.threshold === decision.threshold ? `**${number(p.threshold, 3)}**` : number(p.threshold, 2),
        number(p.falseNegative),
        number(p.falsePositive),
        number(p.cost),
      ]),
    ),
  );
  section(
    6,
    w.metrics,
    table(
      [w.measure, w.value],
      [
        [w.oofAuc, number(metrics.oofAuc, 4)],
        [w.foldAuc, `${number(metrics.foldAuc.mean, 4)} ± ${number(metrics.foldAuc.std, 4)}`],
        [w.logLoss, number(metrics.logLoss, 4)],
        [w.brier, number(metrics.brier, 4)],
      ],
    ),
  );
  section(
    7,
    w.calibration,
    table(
      [w.decile, w.count, w.range, w.predicted, w.observed],
      card.calibration.deciles.map((d, i) => [
        i + 1,
        number(d.count),
        `${percent(d.from, 2)} – ${percent(d.to, 2)}`,
        percent(d.meanPredicted, 2),
        percent(d.observedRate, 2),
      ]),
    ),
  );
  const familyLabel = new Map(card.features.families.map((f) => [f.id, text(f.label)]));
  section(
    8,
    w.importance,
    `**${w.byFamily}**`,
    table(
      [w.family, w.share],
      card.importance.byFamily.map((f) => [text(f.label), percent(f.share)]),
    ),
    `**${w.topFeatures}**`,
    table(
      [w.feature, w.meaning, w.family, w.share, w.splits],
      card.importance.top.map((f) => [
        `\`${f.feature}\``,
        catalogueEntry(f.feature).description[lang].replaceAll('|', '/'),
        familyLabel.get(f.family) ?? f.family,
        percent(f.share),
        number(f.splits),
      ]),
    ),
  );
  section(
    9,
    w.fairness,
    text(card.fairness.basis),
    ...card.fairness.attributes.flatMap((a) => [
      `**${a.attribute}** — ${text(a.description)}`,
      table(
        [w.group, w.count, w.refusalRate, w.observedDefault, w.tpr, w.fpr],
        a.groups.map((g) => [
          g.group,
          number(g.count),
          percent(g.refusalRate),
          percent(g.defaultRate),
          percent(g.truePositiveRate),
          percent(g.falsePositiveRate),
        ]),
      ),
      a.refusalRateRatio === null
        ? w.noRatio
        : w.ratio(number(a.refusalRateRatio, 2), card.fairness.minGroupSize),
    ]),
  );
  section(10, w.explanations, text(card.explanations));
  section(11, w.limits, card.limits.map((l) => `- ${text(l)}`).join('\n'));
  section(12, w.monitoring, card.monitoring.map((m) => `- ${text(m)}`).join('\n'));
  return out.join('\n');
}
