import type { BinnedMatrix } from './binning.ts';
import type { BoosterParams } from './boosterParams.ts';
import type { HistogramEngine } from './histogramEngine.ts';
import { histogramKernel, type HistogramKernel } from './kernelMemory.ts';
import type { LeafTotals } from './histogramTask.ts';
import { SPLIT_STRIDE, leafValue, type SplitRules } from './splitKernel.ts';
import type { Tree } from './treeModel.ts';

interface SplitChoice {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** The left child's totals. */
  left: LeafTotals;
}

interface OpenLeaf extends LeafTotals {
  node: number;
  begin: number;
  end: number;
  depth: number;
  /** Histogram slot, −1 when the leaf will not be split. */
  slot: number;
  best: SplitChoice | undefined;
}

export interface GrownTree {
  tree: Tree;
  /** The leaves' rows in the partition: node, begin, end per leaf. */
  leafRanges: Int32Array;
}

/**
 * Grows one tree leaf-wise (best-first, as LightGBM and XGBoost's lossguide): the leaf whose best split gains most
 * is split next, until num_leaves leaves or no split gains more than min_split_gain. Each split partitions its
 * leaf's rows in place, builds the histogram of the smaller child only and gets the larger one by subtraction.
 */
export class TreeGrower {
  private readonly rules: SplitRules;
  private readonly kernel: HistogramKernel;

  constructor(
    private readonly engine: HistogramEngine,
    private readonly data: BinnedMatrix,
    private readonly params: BoosterParams,
  ) {
    if (engine.shared.bins !== data.bins)
      throw new Error('the histogram engine was started on another matrix');
    if (engine.shared.slots < params.numLeaves) {
      throw new Error(
        `the histogram engine holds ${engine.shared.slots} leaves, num_leaves is ${params.numLeaves}`,
      );
    }
    this.kernel = histogramKernel(engine.shared.memory);
    this.rules = {
      regAlpha: params.regAlpha,
      regLambda: params.regLambda,
      minChildWeight: params.minChildWeight,
      minDataInLeaf: params.minDataInLeaf,
    };
  }

  /**
   * Grows a tree on the rows order[0..rowCount) of the engine's partition, whose gradients are in orderedGh,
   * with the features active[0..activeCount). `alongside` runs on this thread while the workers build the root's
   * histogram (the longest job), or at once when the root is not split.
   */
  async grow(rowCount: number, activeCount: number, alongside?: () => void): Promise<GrownTree> {
    const { orderedGh } = this.engine.shared;
    const p = this.params;
    const freeSlots = Array.from({ length: p.numLeaves }, (_, i) => p.numLeaves - 1 - i);
    const nodes = new NodeList();
    let g = 0;
    let h = 0;
    for (let i = 0; i < rowCount; i++) {
      g += orderedGh[2 * i]!;
      h += orderedGh[2 * i + 1]!;
    }
    const root: OpenLeaf = {
      node: nodes.add(h, rowCount),
      begin: 0,
      end: rowCount,
      g,
      h,
      c: rowCount,
      depth: 0,
      slot: -1,
      best: undefined,
    };
    const leaves = [root];
    if (!this.canSplit(root)) alongside?.();
    else {
      root.slot = freeSlots.pop()!;
      const built = this.engine.run({
        begin: 0,
        end: rowCount,
        buildSlot: root.slot,
        parentSlot: -1,
        small: root,
        large: root,
        findSmall: true,
        findLarge: false,
        activeCount,
        rules: this.rules,
      });
      try {
        alongside?.();
      } finally {
        await built;
      }
      root.best = this.bestSplit(0, activeCount);
    }
    while (leaves.length < p.numLeaves) {
      let chosen = -1;
      for (let i = 0; i < leaves.length; i++) {
        const best = leaves[i]!.best;
        if (best && (chosen < 0 || best.gain > leaves[chosen]!.best!.gain)) chosen = i;
      }
      if (chosen < 0) break;
      const parent = leaves[chosen]!;
      const split = parent.best!;
      const mid = this.partition(parent, split);
      if (mid - parent.begin !== split.left.c) {
        throw new Error(
          `internal error: the partition sent ${mid - parent.begin} rows left, the histogram ${split.left.c}`,
        );
      }
      const leftTotals = split.left;
      const rightTotals = {
        g: parent.g - leftTotals.g,
        h: parent.h - leftTotals.h,
        c: parent.c - leftTotals.c,
      };
      const left: OpenLeaf = {
        ...leftTotals,
        node: nodes.add(leftTotals.h, leftTotals.c),
        begin: parent.begin,
        end: mid,
        depth: parent.depth + 1,
        slot: -1,
        best: undefined,
      };
      const right: OpenLeaf = {
        ...rightTotals,
        node: nodes.add(rightTotals.h, rightTotals.c),
        begin: mid,
        end: parent.end,
        depth: parent.depth + 1,
        slot: -1,
        best: undefined,
      };
      const edges = this.data.thresholds[split.feature]!;
      // The last value bin as threshold isolates the missing values: every number is ≤ +∞.
      const threshold = split.bin < edges.length ? edges[split.bin]! : Infinity;
      nodes.split(parent.node, split, threshold, left.node, right.node);
      leaves[chosen] = left;
      leaves.push(right);
      // The tree is complete: the children's splits would never be used.
      if (leaves.length === p.numLeaves) break;
      const [small, large] = left.c <= right.c ? [left, right] : [right, left];
      const findSmall = this.canSplit(small);
      const findLarge = this.canSplit(large);
      if (!findSmall && !findLarge) {
        freeSlots.push(parent.slot);
        continue;
      }
      small.slot = freeSlots.pop()!;
      large.slot = parent.slot;
      await this.engine.run({
        begin: small.begin,
        end: small.end,
        buildSlot: small.slot,
        parentSlot: findLarge ? parent.slot : -1,
        small,
        large,
        findSmall,
        findLarge,
        activeCount,
        rules: this.rules,
      });
      small.best = findSmall ? this.bestSplit(0, activeCount) : undefined;
      large.best = findLarge ? this.bestSplit(1, activeCount) : undefined;
      for (const leaf of [small, large]) {
        if (!leaf.best) freeSlots.push(leaf.slot);
      }
    }
    const leafRanges = new Int32Array(3 * leaves.length);
    leaves.forEach((leaf, i) => {
      const value = leafValue(leaf.g, leaf.h, p.regAlpha, p.regLambda) * p.learningRate;
      nodes.setLeafValue(leaf.node, value);
      leafRanges.set([leaf.node, leaf.begin, leaf.end], 3 * i);
    });
    return { tree: nodes.toTree(), leafRanges };
  }

