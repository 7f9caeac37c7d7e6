import { describe, expect, it } from 'vitest';
import { binMatrix, binOf, binThresholds, MAX_VALUE_BINS } from '../../../src-main/model/binning.ts';

const matrix = (columns: number[][]) => ({
  rows: columns[0]!.length,
  featureNames: columns.map((_, i) => `x${i}`),
  values: Float64Array.from(columns.flat()),
});

describe('binMatrix', () => {
  it('gives each distinct value its own bin when they fit, NaN the bin after the values', () => {
    const data = binMatrix(matrix([[3, 1, 2, NaN, 2, 1]]));
    expect(data.valueBins[0]).toBe(3);
    expect(Array.from(data.bins)).toEqual([2, 0, 1, 3, 1, 0]);
    expect(Array.from(data.thresholds[0]!)).toEqual([1.5, 2.5]);
    expect(Array.from(data.histOffsets)).toEqual([0, 4]);
    expect(data.dominantShare[0]).toBeCloseTo(1 / 3, 12);
  });

  it('keeps the bins on a SharedArrayBuffer, column-major', () => {
    const data = binMatrix(
      matrix([
        [1, 2],
        [5, NaN],
      ]),
    );
    expect(data.bins.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(data.bins)).toEqual([0, 1, 0, 1]);
  });

  it('caps the bins at 255 value bins plus the missing bin, with roughly equal counts', () => {
    const column = Array.from({ length: 10_000 }, (_, i) => (i % 2000) / 7);
    const data = binMatrix(matrix([column.concat([NaN])]));
    expect(data.valueBins[0]).toBeLessThanOrEqual(MAX_VALUE_BINS);
    expect(data.valueBins[0]).toBeGreaterThan(200);
    const counts = new Map<number, number>();
    for (const b of data.bins) counts.set(b, (counts.get(b) ?? 0) + 1);
    expect(Math.max(...[...counts].filter(([b]) => b < data.valueBins[0]!).map(([, c]) => c))).toBeLessThan(
      80,
    );
    expect(data.bins[10_000]).toBe(data.valueBins[0]);
  });

  it('gives a heavy value a bin of its own', () => {
    const column = [
      ...Array.from({ length: 5000 }, () => 0),
      ...Array.from({ length: 5000 }, (_, i) => i + 1),
    ];
    const edges = binThresholds(Float32Array.from(column).sort(), 10);
    expect(edges[0]).toBeGreaterThan(0);
    expect(edges[0]).toBeLessThan(1);
    expect(edges.length).toBeLessThanOrEqual(9);
  });

  it('chooses float32 thresholds that separate neighbouring float32 values', () => {
    const a = Math.fround(0.1);
    const next = new Float32Array(
      new Int32Array([new Int32Array(new Float32Array([a]).buffer)[0]! + 1]).buffer,
    )[0]!;
    const edges = binThresholds(Float32Array.from([a, next]), 255);
    expect(edges[0]).toBe(a);
    expect(binOf(0.1, edges)).toBe(0);
    expect(binOf(next, edges)).toBe(1);
  });

  it('bins ±∞ as values', () => {
    const data = binMatrix(matrix([[-Infinity, 0, Infinity, NaN]]));
    expect(Array.from(data.bins)).toEqual([0, 1, 2, 3]);
  });

  it('rejects inconsistent matrices', () => {
    expect(() => binMatrix({ rows: 3, featureNames: ['a'], values: new Float64Array(2) })).toThrow(
      /2 values for 3 rows × 1 features/,
    );
    expect(() => binMatrix({ rows: 1, featureNames: ['a', 'a'], values: new Float64Array(2) })).toThrow(
      /a appears twice/,
    );
  });
});
