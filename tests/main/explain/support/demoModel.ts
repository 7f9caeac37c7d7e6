import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClientBase } from '../../../../src-main/data/clientBase.ts';
import { generateDemoData } from '../../../../src-main/data/demo/generate.ts';
import { REFERENCE_FORMAT } from '../../../../src-main/explain/explanationReference.ts';
import { importCsvFolder } from '../../../../src-main/data/import/importer.ts';
import { computeFeatures } from '../../../../src-main/features/batch.ts';
import { modelInputIndices } from '../../../../src-main/features/catalogue.ts';
import { featureIndex, featureNames } from '../../../../src-main/features/recipe.ts';
import { featureFingerprint, loadFeatureMatrix } from '../../../../src-main/features/store.ts';
import { columnMajorFromRows } from '../../../../src-main/model/featureMatrix.ts';
import { fitScoringModel } from '../../../../src-main/model/fitScoringModel.ts';
import { writeOnnxModel } from '../../../../src-main/model/onnxExport.ts';

/**
 * A small demo base (generated, imported, features computed) and small models trained on it, built once and
 * shared by the explain test files (and runs) through a folder named after the feature definitions and the
 * explanation reference's format (the services write the reference into the model folder, and a checkout on
 * another format would otherwise read one it cannot parse).
 */

const CLIENTS = 2000;
const SEED = 1;
const ROOT = join(
  tmpdir(),
  `scoring-desk-explain-demo-${CLIENTS}-${SEED}-${featureFingerprint.slice(0, 12)}-r${REFERENCE_FORMAT}`,
);

export interface DemoModels {
  db: string;
  /** Trained on the model inputs (protected attributes left out), as the product trains. */
  model: string;
  /** Trained with CODE_GENDER among its inputs on labels that follow it: its SHAP value dominates. */
  genderModel: string;
}

export async function demoModels(): Promise<DemoModels> {
  const paths = {
    db: join(ROOT, 'base.sqlite'),
    model: join(ROOT, 'model'),
    genderModel: join(ROOT, 'gender'),
  };
  if (existsSync(join(ROOT, 'complete'))) return paths;
  // One test file builds; the others (other worker processes) wait for it rather than build the same again.
  const lock = `${ROOT}.lock`;
  if (!takeLock(lock)) {
    while (!existsSync(join(ROOT, 'complete'))) {
      if (!existsSync(lock)) return demoModels();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return paths;
  }
  try {
    await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return paths;
}

/** Makes the lock folder; false when another process holds it (a lock older than 10 minutes is stale). */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const held = statSync(lock, { throwIfNoEntry: false });
    if (held && Date.now() - held.mtimeMs < 600_000) return false;
    rmSync(lock, { recursive: true, force: true });
    return takeLock(lock);
  }
}

async function build(): Promise<void> {
  const work = mkdtempSync(`${ROOT}-building-`);
  try {
    await generateDemoData({ clients: CLIENTS, seed: SEED, outDir: join(work, 'csv') });
    await importCsvFolder({ dir: join(work, 'csv'), dbPath: join(work, 'base.sqlite') });
    const db = openClientBase(join(work, 'base.sqlite'));
    try {
      await computeFeatures(db, { workers: 1 });
      const stored = loadFeatureMatrix(db);
      const labelled = Array.from(stored.target.keys()).filter((r) => !Number.isNaN(stored.target[r]));
      const labels = labelled.map((r) => stored.target[r]!);
      await trainInto(join(work, 'model'), stored.values, labelled, modelInputIndices, labels);
      // Labels that follow the gender (one in ten flipped), so the model leans on it above anything else.
      const gender = featureIndex('CODE_GENDER');
      const genderLabels = labelled.map(
        (r, i) => (stored.values[r * featureNames.length + gender] === 0 ? 1 : 0) ^ (i % 10 === 0 ? 1 : 0),
      );
      await trainInto(
        join(work, 'gender'),
        stored.values,
        labelled,
        [gender, ...modelInputIndices],
        genderLabels,
      );
    } finally {
      db.close();
    }
    rmSync(join(work, 'csv'), { recursive: true, force: true });
    mkdirSync(join(work, 'complete'));
    rmSync(ROOT, { recursive: true, force: true });
    renameSync(work, ROOT);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function trainInto(
  dir: string,
  values: Float64Array,
  rows: number[],
  columns: readonly number[],
  labels: number[],
): Promise<void> {
  const matrix = columnMajorFromRows(values, featureNames, { rows, columns });
  const fit = await fitScoringModel(matrix, labels, {
    params: { learningRate: 0.1, numRounds: 60, numLeaves: 15, earlyStoppingRounds: 15, minChildWeight: 5 },
    folds: 2,
    threads: 1,
  });
  writeOnnxModel(dir, fit.model, {
    featureNames: matrix.featureNames,
    modelVersion: 'test-1',
    trainingFingerprint: fit.report.fingerprint,
    threshold: fit.report.decision.threshold,
    costs: fit.report.costs,
    createdAt: new Date().toISOString(),
  });
}
