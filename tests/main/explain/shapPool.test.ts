import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openShapRunner } from '../../../src-main/explain/shapPool.ts';
import { readCsvNumbers } from './support/csv.ts';

const SMALL = resolve(import.meta.dirname, '../../../../shared/fixtures/treeshap/small');

describe('explaining batches on worker threads', () => {
  it('returns the batches in the order they were submitted, as the calling thread computes them', async () => {
    const rows = readCsvNumbers(join(SMALL, 'inputs.csv'));
    const batches = [rows.slice(0, 7), rows.slice(7, 30), rows.slice(30)];
    const results: Float64Array[][] = [];
    for (const threads of [1, 2]) {
      const runner = openShapRunner({ modelFile: join(SMALL, 'model.onnx'), threads });
      try {
        expect(runner.method).toBe('path-dependent');
        for (const batch of batches)
          runner.submit({ values: Float64Array.from(batch.flat()), rows: batch.length });
        expect(runner.pending).toBe(3);
        results.push(batches.map(() => runner.take().shap));
        expect(runner.pending).toBe(0);
      } finally {
        await runner.close();
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.map((shap) => shap.length)).toEqual([7 * 9, 23 * 9, 20 * 9]);
  });

  it("reports a worker's failure to load the model in the calling thread", () => {
    expect(() => openShapRunner({ modelFile: join(SMALL, 'inputs.csv'), threads: 2 })).toThrow(
      /inputs\.csv: not an ONNX model/,
    );
    expect(() => openShapRunner({ modelFile: join(SMALL, 'model-nocovers.onnx'), threads: 2 })).toThrow(
      /no usable node covers/,
    );
  });
});
