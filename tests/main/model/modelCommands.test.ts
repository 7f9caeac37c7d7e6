import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/support/runCli.ts';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { importCsvFolder } from '../../../src-main/data/import/importer.ts';
import { REFERENCE_FILE } from '../../../src-main/explain/explanationReference.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';
import { modelInputs, protectedFeatures } from '../../../src-main/features/catalogue.ts';
import { clientFeatures } from '../../../src-main/features/client.ts';
import { binMatrix } from '../../../src-main/model/binning.ts';
import { loadClientScorer, scoreFeatureVector } from '../../../src-main/model/clientScoring.ts';
import { AGE_BANDS, ageBand } from '../../../src-main/model/fairness.ts';
import { MODEL_CARD_FILE, parseModelCard, type ModelCard } from '../../../src-main/model/modelCard.ts';
import { MODEL_CARD_NOTE_FILE } from '../../../src-main/model/modelCardMarkdown.ts';
import { MODEL_FILE, writeOnnxModel } from '../../../src-main/model/onnxExport.ts';
import { ModelLoadError } from '../../../src-main/model/onnxScorer.ts';
import { trainBooster } from '../../../src-main/model/trainBooster.ts';
import { trainFromClientBase } from '../../../src-main/model/trainFromClientBase.ts';
import { loadLabelledMatrix } from '../../../src-main/model/trainingData.ts';
import { predictProbabilities } from '../../../src-main/model/treeModel.ts';
import { syntheticProblem } from './syntheticData.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'scoring-desk-model-commands-'));
const base = join(work, 'base.sqlite');
const withoutFeatures = join(work, 'no-features.sqlite');
/** Few trees and folds, leaves small enough for 2,000 clients: the protocol end to end, not a good model. */
const FAST = ['--folds', '3', '--rounds', '25', '--min-child-weight', '5', '--threads', '0'];
const EPOCH = '1767225600';

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [
      join(REPO, 'bin/scoring-desk.js'),
      'demo-data',
      '--clients',
      '2000',
      '--seed',
      '1',
      '--out',
      join(work, 'csv'),
    ],
    { stdio: 'ignore' },
  );
  await importCsvFolder({ dir: join(work, 'csv'), dbPath: base });
  copyFileSync(base, withoutFeatures);
  const db = openClientBase(base);
  try {
    await computeFeatures(db, { workers: 1 });
  } finally {
    db.close();
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const run = runCli;

function readCard(dir: string): ModelCard {
  return parseModelCard(JSON.parse(readFileSync(join(dir, MODEL_CARD_FILE), 'utf8')));
}

describe('scoring-desk train', () => {
  const out = join(work, 'model');
  let card: ModelCard;

  beforeAll(async () => {
    mkdirSync(out);
    writeFileSync(join(out, 'README.md'), 'kept\n');
    vi.stubEnv('SOURCE_DATE_EPOCH', EPOCH);
    const result = await run('train', '--db', base, '--out', out, ...FAST);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Model gbdt-[0-9a-f]{12}: \d+ clients/);
    expect(result.stderr).toMatch(/Training on \d+ labelled clients × 794 features/);
    card = readCard(out);
  });

  it('writes the model, a valid card and the note, and nothing else, into the folder', async () => {
    expect(readdirSync(out).sort()).toEqual(
      ['README.md', MODEL_CARD_FILE, MODEL_CARD_NOTE_FILE, MODEL_FILE, REFERENCE_FILE].sort(),
    );
    expect(readdirSync(work).filter((f) => f.includes('staging'))).toEqual([]);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('kept\n');
    const labelled = card.data.labelledRows;
    expect(labelled).toBeGreaterThan(1500);
    expect(card.model.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(card.data.source).toBe('base.sqlite');
    expect(card.training.foldResults.map((f) => f.validRows).reduce((s, n) => s + n, 0)).toBe(labelled);
    expect(card.features.count).toBe(modelInputs.length);
    expect(card.features.excluded.features).toEqual([...protectedFeatures]);
    expect(card.features.families.reduce((s, f) => s + f.count, 0)).toBe(card.features.count);
    const c = card.decision.confusion;
    expect(c.truePositive + c.falseNegative).toBe(card.data.positives);
    expect(c.truePositive + c.falsePositive + c.trueNegative + c.falseNegative).toBe(labelled);

    const scorer = await loadClientScorer(out);
    expect(scorer.metadata.modelVersion).toBe(card.model.version);
    expect(scorer.metadata.threshold).toBe(card.decision.threshold);
    expect(scorer.metadata.featureNames).not.toContain('CODE_GENDER');
    await scorer.release();
    const note = readFileSync(join(out, MODEL_CARD_NOTE_FILE), 'utf8');
    expect(note).toContain('# Note méthodologique du modèle');
    expect(note).toContain('# Model methodology note');
    expect(note).toContain('exact path-dependent TreeSHAP values on the log-odds scale');
  });

  it('puts the cost-optimal threshold on the cost curve, at its least cost', () => {
    const { points } = card.costCurve;
    const optimum = points.find((p) => p.threshold === card.decision.threshold);
    expect(optimum?.cost).toBe(card.decision.cost);
    expect(Math.min(...points.map((p) => p.cost))).toBe(card.decision.cost);
    expect(points.length).toBeGreaterThanOrEqual(101);
    expect(points.map((p) => p.threshold)).toEqual([...points.map((p) => p.threshold)].sort((a, b) => a - b));
  });

  it('reports fairness by gender and age band over every labelled client, from the application table', () => {
    const db = openClientBase(base, { readonly: true });
    const rows = db
      .prepare(
        `SELECT a.CODE_GENDER AS gender, a.DAYS_BIRTH AS days FROM application a
         JOIN client_features f USING (SK_ID_CURR) WHERE f.TARGET IS NOT NULL`,
      )
      .all() as { gender: string; days: number }[];
    db.close();
    const [gender, age] = card.fairness.attributes;
    expect(gender!.attribute).toBe('CODE_GENDER');
    const count = (key: (r: (typeof rows)[number]) => string, group: string) =>
      rows.filter((r) => key(r) === group).length;
    expect(gender!.groups.map((g) => g.group)).toEqual(['F', 'M']);
    for (const g of gender!.groups) expect(g.count).toBe(count((r) => r.gender, g.group));
    expect(age!.attribute).toBe('AGE_BAND');
    expect(age!.groups.map((g) => g.group)).toEqual(
      AGE_BANDS.filter((b) => count((r) => ageBand(r.days), b)),
    );
    for (const g of age!.groups) expect(g.count).toBe(count((r) => ageBand(r.days), g.group));
    for (const attribute of card.fairness.attributes) {
      const refused = attribute.groups.reduce((s, g) => s + g.refusalRate * g.count, 0);
      expect(refused / card.data.labelledRows).toBeCloseTo(card.decision.refusalRate, 10);
    }
  });

  it('gives the same bytes for the same base, seed and SOURCE_DATE_EPOCH', async () => {
    const again = join(work, 'model-again');
    vi.stubEnv('SOURCE_DATE_EPOCH', EPOCH);
    expect((await run('train', '--db', base, '--out', again, ...FAST)).code).toBe(0);
    for (const file of [MODEL_FILE, MODEL_CARD_FILE, MODEL_CARD_NOTE_FILE]) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(out, file))), file).toBe(true);
    }
  });

  it('scores with onnxruntime as the trainer predicts, within 1e-6 on every row', async () => {
    const db = openClientBase(base, { readonly: true });
    try {
      const trained = await trainFromClientBase(db, base, {
        folds: 3,
        threads: 0,
        params: { numRounds: 25, minChildWeight: 5 },
        createdAt: card.model.createdAt,
      });
      // The very model the command wrote.
      expect(Buffer.from(trained.onnx).equals(readFileSync(join(out, MODEL_FILE)))).toBe(true);
      const { matrix } = loadLabelledMatrix(db);
      const scorer = await loadClientScorer(out);
      const onnx = await scorer.scoreMatrix(matrix);
      const ours = predictProbabilities(trained.model, matrix);
      let worst = 0;
      ours.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - onnx[i]!))));
      expect(worst).toBeLessThan(1e-6);
      const id = db
        .prepare('SELECT SK_ID_CURR FROM client_features ORDER BY SK_ID_CURR LIMIT 1')
        .pluck()
        .get();
      const one = await scoreFeatureVector(scorer, clientFeatures(db, id as number));
      expect(one.probability).toBeCloseTo(onnx[0]!, 7);
      expect(one.decision).toBe(one.probability >= card.decision.threshold ? 'refused' : 'granted');
      await scorer.release();
    } finally {
      db.close();
    }
  });

  it('tells to run the features command when the base has none', async () => {
    const result = await run('train', '--db', withoutFeatures, '--out', join(work, 'never'), ...FAST);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`run \`scoring-desk features --db ${withoutFeatures}\` first`);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });
});

