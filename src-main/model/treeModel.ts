import type { FeatureMatrix } from './featureMatrix.ts';

/**
 * A trained ensemble in the form the ONNX file stores: each internal node sends a row left when
 * float32(x) <= threshold (NaN goes left when `defaultLeft`), leaf values already include the learning rate, and
 * the margin is baseMargin + Σ leaf values. Thresholds and leaf values are float32 values, so the trainer's
 * predictions and onnxruntime's compare and add the very same numbers.
 */
export interface Tree {
  /** Split feature per node; −1 for a leaf. */
  feature: Int32Array;
  /** The split's bin in the training binning (left = bins ≤ this one). */
  bin: Int32Array;
  threshold: Float32Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf value (margin contribution); 0 on internal nodes. */
  value: Float32Array;
  /** Hessian sum of the training rows that reached the node (XGBoost's cover), for TreeSHAP. */
  cover: Float64Array;
  /** Training rows that reached the node. */
  count: Int32Array;
  /** Loss reduction of the node's split (0 on leaves), for gain importance. */
  gain: Float64Array;
}

export interface TreeModel {
  featureNames: readonly string[];
  baseMargin: number;
  trees: Tree[];
}

export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-margin));
}

/** The leaf a row of raw values reaches: `valueAt(f)` gives the row's value of feature f. */
function leafOf(tree: Tree, valueAt: (f: number) => number): number {
  let n = 0;
  while (tree.feature[n]! >= 0) {
    const x = valueAt(tree.feature[n]!);
    const goLeft = x !== x ? tree.defaultLeft[n] === 1 : Math.fround(x) <= tree.threshold[n]!;
    n = goLeft ? tree.left[n]! : tree.right[n]!;
  }
  return n;
}

/** Margins (log-odds) of every row of a column-major matrix whose features are the model's, in its order. */
export function predictMargins(model: TreeModel, matrix: FeatureMatrix): Float64Array {
  if (matrix.featureNames.length !== model.featureNames.length) {
    throw new Error(
      `the model has ${model.featureNames.length} features, the matrix ${matrix.featureNames.length}`,
    );
  }
  const { rows, values } = matrix;
  const margins = new Float64Array(rows).fill(model.baseMargin);
  for (const tree of model.trees) {
    for (let r = 0; r < rows; r++) {
      margins[r] = margins[r]! + tree.value[leafOf(tree, (f) => values[f * rows + r]!)]!;
    }
  }
  return margins;
}

/** Probabilities of the positive class for every row of a column-major matrix. */
export function predictProbabilities(model: TreeModel, matrix: FeatureMatrix): Float64Array {
  return predictMargins(model, matrix).map(sigmoid);
}

/**
 * The model whose margin is a·m + b where this one's is m: leaves scaled, base shifted. The new values are
 * rounded to float32 once, here, so the trainer's predictions and the exported file still agree exactly.
 */
export function affineMarginModel(model: TreeModel, a: number, b: number): TreeModel {
  return {
    featureNames: model.featureNames,
    baseMargin: Math.fround(a * model.baseMargin + b),
    trees: model.trees.map((tree) => ({ ...tree, value: tree.value.map((v) => a * v) })),
  };
}
