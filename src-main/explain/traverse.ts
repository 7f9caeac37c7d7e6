import type { Forest } from './forest.ts';
import { goesLeft } from './predict.ts';

/** Sign bit of a node's mask: still set when the row itself reaches the node. */
const REACHED_OFF = 0x7fffffff;

/**
 * One row through one tree, every branch node visited once (preorder puts a parent before its children): for each
 * node (indexed from the tree's first node) the mask of path slots the row satisfies, sign bit set when the row
 * reaches it, and for each branch node whether the row goes left.
 */
export function traverseTree(
  forest: Forest,
  clearMask: Int32Array,
  tree: number,
  x: Float64Array,
  mask: Int32Array,
  wentLeft: Uint8Array,
): void {
  const { feature, left, right } = forest;
  const start = forest.treeStart[tree]!;
  const end = forest.treeStart[tree + 1]!;
  mask[0] = -1;
  for (let n = start; n < end; n++) {
    const f = feature[n]!;
    if (f < 0) continue;
    const m = mask[n - start]!;
    const off = m & clearMask[n]! & REACHED_OFF;
    if (goesLeft(forest, n, x[f]!)) {
      wentLeft[n - start] = 1;
      mask[left[n]! - start] = m;
      mask[right[n]! - start] = off;
    } else {
      wentLeft[n - start] = 0;
      mask[left[n]! - start] = off;
      mask[right[n]! - start] = m;
    }
  }
}

export function largestTree(forest: Forest): number {
  let size = 0;
  for (let t = 0; t < forest.nTrees; t++)
    size = Math.max(size, forest.treeStart[t + 1]! - forest.treeStart[t]!);
  return size;
}