describe('scoring-desk score', () => {
  const model = join(work, 'model');

  it('stores one row per client with the model version, and replaces them when scoring again', async () => {
    const scored = join(work, 'scored.sqlite');
    copyFileSync(base, scored);
    const card = readCard(model);
    for (const round of [1, 2]) {
      const result = await run('score', '--db', scored, '--model', model, '--batch', '700');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `with model ${card.model.version} (threshold ${card.decision.threshold})`,
      );
      const db = openClientBase(scored, { readonly: true });
      const clients = db.prepare('SELECT COUNT(*) FROM client_features').pluck().get();
      expect(
        db.prepare('SELECT COUNT(*) FROM score WHERE model_version = ?').pluck().get(card.model.version),
      ).toBe(clients);
      expect(db.prepare('SELECT COUNT(*) FROM score_run').pluck().get()).toBe(round);
      const wrong = db
        .prepare(
          `SELECT COUNT(*) FROM score WHERE threshold <> ?
             OR decision <> CASE WHEN probability >= threshold THEN 'refused' ELSE 'granted' END`,
        )
        .pluck()
        .get(card.decision.threshold);
      expect(wrong).toBe(0);
      db.close();
    }
  });

  it('refuses a model on other features, or a corrupt one, with a clear message', async () => {
    const { matrix, labels } = syntheticProblem(500, 2);
    const foreign = join(work, 'foreign');
    const { model: trees } = await trainBooster(binMatrix(matrix), labels, {
      params: { numRounds: 3 },
      threads: 0,
    });
    writeOnnxModel(foreign, trees, {
      featureNames: matrix.featureNames,
      modelVersion: 'foreign-1',
      trainingFingerprint: 'sha256:0',
      threshold: 0.1,
      costs: { falseNegative: 10, falsePositive: 1 },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const mismatch = await run('score', '--db', base, '--model', foreign);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(
      /cannot be used: the model expects 6 features, 794 were given; missing: a, /,
    );

    const corrupt = join(work, 'corrupt');
    mkdirSync(corrupt);
    const bytes = readFileSync(join(model, MODEL_FILE));
    writeFileSync(join(corrupt, MODEL_FILE), bytes.subarray(0, bytes.length >> 1));
    const broken = await run('score', '--db', base, '--model', corrupt);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/the model .*corrupt.*model\.onnx cannot be used/);
    await expect(loadClientScorer(corrupt)).rejects.toThrow(ModelLoadError);
  });
});
