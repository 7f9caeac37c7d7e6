/**
 * Tree ensembles described as plain objects, for tests: random generation, and reference semantics written
 * straight from the ONNX operator's definition (independent of src-main/explain's normalised representation).
 */

export const MODES = [
  'BRANCH_LEQ',
  'BRANCH_LT',
  'BRANCH_GTE',
  'BRANCH_GT',
  'BRANCH_EQ',
  'BRANCH_NEQ',
] as const;
export type Mode = (typeof MODES)[number];

export type SpecNode =
  | { kind: 'leaf'; value: number; cover: number }
  | {
      kind: 'branch';
      mode: Mode;
      feature: number;
      threshold: number;
      missingTracksTrue: boolean;
      cover: number;
      onTrue: SpecNode;
      onFalse: SpecNode;
    };

export interface ForestSpec {
  nFeatures: number;
  trees: SpecNode[];
  base: number;
}

/** onnxruntime's rule: x (mode) threshold, or NaN where missing values track the true branch. */
export function goesTrue(node: Extract<SpecNode, { kind: 'branch' }>, x: number): boolean {
  const t = node.threshold;
  const nan = Number.isNaN(x) && node.missingTracksTrue;
  switch (node.mode) {
    case 'BRANCH_LEQ':
      return x <= t || nan;
    case 'BRANCH_LT':
      return x < t || nan;
    case 'BRANCH_GTE':
      return x >= t || nan;
    case 'BRANCH_GT':
      return x > t || nan;
    case 'BRANCH_EQ':
      return x === t || nan;
    case 'BRANCH_NEQ':
      return x !== t || nan;
  }
}

/** The margin of a row (float32 inputs, float64 sum), following the definition node by node. */
export function specMargin(spec: ForestSpec, row: ArrayLike<number>): number {
  let sum = spec.base;
  for (const tree of spec.trees) {
    let node = tree;
    while (node.kind === 'branch')
      node = goesTrue(node, Math.fround(row[node.feature]!)) ? node.onTrue : node.onFalse;
    sum += node.value;
  }
  return sum;
}

/**
 * Path-dependent value of a coalition: features in `known` follow the row, the others split the expectation by
 * the children's covers over the node's cover (XGBoost's and Lundberg's definition).
 */
export function pathDependentValue(
  spec: ForestSpec,
  row: ArrayLike<number>,
  known: (feature: number) => boolean,
): number {
  const expect = (node: SpecNode): number => {
    if (node.kind === 'leaf') return node.value;
    if (known(node.feature)) {
      return expect(goesTrue(node, Math.fround(row[node.feature]!)) ? node.onTrue : node.onFalse);
    }
    return (node.onTrue.cover * expect(node.onTrue) + node.onFalse.cover * expect(node.onFalse)) / node.cover;
  };
  return spec.trees.reduce((sum, tree) => sum + expect(tree), spec.base);
}

/** Interventional value: the mean margin over the background when the features in `known` take the row's values. */
export function interventionalValue(
  spec: ForestSpec,
  row: ArrayLike<number>,
  background: ArrayLike<number>[],
  known: (feature: number) => boolean,
): number {
  let sum = 0;
  for (const z of background) {
    const hybrid = Array.from({ length: spec.nFeatures }, (_, j) => (known(j) ? row[j]! : z[j]!));
    sum += specMargin(spec, hybrid);
  }
  return sum / background.length;
}

/** Shapley values by enumeration of every coalition: φ_i = Σ_S |S|!(n−|S|−1)!/n! (v(S ∪ i) − v(S)). */
export function bruteForceShapley(
  n: number,
  value: (known: (feature: number) => boolean) => number,
): number[] {
  const values = new Float64Array(1 << n);
  for (let s = 0; s < 1 << n; s++) values[s] = value((j) => ((s >> j) & 1) === 1);
  const factorial = [1];
  for (let k = 1; k <= n; k++) factorial[k] = factorial[k - 1]! * k;
  const phi = new Array<number>(n).fill(0);
  for (let s = 0; s < 1 << n; s++) {
    let size = 0;
    for (let j = 0; j < n; j++) size += (s >> j) & 1;
    for (let i = 0; i < n; i++) {
      if ((s >> i) & 1) continue;
      const weight = (factorial[size]! * factorial[n - size - 1]!) / factorial[n]!;
      phi[i]! += weight * (values[s | (1 << i)]! - values[s]!);
    }
  }
  return phi;
}

/** A small deterministic generator (mulberry32), so a failing case is reproduced from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values splits and rows share, so rows land exactly on thresholds and EQ/NEQ, LT/LEQ differ. */
const GRID = [-2, -1, -0.5, 0, 0.25, 0.5, 1, 3];

export interface RandomForestOptions {
  nFeatures: number;
  nTrees: number;
  maxDepth: number;
  /** Probability that a node at depth < maxDepth is a split. */
  splitChance?: number;
  modes?: readonly Mode[];
  /** All covers 1, as converters without covers write them. */
  flatCovers?: boolean;
  /** Leaf values and base in multiples of 1/64, so that float32 sums of a few hundred are exact. */
  dyadic?: boolean;
  /** One child of every split is a leaf: deep paths (many distinct features) without exponential size. */
  chain?: boolean;
}

export function randomForest(seed: number, options: RandomForestOptions): ForestSpec {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const modes = options.modes ?? MODES;
  const grow = (depth: number): SpecNode => {
    if (depth >= options.maxDepth || (depth > 0 && random() > (options.splitChance ?? 0.8))) {
      return {
        kind: 'leaf',
        value: options.dyadic ? Math.round(random() * 128 - 64) / 64 : Math.fround(random() * 2 - 1),
        cover: options.flatCovers ? 1 : Math.fround(0.25 + random() * 50),
      };
    }
    const leafSide = options.chain ? (random() < 0.5 ? 0 : 1) : -1;
    const onTrue = grow(leafSide === 0 ? options.maxDepth : depth + 1);
    const onFalse = grow(leafSide === 1 ? options.maxDepth : depth + 1);
    return {
      kind: 'branch',
      mode: pick(modes),
      feature: Math.floor(random() * options.nFeatures),
      threshold: random() < 0.7 ? pick(GRID) : Math.fround(random() * 4 - 2),
      missingTracksTrue: random() < 0.5,
      // float32 sums, as XGBoost stores them: the children need not add up exactly to their parent.
      cover: options.flatCovers ? 1 : Math.fround(onTrue.cover + onFalse.cover),
      onTrue,
      onFalse,
    };
  };
  return {
    nFeatures: options.nFeatures,
    trees: Array.from({ length: options.nTrees }, () => grow(0)),
    base: options.dyadic ? Math.round(random() * 64 - 32) / 64 : Math.fround(random() - 0.5),
  };
}

/** Rows on the split grid, off it, and missing. */
export function randomRows(seed: number, count: number, nFeatures: number, missingChance = 0.15): number[][] {
  const random = prng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: nFeatures }, () => {
      const u = random();
      if (u < missingChance) return NaN;
      if (u < 0.6) return GRID[Math.floor(random() * GRID.length)]!;
      return random() * 6 - 3;
    }),
  );
}
