import type { Forest } from './forest.ts';
import { goesLeft } from './predict.ts';

/** Sign bit of a node's mask: still set when the row itself reaches the node. */
const REACHED_OFF = 0x7fffffff;

/**
 * Runs one row through one tree at a time, visiting every branch node once (preorder puts a parent before its
 * children): for each node, indexed from the tree's first node, the mask of path slots the row satisfies (sign
 * bit set when the row reaches the node), and for each branch node whether the row goes left.
 */
export class Traversal {
  readonly mask: Int32Array;
  readonly wentLeft: Uint8Array;
  /** Branch nodes of tree t are branchNode[branchStart[t] .. branchStart[t + 1]). */
  private readonly branchStart: Int32Array;
  private readonly branchNode: Int32Array;

  constructor(
    private readonly forest: Forest,
    private readonly clearMask: Int32Array,
  ) {
    let size = 0;
    const branches: number[] = [];
    this.branchStart = new Int32Array(forest.nTrees + 1);
    for (let t = 0; t < forest.nTrees; t++) {
      this.branchStart[t] = branches.length;
      size = Math.max(size, forest.treeStart[t + 1]! - forest.treeStart[t]!);
      for (let n = forest.treeStart[t]!; n < forest.treeStart[t + 1]!; n++)
        if (forest.feature[n]! >= 0) branches.push(n);
    }
    this.branchStart[forest.nTrees] = branches.length;
    this.branchNode = Int32Array.from(branches);
    this.mask = new Int32Array(size);
    this.wentLeft = new Uint8Array(size);
  }

  /** Runs the row at x[offset ..] through tree `tree`. */
  run(tree: number, x: Float64Array, offset: number): void {
    const { forest, clearMask, mask, wentLeft, branchNode } = this;
    const { feature, left, right } = forest;
    const start = forest.treeStart[tree]!;
    mask[0] = -1;
    for (let b = this.branchStart[tree]!; b < this.branchStart[tree + 1]!; b++) {
      const n = branchNode[b]!;
      // Branch-free: the side a row takes is unpredictable, and a mispredicted branch costs more than both sides.
      const side = goesLeft(forest, n, x[offset + feature[n]!]!) ? 1 : 0;
      const m = mask[n - start]!;
      const off = m & clearMask[n]! & REACHED_OFF;
      const flip = (m ^ off) & (side - 1);
      mask[left[n]! - start] = m ^ flip;
      mask[right[n]! - start] = off ^ flip;
      wentLeft[n - start] = side;
    }
  }
}
