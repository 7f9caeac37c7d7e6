import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binMatrix } from '../../../src-main/model/binning.ts';
import { rowMajorSlice } from '../../../src-main/model/featureMatrix.ts';
import type { ModelMetadata } from '../../../src-main/model/modelMetadata.ts';
import { MODEL_FILE, writeOnnxModel } from '../../../src-main/model/onnxExport.ts';
import { ModelLoadError, OnnxScorer } from '../../../src-main/model/onnxScorer.ts';
import { trainBooster } from '../../../src-main/model/trainBooster.ts';
import { predictProbabilities, type TreeModel } from '../../../src-main/model/treeModel.ts';
import { syntheticProblem } from './syntheticData.ts';

const { onnx } = onnxProto;
let dir: string;
let model: TreeModel;
const { matrix, labels } = syntheticProblem(3000, 6);
const metadata: ModelMetadata = {
  featureNames: matrix.featureNames,
  modelVersion: 'test-1',
  trainingFingerprint: 'sha256:abc',
  threshold: 0.09,
  costs: { falseNegative: 10, falsePositive: 1 },
  createdAt: '2025-01-02T03:04:05.000Z',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scoring-desk-onnx-'));
  // Many deep trees and a high learning rate: large margins and many float32 comparisons per row.
  const trained = await trainBooster(binMatrix(matrix), labels, {
    params: { numRounds: 400, learningRate: 0.2, minChildWeight: 0.5, numLeaves: 31, maxDepth: -1 },
    threads: 0,
  });
  model = trained.model;
  writeOnnxModel(join(dir, 'model'), model, metadata);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ONNX export and onnxruntime scoring', () => {
  it("gives the trainer's probabilities within 1e-6 on every row", async () => {
    const scorer = await OnnxScorer.load(join(dir, 'model'), matrix.featureNames);
    const onnxProbabilities = await scorer.scoreMatrix(matrix);
    const ours = predictProbabilities(model, matrix);
    let worst = 0;
    ours.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - onnxProbabilities[i]!))));
    expect(model.trees.length).toBeGreaterThan(100);
    expect(worst).toBeLessThan(1e-6);
    await scorer.release();
  });

  it('scores one row as the batch does', async () => {
    const scorer = await OnnxScorer.load(join(dir, 'model'));
    const row = rowMajorSlice(matrix, 17, 1);
    const batch = await scorer.scoreRows(rowMajorSlice(matrix, 0, 20), 20);
    expect(await scorer.scoreOne(Array.from(row, (v) => (v !== v ? null : v)))).toBe(batch[17]);
    await scorer.release();
  });

  it('stores the metadata, LEQ thresholds, missing directions and covers of every node', async () => {
    const scorer = await OnnxScorer.load(join(dir, 'model'));
    expect(scorer.metadata).toEqual(metadata);
    await scorer.release();
    const proto = onnx.ModelProto.decode(readFileSync(join(dir, 'model', MODEL_FILE)));
    const node = proto.graph!.node![0]!;
    const attribute = (name: string) => node.attribute!.find((a) => a.name === name)!;
    const covers = model.trees.flatMap((t) => Array.from(t.cover, Math.fround));
    expect(attribute('nodes_hitrates').floats!).toEqual(covers);
    const modes = new Set(attribute('nodes_modes').strings!.map((s) => Buffer.from(s).toString()));
    expect(modes).toEqual(new Set(['BRANCH_LEQ', 'LEAF']));
    expect(attribute('nodes_missing_value_tracks_true').ints!.map(Number)).toEqual(
      model.trees.flatMap((t) => Array.from(t.defaultLeft)),
    );
    expect(Number(proto.opsetImport.find((o) => o.domain === 'ai.onnx.ml')?.version)).toBe(3);
  });

  it('writes atomically: no temporary file left, an existing model replaced', () => {
    const target = join(dir, 'replace');
    writeOnnxModel(target, model, metadata);
    writeOnnxModel(target, model, { ...metadata, modelVersion: 'test-2' });
    expect(readdirSync(target)).toEqual([MODEL_FILE]);
    expect(readFileSync(join(target, MODEL_FILE)).toString('latin1')).toContain('test-2');
  });
});

describe('loading a model that does not fit', () => {
  it('names the missing and extra features', async () => {
    const given = [...matrix.featureNames.slice(1), 'AGE'];
    const error = await OnnxScorer.load(join(dir, 'model'), given).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(
      /expects 6 features, 6 were given; missing: a; not in the model: AGE/,
    );
  });

  it('names the first feature out of order', async () => {
    const given = ['b_abs', 'a', ...matrix.featureNames.slice(2)];
    await expect(OnnxScorer.load(join(dir, 'model'), given)).rejects.toThrow(
      /another order: position 1 is a in the model, b_abs given/,
    );
  });

  it('refuses a missing, corrupt or foreign file with a clear message', async () => {
    await expect(OnnxScorer.load(join(dir, 'nowhere'))).rejects.toThrow(/cannot read the model .*nowhere/);
    const corrupt = join(dir, 'corrupt');
    writeOnnxModel(corrupt, model, metadata);
    const bytes = readFileSync(join(corrupt, MODEL_FILE));
    writeFileSync(join(corrupt, MODEL_FILE), bytes.subarray(0, bytes.length >> 1));
    await expect(OnnxScorer.load(corrupt)).rejects.toThrow(ModelLoadError);
    writeFileSync(join(corrupt, MODEL_FILE), 'not a model at all');
    await expect(OnnxScorer.load(corrupt)).rejects.toThrow(/cannot be used/);
    const foreign = onnx.ModelProto.decode(bytes);
    foreign.metadataProps = foreign.metadataProps.filter((p) => p.key !== 'training_fingerprint');
    writeFileSync(join(corrupt, MODEL_FILE), onnx.ModelProto.encode(foreign).finish());
    await expect(OnnxScorer.load(corrupt)).rejects.toThrow(
      /the metadata entry training_fingerprint is missing/,
    );
  });

  it('refuses a batch of the wrong size', async () => {
    const scorer = await OnnxScorer.load(join(dir, 'model'));
    await expect(scorer.scoreRows(new Float32Array(7), 1)).rejects.toThrow(
      /7 values for 1 rows × 6 features/,
    );
    await scorer.release();
  });
});
