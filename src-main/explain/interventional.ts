import { buildLeafPaths, MASK_SLOTS, type LeafPaths } from './leafPaths.ts';
import { TreeModelError } from './modelError.ts';
import type { TreeModel } from './onnxTrees.ts';
import { toComparisonPrecision } from './predict.ts';
import { Traversal } from './traverse.ts';

/**
 * Exact interventional TreeSHAP over a background sample (Lundberg et al. 2020): for each background row z, the
 * Shapley values of the game "features in S take the row's values, the others z's", averaged over the sample.
 *
 * Per leaf, what matters about a row is which of the leaf's path features it satisfies (a mask). If x and z both
 * fail some feature the leaf is out of reach; otherwise, with a features that only x satisfies and b that only z
 * does, the leaf's value v goes +v·(a−1)!b!/(a+b)! to each of the a and −v·a!(b−1)!/(a+b)! to each of the b.
 * Background rows are reduced, per leaf, to their distinct masks with a count, once; a row then costs one pass
 * over each leaf's distinct background masks instead of one traversal per background row.
 *
 * With `playerOf` (feature → player), the players of the game are groups of features (the reason families):
 * "the players in S take the row's values". A leaf's slots are then its distinct players, a player being satisfied
 * when all the path's splits on its features are, and the same shares go to players: exact Shapley values of the
 * groups, which differ from the sums of the features' own values when features of a group interact with others.
 * SHAP values are then written per player (0 … players − 1).
 */
export class InterventionalShap {
  readonly bias: number;
  private readonly model: TreeModel;
  private readonly paths: LeafPaths;
  /** Distinct background masks of leaf l are [groupStart[l], groupStart[l + 1]). */
  private readonly groupStart: Int32Array;
  private readonly groupMask: Int32Array;
  /** Leaf value × share of the background with that mask. */
  private readonly groupWeight: Float64Array;
  private readonly traversal: Traversal;

  constructor(model: TreeModel, background: Float64Array, rows: number, playerOf?: ArrayLike<number>) {
    const { forest } = model;
    const n = forest.nFeatures;
    if (rows === 0) throw new Error('interventional TreeSHAP needs at least one background row');
    if (background.length !== rows * n) {
      throw new Error(`background: ${background.length} values for ${rows} rows × ${n} features`);
    }
    this.model = model;
    const paths = buildLeafPaths(forest, false, playerOf);
    if (paths.maxSlots > MASK_SLOTS) {
      throw new TreeModelError(
        model.file,
        `a path tests ${paths.maxSlots} distinct ${playerOf ? 'groups of ' : ''}features; interventional TreeSHAP handles at most ${MASK_SLOTS}`,
      );
    }
    this.paths = paths;
    this.traversal = new Traversal(forest, paths.clearMask);

    const nLeaves = paths.leafNode.length;
    const counts = Array.from({ length: nLeaves }, () => new Map<number, number>());
    const x = new Float64Array(n);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      toComparisonPrecision(model, background, r * n, x);
      total += this.forEachLeaf(x, (l, leafMask) => {
        const map = counts[l]!;
        map.set(leafMask, (map.get(leafMask) ?? 0) + 1);
      });
    }
    this.bias = model.base + total / rows;

