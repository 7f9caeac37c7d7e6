import { describe, expect, it } from 'vitest';
import {
  HIST_STRIDE,
  SPLIT_STRIDE,
  buildFeatureHistogram,
  findFeatureSplit,
  leafValue,
  thresholdL1,
  type SplitRules,
} from '../../../src-main/model/splitKernel.ts';
import { KernelMemory, histogramKernel } from '../../../src-main/model/kernelMemory.ts';

const splitMemory = new KernelMemory();
const splitKernel = histogramKernel(splitMemory.memory);

const loose: SplitRules = { regAlpha: 0, regLambda: 0, minChildWeight: 0, minDataInLeaf: 1 };

/** A histogram from [g, h, count] per bin, the missing-value bin last. */
function histogram(bins: [number, number, number][]): Float64Array {
  return splitMemory.copyOf(Float64Array.from(bins.flat()));
}

function bestSplit(hist: Float64Array, k: number, rules: SplitRules) {
  let g = 0;
  let h = 0;
  let c = 0;
  for (let b = 0; b <= k; b++) {
    g += hist[b * HIST_STRIDE]!;
    h += hist[b * HIST_STRIDE + 1]!;
    c += hist[b * HIST_STRIDE + 2]!;
  }
  const out = splitMemory.alloc(Float64Array, SPLIT_STRIDE);
  findFeatureSplit(splitKernel, hist, 0, k, g, h, c, rules, out, 0);
  const [gain, bin, missingLeft, leftG, leftH, leftC] = out;
  return {
    gain: gain!,
    bin: bin!,
    missingLeft: missingLeft === 1,
    leftG: leftG!,
    leftH: leftH!,
    leftC: leftC!,
  };
}

describe('gain and leaf value', () => {
  it('soft-thresholds the gradient sum by alpha', () => {
    expect(thresholdL1(1, 0.3)).toBeCloseTo(0.7, 15);
    expect(thresholdL1(-1, 0.3)).toBeCloseTo(-0.7, 15);
    expect(thresholdL1(0.2, 0.3)).toBe(0);
  });

  it('values a leaf at −T(G)/(H+λ)', () => {
    // G = 1, H = 0.5, λ = 1: value −1/1.5; with α = 0.5: T = 0.5, value −0.5/1.5.
    expect(leafValue(1, 0.5, 0, 1)).toBeCloseTo(-2 / 3, 15);
    expect(leafValue(-1, 0.5, 0.5, 1)).toBeCloseTo(1 / 3, 15);
    expect(leafValue(0.4, 0.5, 0.5, 1)).toBeCloseTo(0, 15);
  });

  it('gains T(G_L)²/(H_L+λ) + T(G_R)²/(H_R+λ) − T(G)²/(H+λ) by a split', () => {
    // Left G = 1, H = 0.5; right G = −1, H = 0.5; parent G = 0. λ = 1: 2 × 1/1.5 − 0; α = 0.5: 2 × 0.25/1.5.
    const hist = histogram([
      [1, 0.5, 1],
      [-1, 0.5, 1],
      [0, 0, 0],
    ]);
    const rules = { ...loose, regLambda: 1 };
    expect(bestSplit(hist, 2, rules).gain).toBeCloseTo(4 / 3, 15);
    expect(bestSplit(hist, 2, { ...rules, regAlpha: 0.5 }).gain).toBeCloseTo(1 / 3, 15);
  });
});

