import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClientBase, type ClientBase } from '../../../src-main/data/clientBase.ts';
import type { ClientExplanation } from '../../../src-main/explain/clientExplanation.ts';
import { ExplanationEngine } from '../../../src-main/explain/explanationEngine.ts';
import {
  loadExplanationReference,
  readExplanationReference,
  REFERENCE_FILE,
  ReferenceFileError,
} from '../../../src-main/explain/explanationReference.ts';
import { clientFeatures, editedApplicationFeatures } from '../../../src-main/features/client.ts';
import { featureIndex } from '../../../src-main/features/recipe.ts';
import { OnnxScorer } from '../../../src-main/model/onnxScorer.ts';
import { monthlyPayment, termInMonths } from '../../../src-main/explain/amortisation.ts';
import { demoModels, type DemoModels } from './support/demoModel.ts';

/** The nominal rate the term lever amortises at (a cash loan's in the repository's lender file). */
const RATE = 0.08;

let models: DemoModels;
let db: ClientBase;
let engine: ExplanationEngine;
let scorer: OnnxScorer;
let ids: number[];
const work = mkdtempSync(join(tmpdir(), 'scoring-desk-explanation-'));

beforeAll(async () => {
  models = await demoModels();
  db = openClientBase(models.db);
  rmSync(join(models.model, REFERENCE_FILE), { force: true });
  engine = await ExplanationEngine.open(models.model, { db });
  scorer = await OnnxScorer.load(models.model);
  ids = db
    .prepare('SELECT SK_ID_CURR FROM application ORDER BY SK_ID_CURR LIMIT 120')
    .pluck()
    .all() as number[];
});

afterAll(async () => {
  await scorer?.release();
  db?.close();
  rmSync(work, { recursive: true, force: true });
});