    this.groupStart = new Int32Array(nLeaves + 1);
    let groups = 0;
    for (let l = 0; l < nLeaves; l++) groups += counts[l]!.size;
    this.groupMask = new Int32Array(groups);
    this.groupWeight = new Float64Array(groups);
    let g = 0;
    for (let l = 0; l < nLeaves; l++) {
      this.groupStart[l] = g;
      const value = forest.value[paths.leafNode[l]!]!;
      for (const [leafMask, count] of counts[l]!) {
        this.groupMask[g] = leafMask;
        this.groupWeight[g++] = (value * count) / rows;
      }
    }
    this.groupStart[nLeaves] = g;
  }

  /**
   * Explains `rows` rows of `x` (row-major, in the model's comparison precision): adds each row's SHAP values to
   * shap[r · width ..] and its margin to margins[r]. Tree by tree over the block, which keeps a tree's background
   * masks in cache from one row to the next.
   */
  explainBlock(
    x: Float64Array,
    rows: number,
    shap: Float64Array,
    width: number,
    margins: Float64Array,
  ): void {
    const { forest } = this.model;
    const { leafStart, leafNode, slotStart } = this.paths;
    const { traversal } = this;
    const mask = traversal.mask;
    for (let r = 0; r < rows; r++) margins[r] = this.model.base;
    for (let t = 0; t < forest.nTrees; t++) {
      const start = forest.treeStart[t]!;
      for (let r = 0; r < rows; r++) {
        traversal.run(t, x, r * forest.nFeatures);
        for (let l = leafStart[t]!; l < leafStart[t + 1]!; l++) {
          const m = mask[leafNode[l]! - start]!;
          if (m < 0) margins[r] = margins[r]! + forest.value[leafNode[l]!]!;
          this.addLeafShares(l, m & fullMask(slotStart[l + 1]! - slotStart[l]!), shap, r * width);
        }
      }
    }
  }

  /** Leaf l's shares against every distinct background mask, for a row satisfying the slots in `ax`. */
  private addLeafShares(l: number, ax: number, shap: Float64Array, at: number): void {
    const { slotStart, slotFeature } = this.paths;
    const { groupStart, groupMask, groupWeight } = this;
    const s0 = slotStart[l]!;
    const full = fullMask(slotStart[l + 1]! - s0);
    for (let g = groupStart[l]!; g < groupStart[l + 1]!; g++) {
      const az = groupMask[g]!;
      if ((ax | az) !== full) continue;
      const onlyX = ax & ~az;
      const onlyZ = az & ~ax;
      if ((onlyX | onlyZ) === 0) continue;
      const a = bitCount(onlyX);
      const b = bitCount(onlyZ);
      const weight = groupWeight[g]!;
      if (a > 0) {
        const share = weight * SHAPLEY_X[a * WEIGHT_SIDE + b]!;
        for (let bits = onlyX; bits !== 0; bits &= bits - 1)
          shap[at + slotFeature[s0 + lowestBit(bits)]!]! += share;
      }
      if (b > 0) {
        const share = weight * SHAPLEY_Z[a * WEIGHT_SIDE + b]!;
        for (let bits = onlyZ; bits !== 0; bits &= bits - 1)
          shap[at + slotFeature[s0 + lowestBit(bits)]!]! -= share;
      }
    }
  }

  /**
   * Runs a background row through every tree and calls `visit` with each leaf and the mask of its path features
   * the row satisfies; returns the sum of the leaves the row reaches.
   */
  private forEachLeaf(x: Float64Array, visit: (leaf: number, satisfied: number) => void): number {
    const { forest } = this.model;
    const { leafStart, leafNode, slotStart } = this.paths;
    const { traversal } = this;
    const mask = traversal.mask;
    let sum = 0;
    for (let t = 0; t < forest.nTrees; t++) {
      const start = forest.treeStart[t]!;
      traversal.run(t, x, 0);
      for (let l = leafStart[t]!; l < leafStart[t + 1]!; l++) {
        const m = mask[leafNode[l]! - start]!;
        if (m < 0) sum += forest.value[leafNode[l]!]!;
        visit(l, m & fullMask(slotStart[l + 1]! - slotStart[l]!));
      }
    }
    return sum;
  }
}

function fullMask(slots: number): number {
  return slots >= 31 ? 0x7fffffff : (1 << slots) - 1;
}

function bitCount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

const WEIGHT_SIDE = MASK_SLOTS + 1;
/** (a−1)!b!/(a+b)! and a!(b−1)!/(a+b)!, by a · WEIGHT_SIDE + b. */
const SHAPLEY_X = new Float64Array(WEIGHT_SIDE * WEIGHT_SIDE);
const SHAPLEY_Z = new Float64Array(WEIGHT_SIDE * WEIGHT_SIDE);
for (let a = 0; a < WEIGHT_SIDE; a++) {
  for (let b = 0; b < WEIGHT_SIDE; b++) {
    // a!b!/(a+b)! = 1 / C(a+b, a)
    let choose = 1;
    for (let i = 1; i <= a; i++) choose = (choose * (b + i)) / i;
    if (a > 0) SHAPLEY_X[a * WEIGHT_SIDE + b] = 1 / (a * choose);
    if (b > 0) SHAPLEY_Z[a * WEIGHT_SIDE + b] = 1 / (b * choose);
  }
}
