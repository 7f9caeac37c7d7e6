import { beforeAll, describe, expect, it } from 'vitest';
import { modelInputs } from '../../../src-main/features/catalogue.ts';
import { fitScoringModel, type ScoringFit } from '../../../src-main/model/fitScoringModel.ts';
import { ModelCardError, parseModelCard, type ModelCard } from '../../../src-main/model/modelCard.ts';
import { buildModelCard, COST_CURVE_STEP } from '../../../src-main/model/modelCardBuilder.ts';
import { renderModelCardMarkdown } from '../../../src-main/model/modelCardMarkdown.ts';
import { syntheticProblem } from './syntheticData.ts';

const rows = 3000;
const { matrix, labels } = syntheticProblem(rows);
// Catalogue names, so that the card can give each feature its family.
const named = { ...matrix, featureNames: modelInputs.slice(0, matrix.featureNames.length) };
/** Every third client a man, every fiftieth gender unknown; ages cycling from 20 to 79, one birth date missing. */
const gender = Array.from({ length: rows }, (_, i) => (i % 50 === 0 ? null : i % 3 === 0 ? 'M' : 'F'));
const daysBirth = Array.from({ length: rows }, (_, i) =>
  i === 7 ? null : -Math.ceil((20 + (i % 60)) * 365.25),
);
let fit: ScoringFit;
let card: ModelCard;

beforeAll(async () => {
  fit = await fitScoringModel(named, labels, {
    params: { learningRate: 0.1, numRounds: 60, earlyStoppingRounds: 10, minChildWeight: 5 },
    folds: 3,
    threads: 0,
  });
  card = buildModelCard({
    fit,
    labels,
    folds: 3,
    seed: 1,
    model: {
      version: 'gbdt-test',
      createdAt: '2026-01-01T00:00:00.000Z',
      file: 'model.onnx',
      sha256: 'a'.repeat(64),
    },
    source: 'base.sqlite',
    fairness: { gender, daysBirth },
  });
});

describe('buildModelCard', () => {
  it('gives the cost curve on the 0.01 grid plus the chosen threshold, which costs least', () => {
    const thresholds = card.costCurve.points.map((p) => p.threshold);
    expect(card.costCurve.step).toBe(COST_CURVE_STEP);
    for (let i = 0; i <= 100; i++) expect(thresholds).toContain(i / 100);
    const optimum = card.costCurve.points.find((p) => p.threshold === card.decision.threshold)!;
    expect(optimum).toMatchObject({
      cost: card.decision.cost,
      falseNegative: card.decision.confusion.falseNegative,
      falsePositive: card.decision.confusion.falsePositive,
    });
    for (const p of card.costCurve.points) {
      expect(p.cost).toBe(10 * p.falseNegative + p.falsePositive);
      expect(p.cost).toBeGreaterThanOrEqual(card.decision.cost);
    }
  });

  it('groups clients by gender (unknown apart) and by age band, youngest first', () => {
    const [byGender, byAge] = card.fairness.attributes;
    expect(byGender!.groups.map((g) => [g.group, g.count])).toEqual([
      ['F', gender.filter((g) => g === 'F').length],
      ['M', gender.filter((g) => g === 'M').length],
      ['unknown', rows / 50],
    ]);
    expect(byAge!.groups.map((g) => g.group)).toEqual([
      '<25',
      '25–34',
      '35–44',
      '45–54',
      '55–64',
      '65+',
      'unknown',
    ]);
    expect(byAge!.groups.map((g) => g.count)).toEqual([250, 499, 500, 500, 500, 750, 1]);
    // The ratio leaves out the groups under 30 clients (here the unknown birth date).
    const weighed = byAge!.groups.filter((g) => g.count >= 30).map((g) => g.refusalRate);
    expect(byAge!.refusalRateRatio).toBeCloseTo(Math.min(...weighed) / Math.max(...weighed), 12);
    for (const g of byGender!.groups) {
      const members = gender.flatMap((x, i) => ((x ?? 'unknown') === g.group ? [i] : []));
      const refused = members.filter((i) => fit.oofProbabilities[i]! >= card.decision.threshold).length;
      expect(g.refusalRate).toBe(refused / members.length);
    }
  });

  it('gives every feature its share of the gain, and every family the sum of its features', () => {
    const shares = card.importance.byFamily.reduce((s, f) => s + f.share, 0);
    expect(shares).toBeCloseTo(1, 12);
    const top = card.importance.top;
    expect(top[0]!.feature).toBe(named.featureNames[0]);
    for (const family of card.importance.byFamily) {
      const sum = top.filter((f) => f.family === family.family).reduce((s, f) => s + f.gain, 0);
      expect(family.gain).toBeCloseTo(sum, 9);
    }
  });

  it('survives a JSON round trip through the schema, and the schema names what is wrong', () => {
    expect(parseModelCard(JSON.parse(JSON.stringify(card)))).toEqual(card);
    const bad = JSON.parse(JSON.stringify(card)) as ModelCard;
    bad.decision.threshold = 1.5;
    expect(() => parseModelCard(bad)).toThrow(ModelCardError);
    expect(() => parseModelCard(bad)).toThrow(/model-card\.json: decision\.threshold: /);
    const missing = JSON.parse(JSON.stringify(card)) as Partial<ModelCard>;
    delete missing.fairness;
    expect(() => parseModelCard(missing)).toThrow(/fairness/);
  });
});

describe('renderModelCardMarkdown', () => {
  it('writes the French note then the English one, with the card’s figures', () => {
    const note = renderModelCardMarkdown(card);
    const fr = note.indexOf('# Note méthodologique du modèle — gbdt-test');
    const en = note.indexOf('# Model methodology note — gbdt-test');
    expect(fr).toBe(0);
    expect(en).toBeGreaterThan(fr);
    const english = note.slice(en);
    expect(english).toContain(`Out-of-fold ROC AUC (all predictions) | ${card.metrics.oofAuc.toFixed(4)}`);
    expect(english).toContain(`**${card.decision.threshold.toFixed(3)}**`);
    expect(note.slice(0, en)).toContain(`| ${card.metrics.oofAuc.toFixed(4).replace('.', ',')} |`);
    for (const heading of [
      'Fairness',
      'Limits',
      'Monitoring drift',
      'Explaining decisions',
      'Calibration by decile',
    ])
      expect(english).toContain(heading);
  });
});