  private canSplit(leaf: OpenLeaf): boolean {
    const p = this.params;
    return (
      (p.maxDepth <= 0 || leaf.depth < p.maxDepth) &&
      leaf.c >= 2 * p.minDataInLeaf &&
      leaf.h >= 2 * p.minChildWeight
    );
  }

  /** The best split over the active features (the first on ties), if it gains more than min_split_gain. */
  private bestSplit(side: 0 | 1, activeCount: number): SplitChoice | undefined {
    const { splits, active, features } = this.engine.shared;
    const base = side * features * SPLIT_STRIDE;
    let bestGain = this.params.minSplitGain;
    let bestAt = -1;
    for (let a = 0; a < activeCount; a++) {
      const o = base + active[a]! * SPLIT_STRIDE;
      if (splits[o]! > bestGain) {
        bestGain = splits[o]!;
        bestAt = o;
      }
    }
    if (bestAt < 0) return undefined;
    return {
      gain: bestGain,
      feature: (bestAt - base) / SPLIT_STRIDE,
      bin: splits[bestAt + 1]!,
      missingLeft: splits[bestAt + 2] === 1,
      left: { g: splits[bestAt + 3]!, h: splits[bestAt + 4]!, c: splits[bestAt + 5]! },
    };
  }

  /** Stable in-place partition of the leaf's rows (and their gradients): left child first. Returns the boundary. */
  private partition(leaf: OpenLeaf, split: SplitChoice): number {
    const { order, orderedGh, spillOrder, spillGh } = this.engine.shared;
    const { bins, rows, valueBins } = this.data;
    return this.kernel.partition(
      bins.byteOffset + split.feature * rows,
      order.byteOffset,
      orderedGh.byteOffset,
      leaf.begin,
      leaf.end,
      split.bin,
      valueBins[split.feature]!,
      split.missingLeft ? 1 : 0,
      spillOrder.byteOffset,
      spillGh.byteOffset,
    );
  }
}

/** A tree under construction: nodes appended as leaves split. */
class NodeList {
  private readonly feature: number[] = [];
  private readonly bin: number[] = [];
  private readonly threshold: number[] = [];
  private readonly defaultLeft: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];
  private readonly count: number[] = [];
  private readonly gain: number[] = [];

  add(cover: number, count: number): number {
    this.feature.push(-1);
    this.bin.push(-1);
    this.threshold.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.cover.push(cover);
    this.count.push(count);
    this.gain.push(0);
    return this.feature.length - 1;
  }

  split(node: number, choice: SplitChoice, threshold: number, left: number, right: number): void {
    this.feature[node] = choice.feature;
    this.bin[node] = choice.bin;
    this.threshold[node] = threshold;
    this.defaultLeft[node] = choice.missingLeft ? 1 : 0;
    this.gain[node] = choice.gain;
    this.left[node] = left;
    this.right[node] = right;
  }

  setLeafValue(node: number, value: number): void {
    this.value[node] = value;
  }

  toTree(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      bin: Int32Array.from(this.bin),
      threshold: Float32Array.from(this.threshold),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float32Array.from(this.value),
      cover: Float64Array.from(this.cover),
      count: Int32Array.from(this.count),
      gain: Float64Array.from(this.gain),
    };
  }
}
