import { OP_LE, OP_LT, type Forest } from './forest.ts';
import type { TreeModel } from './onnxTrees.ts';

/**
 * Copies a row into the precision onnxruntime compares in (float32 for a float model), so that every split sends
 * it where onnxruntime would. SHAP values are still computed in float64 from the leaf values.
 */
export function toComparisonPrecision(
  model: TreeModel,
  rows: Float64Array,
  offset: number,
  out: Float64Array,
): Float64Array {
  const n = model.forest.nFeatures;
  if (model.float32Inputs) for (let j = 0; j < n; j++) out[j] = Math.fround(rows[offset + j]!);
  else for (let j = 0; j < n; j++) out[j] = rows[offset + j]!;
  return out;
}

/** Whether a value (already in comparison precision) goes to the node's `left` child. */
export function goesLeft(forest: Forest, node: number, value: number): boolean {
  if (value !== value) return forest.nanLeft[node] === 1;
  const threshold = forest.threshold[node]!;
  const op = forest.op[node];
  return op === OP_LT ? value < threshold : op === OP_LE ? value <= threshold : value === threshold;
}

export function reachedLeaf(forest: Forest, tree: number, x: Float64Array): number {
  let node = forest.treeStart[tree]!;
  while (forest.feature[node]! >= 0) {
    node = goesLeft(forest, node, x[forest.feature[node]!]!) ? forest.left[node]! : forest.right[node]!;
  }
  return node;
}

/** The raw score (log-odds for a logistic model) in float64: base plus the leaf each tree sends the row to. */
export function rawMargin(model: TreeModel, x: Float64Array): number {
  const { forest } = model;
  let sum = model.base;
  for (let t = 0; t < forest.nTrees; t++) sum += forest.value[reachedLeaf(forest, t, x)]!;
  return sum;
}

/** The model's output for the positive class given its margin (its post_transform). */
export function outputOf(model: TreeModel, margin: number): number {
  return model.postTransform === 'LOGISTIC' ? 1 / (1 + Math.exp(-margin)) : margin;
}