describe('findFeatureSplit', () => {
  it('finds the hand-computed best threshold and gain', () => {
    // Rows x = 1, 2, 3, 4 with labels 0, 0, 1, 1 at p = 0.5: g = ±0.5, h = 0.25. λ = 1.
    // Split after bin 1: G_L = 1, H_L = 0.5, G_R = −1, H_R = 0.5 → 1/1.5 + 1/1.5 − 0/2 = 4/3.
    const hist = histogram([
      [0.5, 0.25, 1],
      [0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [0, 0, 0],
    ]);
    const split = bestSplit(hist, 4, { ...loose, regLambda: 1 });
    expect(split.bin).toBe(1);
    expect(split.gain).toBeCloseTo(4 / 3, 12);
    expect([split.leftG, split.leftH, split.leftC]).toEqual([1, 0.5, 2]);
  });

  it('applies L1 to the gain', () => {
    const hist = histogram([
      [0.5, 0.25, 1],
      [0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [0, 0, 0],
    ]);
    // T(±1) = ±0.5 with α = 0.5: 0.25/1.5 twice; the parent's G = 0 gives 0.
    expect(bestSplit(hist, 4, { ...loose, regAlpha: 0.5, regLambda: 1 }).gain).toBeCloseTo(1 / 3, 12);
  });

  it('learns the direction of missing values: right when they look like the high bin', () => {
    // x = 1 (y = 0), x = 2 (y = 1), two NaN (y = 1), λ = 0, h = 0.25 each. Parent: G = −1, H = 1 → 1.
    // After bin 0 with NaN right: L {1}: 0.25/0.25 = 1, R {2, NaN, NaN}: 2.25/0.75 = 3 → gain 3.
    // With NaN left: L {1, NaN, NaN}: 0.25/0.75, R {2}: 1 → 1/3. Isolating NaN: 0 + 2 − 1 = 1.
    const hist = histogram([
      [0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [-1, 0.5, 2],
    ]);
    const split = bestSplit(hist, 2, loose);
    expect(split).toMatchObject({ bin: 0, missingLeft: false });
    expect(split.gain).toBeCloseTo(3, 12);
  });

  it('learns the direction of missing values: left when they look like the low bin', () => {
    // x = 1 (y = 1), x = 2 (y = 0), two NaN (y = 1): NaN left with bin 0 gives 2.25/0.75 + 1 − 1 = 3.
    const hist = histogram([
      [-0.5, 0.25, 1],
      [0.5, 0.25, 1],
      [-1, 0.5, 2],
    ]);
    const split = bestSplit(hist, 2, loose);
    expect(split).toMatchObject({ bin: 0, missingLeft: true, leftC: 3 });
    expect(split.gain).toBeCloseTo(3, 12);
  });

  it('can isolate the missing values (threshold after the last value bin)', () => {
    // Values all y = 0, NaN all y = 1: the best split is numbers vs NaN.
    const hist = histogram([
      [0.5, 0.25, 1],
      [0.5, 0.25, 1],
      [-1, 0.5, 2],
    ]);
    const split = bestSplit(hist, 2, loose);
    expect(split).toMatchObject({ bin: 1, missingLeft: false, leftC: 2 });
  });

  it('sends missing values to the heavier child when the leaf has none', () => {
    const hist = histogram([
      [0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [0, 0, 0],
    ]);
    expect(bestSplit(hist, 3, loose)).toMatchObject({ bin: 0, missingLeft: false });
    const mirrored = histogram([
      [0.5, 0.25, 1],
      [0.5, 0.25, 1],
      [-0.5, 0.25, 1],
      [0, 0, 0],
    ]);
    expect(bestSplit(mirrored, 3, loose)).toMatchObject({ bin: 1, missingLeft: true });
  });

  it('respects min_child_weight and min_data_in_leaf', () => {
    // Six rows, h = 0.25 each; the unconstrained best split isolates the first row.
    const hist = histogram([
      [-0.5, 0.25, 1],
      [0.5, 0.25, 1],
      [0.4, 0.25, 1],
      [0.1, 0.25, 1],
      [0, 0.25, 1],
      [-0.1, 0.25, 1],
      [0, 0, 0],
    ]);
    expect(bestSplit(hist, 6, loose).bin).toBe(0);
    // Children need H ≥ 0.5 (two rows): thresholds after bins 1..3 only.
    const byWeight = bestSplit(hist, 6, { ...loose, minChildWeight: 0.5 });
    expect(byWeight.bin).toBeGreaterThanOrEqual(1);
    expect(byWeight.leftH).toBeGreaterThanOrEqual(0.5);
    expect(0.25 * 6 - byWeight.leftH).toBeGreaterThanOrEqual(0.5);
    // Children need three rows: the only threshold left is after bin 2.
    expect(bestSplit(hist, 6, { ...loose, minDataInLeaf: 3 })).toMatchObject({ bin: 2, leftC: 3 });
    // Four rows each cannot fit in six.
    expect(bestSplit(hist, 6, { ...loose, minDataInLeaf: 4 }).gain).toBe(-Infinity);
    expect(bestSplit(hist, 6, { ...loose, minChildWeight: 1 }).gain).toBe(-Infinity);
  });
});

describe('buildFeatureHistogram', () => {
  const rows = 1000;
  const memory = new KernelMemory();
  const kernel = histogramKernel(memory.memory);
  const bins = memory.copyOf(Uint8Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? 5 : (i * 31) % 5)));
  const gh = memory.copyOf(
    Float64Array.from({ length: 2 * rows }, (_, i) => (i % 2 ? 0.1 + (i % 13) / 50 : Math.sin(i))),
  );
  const order = memory.copyOf(Int32Array.from({ length: rows }, (_, i) => (i * 379) % rows));
  const scratch = memory.alloc(Float64Array, 6 * HIST_STRIDE);
  const build = (begin: number, end: number) => {
    // The histogram sits at an offset inside a larger one, as a leaf's features do.
    const hist = memory.alloc(Float64Array, 8 * HIST_STRIDE);
    buildFeatureHistogram(kernel, bins, 0, order, gh, begin, end, hist, 2 * HIST_STRIDE, 6, scratch);
    return Array.from(hist.subarray(2 * HIST_STRIDE));
  };

  /** Adds rows into `into` one by one in the given order, in plain JavaScript doubles. */
  const add = (into: Float64Array, at: number[]) => {
    for (const i of at) {
      const j = bins[order[i]!]! * HIST_STRIDE;
      into[j] = into[j]! + gh[2 * i]!;
      into[j + 1] = into[j + 1]! + gh[2 * i + 1]!;
      into[j + 2] = into[j + 2]! + 1;
    }
  };
  const range = (begin: number, end: number) => Array.from({ length: end - begin }, (_, k) => begin + k);

  /**
   * The documented order of additions, which the kernel must keep to the last bit (the trees depend on it): in
   * every four rows the first and third go to the histogram, the second and fourth to a working one; the rows
   * left over after the last four go to the histogram; then the working one is added bin by bin.
   */
  const reference = (begin: number, end: number) => {
    const quadEnd = begin + ((end - begin) & ~3);
    const hist = new Float64Array(6 * HIST_STRIDE);
    const second = new Float64Array(6 * HIST_STRIDE);
    const quads = range(begin, quadEnd);
    add(
      hist,
      quads.filter((i) => (i - begin) % 2 === 0),
    );
    add(
      second,
      quads.filter((i) => (i - begin) % 2 === 1),
    );
    add(hist, range(quadEnd, end));
    return Array.from(hist, (v, j) => v + second[j]!);
  };

  it('sums gradients, hessians and counts per bin in the documented order, to the last bit', () => {
    for (const [begin, end] of [
      [0, rows],
      [1, 998],
      [2, 999],
      [3, 999],
      [100, 200],
    ] as const) {
      expect(build(begin, end)).toEqual(reference(begin, end));
    }
  });

  it('with few rows for many bins, adds them in partition order', () => {
    for (const [begin, end] of [
      [3, 10],
      [500, 501],
      [7, 7],
    ] as const) {
      const expected = new Float64Array(6 * HIST_STRIDE);
      add(expected, range(begin, end));
      expect(build(begin, end)).toEqual(Array.from(expected));
    }
  });

  it('parent minus one child equals the other child built directly (subtraction trick)', () => {
    const parent = memory.copyOf(Float64Array.from(build(0, rows)));
    const small = memory.copyOf(Float64Array.from(build(0, 300)));
    const large = build(300, rows);
    const expected = Array.from(parent, (v, j) => v - small[j]!);
    kernel.subtractFrom(parent.byteOffset, small.byteOffset, parent.length);
    expect(Array.from(parent)).toEqual(expected);
    parent.forEach((v, j) => expect(v).toBeCloseTo(large[j]!, 10));
    expect(large[5 * HIST_STRIDE + 2]).toBe(range(300, rows).filter((i) => order[i]! % 7 === 0).length);
  });

  it('adds one histogram into another, odd lengths included', () => {
    for (const n of [1, 2, 17, 18]) {
      const target = memory.copyOf(Float64Array.from({ length: n }, (_, j) => Math.cos(j) * 1e3));
      const source = memory.copyOf(Float64Array.from({ length: n }, (_, j) => Math.sin(j) / 7));
      const expected = Array.from(target, (v, j) => v + source[j]!);
      kernel.addInto(target.byteOffset, source.byteOffset, n);
      expect(Array.from(target)).toEqual(expected);
    }
  });
});
