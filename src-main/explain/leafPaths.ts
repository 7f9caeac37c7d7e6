import type { Forest } from './forest.ts';

/** Bits available for a leaf's features in an int32 mask (the sign bit is left alone). */
export const MASK_SLOTS = 31;

/**
 * Every leaf's path from its root, reduced to the distinct features it tests (the leaf's "slots", numbered in the
 * order they first appear on the path, so a node's slot is the same for every leaf below it). A row's traversal
 * clears a slot's bit on the side of a split the row does not take; the bits left at a leaf say which path
 * features the row satisfies, which is all TreeSHAP needs to know about the row at that leaf.
 *
 * With `playerOf` (feature → player, for Shapley values of groups of features), a slot is a distinct player on the
 * path instead: its bit stays set only when the row satisfies every split of the path on that player's features.
 */
export interface LeafPaths {
  /** Leaves of tree t are [leafStart[t], leafStart[t + 1]), in preorder. */
  leafStart: Int32Array;
  leafNode: Int32Array;
  /** Slots of leaf l are [slotStart[l], slotStart[l + 1]). */
  slotStart: Int32Array;
  /** The feature of each slot (its player, when built with `playerOf`). */
  slotFeature: Int32Array;
  /**
   * Per slot, the share of training data that goes the leaf's way at the path's splits on that feature (product
   * of child cover / parent cover). Empty when built without covers.
   */
  slotZero: Float64Array;
  /** Per branch node: ~(1 << its slot), or -1 when the slot has no bit (slot ≥ MASK_SLOTS). */
  clearMask: Int32Array;
  maxSlots: number;
}

export function buildLeafPaths(forest: Forest, withCovers: boolean, playerOf?: ArrayLike<number>): LeafPaths {
  const cover = forest.cover;
  if (withCovers && !cover) throw new Error('leaf paths with covers need a forest with covers');
  if (playerOf && playerOf.length !== forest.nFeatures) {
    throw new Error(`leaf paths: ${playerOf.length} players given for ${forest.nFeatures} features`);
  }
  const keyOf = (feature: number) => (playerOf ? playerOf[feature]! : feature);
  let keys = forest.nFeatures;
  if (playerOf) for (let j = 0; j < playerOf.length; j++) keys = Math.max(keys, playerOf[j]! + 1);
  const leafStart = new Int32Array(forest.nTrees + 1);
  const leafNode: number[] = [];
  const slotStart: number[] = [0];
  const slotFeature: number[] = [];
  const slotZero: number[] = [];
  const clearMask = new Int32Array(forest.feature.length).fill(-1);
  let maxSlots = 0;

  const slotOf = new Int32Array(keys).fill(-1);
  const features: number[] = [];
  const zeros: number[] = [];

  const visit = (node: number, slots: number): void => {
    const feature = forest.feature[node]!;
    if (feature < 0) {
      leafNode.push(node);
      for (let s = 0; s < slots; s++) {
        slotFeature.push(features[s]!);
        if (withCovers) slotZero.push(zeros[s]!);
      }
      slotStart.push(slotFeature.length);
      maxSlots = Math.max(maxSlots, slots);
      return;
    }
    const key = keyOf(feature);
    let slot = slotOf[key]!;
    const isNew = slot < 0;
    if (isNew) {
      slot = slots;
      slotOf[key] = slot;
      features[slot] = key;
      zeros[slot] = 1;
    }
    clearMask[node] = slot < MASK_SLOTS ? ~(1 << slot) : -1;
    for (const child of [forest.left[node]!, forest.right[node]!]) {
      const saved = zeros[slot]!;
      if (withCovers) zeros[slot] = saved * (cover![child]! / cover![node]!);
      visit(child, isNew ? slots + 1 : slots);
      zeros[slot] = saved;
    }
    if (isNew) slotOf[key] = -1;
  };

  for (let t = 0; t < forest.nTrees; t++) {
    leafStart[t] = leafNode.length;
    visit(forest.treeStart[t]!, 0);
  }
  leafStart[forest.nTrees] = leafNode.length;
  return {
    leafStart,
    leafNode: Int32Array.from(leafNode),
    slotStart: Int32Array.from(slotStart),
    slotFeature: Int32Array.from(slotFeature),
    slotZero: Float64Array.from(slotZero),
    clearMask,
    maxSlots,
  };
}
