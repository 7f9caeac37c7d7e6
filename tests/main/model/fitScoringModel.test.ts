import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CALIBRATION_TOLERANCE,
  fitScoringModel,
  type FitProgress,
} from '../../../src-main/model/fitScoringModel.ts';
import { writeOnnxModel } from '../../../src-main/model/onnxExport.ts';
import { OnnxScorer } from '../../../src-main/model/onnxScorer.ts';
import { predictProbabilities } from '../../../src-main/model/treeModel.ts';
import { syntheticProblem } from './syntheticData.ts';

const { matrix, labels } = syntheticProblem(30_000, 8);
const params = { learningRate: 0.1, earlyStoppingRounds: 20, minChildWeight: 5 };
const dir = mkdtempSync(join(tmpdir(), 'scoring-desk-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fitScoringModel', () => {
  it('calibrates a reweighted model so every decile is within 2 points, and exports it calibrated', async () => {
    const stages = new Set<FitProgress['stage']>();
    const fit = await fitScoringModel(matrix, labels, {
      params: { ...params, scalePosWeight: 5 },
      folds: 4,
      onProgress: (p) => stages.add(p.stage),
    });
    const { report } = fit;
    expect(stages).toEqual(new Set(['binning', 'cross-validation', 'final']));
    expect(report.folds).toHaveLength(4);
    expect(report.oofAuc).toBeGreaterThan(0.75);
    expect(report.calibration.b).toBeLessThan(-1);
    expect(report.maxCalibrationGap).toBeLessThanOrEqual(CALIBRATION_TOLERANCE);
    expect(report.calibrated).toBe(true);
    const defaultRate = report.positives / report.rows;
    const meanOof = fit.oofProbabilities.reduce((s, p) => s + p, 0) / report.rows;
    expect(Math.abs(meanOof - defaultRate)).toBeLessThan(0.005);
    // The final model carries the calibration: its mean prediction is the default rate too.
    const probabilities = predictProbabilities(fit.model, matrix);
    expect(Math.abs(probabilities.reduce((s, p) => s + p, 0) / report.rows - defaultRate)).toBeLessThan(0.01);
    expect(fit.model.trees).toHaveLength(report.finalRounds);
    expect(report.importance[0]!.feature).toBe('a');
    expect(report.decision.threshold).toBeGreaterThan(0.03);
    expect(report.decision.threshold).toBeLessThan(0.2);

    writeOnnxModel(dir, fit.model, {
      featureNames: matrix.featureNames,
      modelVersion: '1',
      trainingFingerprint: report.fingerprint,
      threshold: report.decision.threshold,
      costs: report.costs,
      createdAt: new Date().toISOString(),
    });
    const scorer = await OnnxScorer.load(dir, matrix.featureNames);
    const onnxProbabilities = await scorer.scoreMatrix(matrix);
    onnxProbabilities.forEach((p, i) => expect(Math.abs(p - probabilities[i]!)).toBeLessThan(1e-6));
    await scorer.release();
  });

  it('shows the distortion when the reweighted model is not calibrated', async () => {
    const fit = await fitScoringModel(matrix, labels, {
      params: { ...params, scalePosWeight: 5 },
      folds: 4,
      calibration: 'none',
    });
    expect(fit.report.calibration).toEqual({ a: 1, b: 0 });
    expect(fit.report.maxCalibrationGap).toBeGreaterThan(0.1);
    expect(fit.report.calibrated).toBe(false);
  });
});