/** onnxruntime's probability for a full feature vector. */
async function onnxProbability(vector: Float64Array): Promise<number> {
  return scorer.scoreOne(scorer.metadata.featureNames.map((name) => vector[featureIndex(name)]!));
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

describe('ExplanationEngine.explainClient', () => {
  it('adds up from the average client to the client, family by family and feature by feature', async () => {
    for (const id of ids.slice(0, 40)) {
      const e = engine.explainClient(db, id, 'en');
      expect(
        Math.abs(e.baseProbability + sum(e.families.map((f) => f.contribution)) - e.probability),
      ).toBeLessThan(1e-9);
      for (const family of e.families) {
        expect(Math.abs(sum(family.features.map((f) => f.contribution)) - family.contribution)).toBeLessThan(
          1e-12,
        );
        expect(Math.abs(sum(family.features.map((f) => f.shap)) - family.shap)).toBeLessThan(1e-12);
        if (family.shap !== 0) expect(Math.sign(family.contribution)).toBe(Math.sign(family.shap));
      }
      expect(Math.abs(e.probability - (await onnxProbability(clientFeatures(db, id))))).toBeLessThan(1e-6);
      expect(e.decision).toBe(e.probability >= e.threshold ? 'refused' : 'granted');
    }
  });

  it('ranks adverse and favourable factors and gives at most four specific principal reasons', () => {
    for (const id of ids.slice(0, 40)) {
      const e = engine.explainClient(db, id, 'fr');
      expect(e.principalReasons.length).toBeLessThanOrEqual(4);
      expect(e.favourableReasons.length).toBeLessThanOrEqual(3);
      e.adverse.forEach((f, i) => {
        expect(f.contribution).toBeGreaterThan(0);
        if (i > 0) expect(f.contribution).toBeLessThanOrEqual(e.adverse[i - 1]!.contribution);
      });
      e.favourable.forEach((f) => expect(f.contribution).toBeLessThan(0));
      e.principalReasons.forEach((reason, i) => {
        expect(reason.family).toBe(e.adverse[i]!.family);
        const shown = e.families.flatMap((f) => f.features).find((f) => f.name === reason.feature)!;
        // Never vague: the sentence carries the client's own value, or says it is missing from the file.
        if (shown.value === null) expect(reason.text).toMatch(/absente du dossier|manque à votre dossier/);
        else expect(reason.text).toContain(shown.formattedValue);
      });
    }
  });

  it('puts the external-score reason first for the client with the lowest external scores', () => {
    const lowest = db
      .prepare(
        `SELECT SK_ID_CURR FROM application WHERE EXT_SOURCE_2 IS NOT NULL AND EXT_SOURCE_3 IS NOT NULL
         ORDER BY EXT_SOURCE_2 + EXT_SOURCE_3 LIMIT 1`,
      )
      .pluck()
      .get() as number;
    const en = engine.explainClient(db, lowest, 'en');
    expect(en.principalReasons[0]!.family).toBe('external_scores');
    expect(en.principalReasons[0]!.text).toMatch(
      /^Your external credit scores are low: 0\.\d+ \(External credit score \d\), where most clients who repaid have 0\.\d+ or more$/,
    );
    expect(engine.explainClient(db, lowest, 'fr').principalReasons[0]!.text).toMatch(
      /^Vos scores de crédit externes sont bas : 0,\d+ \(Score de crédit externe \d\), alors que la plupart des clients qui ont remboursé ont 0,\d+ ou plus$/,
    );
  });

  it('never names a protected attribute, even when it drives the model', async () => {
    const gender = await ExplanationEngine.open(models.genderModel, { db });
    for (const id of ids.slice(0, 40)) {
      const e = gender.explainClient(db, id, 'en');
      const features = e.families.flatMap((f) => f.features);
      const top = features.reduce((a, b) => (Math.abs(b.shap) > Math.abs(a.shap) ? b : a));
      expect(top.name).toBe('CODE_GENDER');
      expect(top.protected).toBe(true);
      const named = [...e.adverse, ...e.favourable].map((f) => f.feature);
      expect(named).not.toContain('CODE_GENDER');
      for (const text of [...e.principalReasons, ...e.favourableReasons].map((r) => r.text)) {
        expect(text).not.toMatch(/\b(gender|man|woman)\b/i);
      }
      // The factors leave the protected feature out of their sizes.
      const profile = e.families.find((f) => f.id === 'personal_profile')!;
      const factor = [...e.adverse, ...e.favourable].find((f) => f.family === 'personal_profile');
      const withoutGender = sum(profile.features.filter((f) => !f.protected).map((f) => f.contribution));
      expect(factor?.contribution ?? 0).toBeCloseTo(withoutGender, 12);
    }
  });

  it('is plain JSON and follows the language asked for', () => {
    const fr = engine.explainClient(db, ids[0]!, 'fr');
    const en = engine.explainClient(db, ids[0]!, 'en');
    expect(JSON.parse(JSON.stringify(fr))).toEqual(fr);
    expect(fr.probability).toBe(en.probability);
    expect(fr.families.map((f) => f.label)).not.toEqual(en.families.map((f) => f.label));
    expect(fr.method.kind).toBe('path-dependent');
  });

  it('warns about missing external scores and values outside the range seen in training', () => {
    const vector = clientFeatures(db, ids[0]!);
    vector[featureIndex('EXT_SOURCE_1')] = NaN;
    const credit = featureIndex('AMT_CREDIT');
    vector[credit] = engine.reference.features.find((f) => f.name === 'AMT_CREDIT')!.max! * 10;
    const e: ClientExplanation = engine.explainVector(vector, 'en');
    expect(e.clientId).toBeNull();
    expect(e.warnings.find((w) => w.kind === 'missing-external-scores')?.features).toContain('EXT_SOURCE_1');
    const outside = e.warnings.find((w) => w.kind === 'outside-training-range')!;
    expect(outside.features).toContain('AMT_CREDIT');
    expect(outside.text).toMatch(/Amount of the credit €[\d,]+ \(range seen: €[\d,]+ to €[\d,]+\)/);
  });
});

describe('ExplanationEngine.counterfactuals', () => {
  it('finds options that, scored again through the feature pipeline, are granted', async () => {
    const refused = ids.filter((id) => engine.explainClient(db, id, 'en').decision === 'refused').slice(0, 8);
    expect(refused.length).toBeGreaterThan(3);
    let found = 0;
    let termOptions = 0;
    for (const id of refused) {
      const result = engine.counterfactuals(db, id, 'en', RATE);
      expect(result.current.decision).toBe('refused');
      expect(result.target).toBe(engine.threshold);
      if (result.status === 'none-within-limits') {
        expect(result.options).toEqual([]);
        expect(result.summary).toMatch(/^No acceptable change found within the limits/);
        continue;
      }
      expect(result.status).toBe('found');
      found++;
      expect(result.options.length).toBeLessThanOrEqual(3);
      for (const option of result.options) {
        expect(
          Object.keys(option.edits).every((k) =>
            ['AMT_CREDIT', 'AMT_ANNUITY', 'AMT_GOODS_PRICE'].includes(k),
          ),
        ).toBe(true);
        const again = engine.explainEdited(db, id, option.edits, 'en');
        expect(again.probability).toBeCloseTo(option.probability, 12);
        expect(again.decision).toBe('granted');
        expect(option.decision).toBe('granted');
        const vector = clientFeatures(db, id);
        vector.set(editedApplicationFeatures(db, id, option.edits), 0);
        expect(Math.abs((await onnxProbability(vector)) - option.probability)).toBeLessThan(1e-6);
        expect(option.text).toMatch(/: \d+(\.\d)?%, granted$/);
      }
      const amount = result.options.find((o) => o.levers.join() === 'amount');
      if (amount) {
        const share = amount.changes[0]!.size;
        expect(amount.edits.AMT_CREDIT).toBe(Math.round(result.current.edits.AMT_CREDIT! * (1 - share)));
        expect(amount.text).toMatch(/^Borrow \d+% less \(€[\d,]+\)/);
      }
      const term = result.options.find((o) => o.levers.join() === 'term');
      if (term) {
        const { AMT_CREDIT: credit, AMT_ANNUITY: annuity } = result.current.edits;
        const months = termInMonths(credit!, annuity!, RATE) + term.changes[0]!.size;
        expect(term.edits.AMT_CREDIT).toBe(credit);
        expect(term.edits.AMT_ANNUITY).toBeCloseTo(monthlyPayment(credit!, RATE, months), 2);
        termOptions++;
      }
    }
    expect(found).toBeGreaterThan(0);
    expect(termOptions).toBeGreaterThan(0);
  });

  it('gives a borderline client (granted, close to the threshold) options that open a margin', async () => {
    // A band of a fifth of the threshold, over every client of the base, gives a few borderline clients.
    const band = engine.threshold / 5;
    const wide = await ExplanationEngine.open(models.model, { db, borderlineBand: band });
    const everyone = db
      .prepare('SELECT SK_ID_CURR FROM application ORDER BY SK_ID_CURR')
      .pluck()
      .all() as number[];
    const borderline = everyone.filter((id) => wide.explainClient(db, id, 'en').borderline).slice(0, 8);
    expect(borderline.length).toBeGreaterThan(0);
    let found = 0;
    for (const id of borderline) {
      const result = wide.counterfactuals(db, id, 'en', RATE);
      expect(result.current.decision).toBe('granted');
      expect(result.target).toBeCloseTo(wide.threshold - band, 15);
      expect(result.status).not.toBe('not-needed');
      for (const option of result.options) {
        expect(option.probability).toBeLessThan(result.target);
        expect(wide.explainEdited(db, id, option.edits, 'en').probability).toBeCloseTo(
          option.probability,
          12,
        );
      }
      if (result.status === 'found') found++;
    }
    expect(found).toBeGreaterThan(0);
    // Outside the band (the default two points), the same clients need nothing.
    const clear = borderline.filter((id) => !engine.explainClient(db, id, 'en').borderline);
    for (const id of clear) expect(engine.counterfactuals(db, id, 'en', RATE).status).toBe('not-needed');
  });

  it('has nothing to search for a clearly granted client, and says so when the limits allow nothing', async () => {
    const granted = ids.find((id) => engine.explainClient(db, id, 'en').probability < engine.threshold / 2)!;
    const easy = engine.counterfactuals(db, granted, 'fr', RATE);
    expect(easy.status).toBe('not-needed');
    expect(easy.summary).toBe('Demande accordée avec une marge suffisante : rien à changer.');

    const refused = ids.find((id) => engine.explainClient(db, id, 'en').decision === 'refused')!;
    const strict = await ExplanationEngine.open(models.model, {
      db,
      limits: { minAmountShare: 1, maxExtraMonths: 0, maxDownPaymentShare: 0 },
    });
    const none = strict.counterfactuals(db, refused, 'fr', RATE);
    expect(none.status).toBe('none-within-limits');
    expect(none.summary).toMatch(/^Aucun changement acceptable trouvé dans les limites/);
  });
});

describe('explanation reference', () => {
  it('is kept with the model, valid, and recomputed when the model changes', async () => {
    const kept = readExplanationReference(models.model)!;
    expect(kept.features.map((f) => f.name)).toEqual(engine.features.names);
    expect(kept.base.labelled).toBeGreaterThan(1000);
    const ext = kept.features.find((f) => f.name === 'EXT_SOURCE_2')!;
    expect(ext.min!).toBeLessThanOrEqual(ext.repaidQuantiles![0]!);
    expect(ext.repaidQuantiles![3]!).toBeGreaterThan(ext.quantiles![1]!);
    const external = kept.families.find((f) => f.id === 'external_scores')!;
    expect(external.meanAbsShap).toBeGreaterThan(0);

    const copy = join(work, 'copy');
    cpSync(models.model, copy, { recursive: true });
    expect(readExplanationReference(copy)).toEqual(kept);
    cpSync(join(models.genderModel, 'model.onnx'), join(copy, 'model.onnx'));
    expect(readExplanationReference(copy)).toBeUndefined();
    await expect(loadExplanationReference(copy, undefined)).rejects.toThrow(ReferenceFileError);
    writeFileSync(join(copy, REFERENCE_FILE), '{"format": 2}');
    expect(() => readExplanationReference(copy)).toThrow(/is not a valid explanation reference: format/);
  });

  it('names background clients for a model without node covers, explained by interventional TreeSHAP', async () => {
    const dir = join(work, 'no-covers');
    cpSync(models.model, dir, { recursive: true });
    rmSync(join(dir, REFERENCE_FILE));
    const { onnx } = onnxProto;
    const proto = onnx.ModelProto.decode(readFileSync(join(dir, 'model.onnx')));
    const ensemble = proto.graph!.node!.find((n) => n.opType === 'TreeEnsembleClassifier')!;
    ensemble.attribute = ensemble.attribute!.filter((a) => a.name !== 'nodes_hitrates');
    writeFileSync(join(dir, 'model.onnx'), onnx.ModelProto.encode(proto).finish());

    const interventional = await ExplanationEngine.open(dir, { db, reference: { backgroundSize: 30 } });
    expect(interventional.reference.method).toBe('interventional');
    expect(interventional.reference.background).toHaveLength(30);
    const e = interventional.explainClient(db, ids[1]!, 'en');
    expect(e.method.kind).toBe('interventional');
    expect(
      Math.abs(e.baseProbability + sum(e.families.map((f) => f.contribution)) - e.probability),
    ).toBeLessThan(1e-9);
    expect(e.probability).toBeCloseTo(engine.explainClient(db, ids[1]!, 'en').probability, 12);
  });
});
