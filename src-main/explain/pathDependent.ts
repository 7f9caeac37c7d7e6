import { buildLeafPaths, type LeafPaths } from './leafPaths.ts';
import { buildLeafTables } from './leafTables.ts';
import { NodeQuadrature } from './nodeQuadrature.ts';
import type { TreeModel } from './onnxTrees.ts';
import { Traversal } from './traverse.ts';

export interface PathDependentOptions {
  /** Trees with a leaf testing more distinct features than this get no tables (a leaf's has 2^slots entries). */
  maxTableSlots?: number;
  /** Bound on all tables together, in float64 entries; the slot limit is lowered until they fit. */
  maxTableEntries?: number;
}

const DEFAULT_MAX_TABLE_SLOTS = 10;
const DEFAULT_MAX_TABLE_ENTRIES = 1 << 23;
/**
 * Fewer rows than this are explained node by node, tables or not: megabytes of tables read for one row cost more
 * than the arithmetic they save, while a block of rows reads each tree's tables once for all of them.
 */
const TABLE_ROWS = 4;

/**
 * Exact path-dependent TreeSHAP (the values of Lundberg et al. 2018, Algorithm 2, as XGBoost's pred_contribs),
 * organised per leaf. Leaf l with value v and distinct path features P (d of them, zero fractions z) contributes
 * to feature i ∈ P, for a row satisfying the path's conditions on the features A ⊆ P,
 *   i ∈ A: v (1 − z_i) Σ_{S ⊆ A∖i} w(|S|) Π_{j ∈ P∖S∖i} z_j        i ∉ A: −v Σ_{S ⊆ A} w(|S|) Π_{j ∈ P∖S} z_j
 * with the Shapley weights w(k) = k!(d − k − 1)!/d!. Writing H(B) = v Σ_{S ⊆ B} w(|S|) Π_{j ∈ P∖S} z_j, these are
 * (1 − z_i)/z_i · H(A∖i) and −H(A). H depends on the model only, so as in Fast TreeSHAP v2 (Yang 2021) it is
 * tabulated once for every B ⊆ P, and a row costs one table read per path feature per leaf.
 *
 * Tables grow as 2^d: trees with deeper paths are computed node by node instead (NodeQuadrature), in time linear
 * in their size and with little memory; so is a single row (one client), for which the tables would mostly be
 * read from main memory.
 */
export class PathDependentShap {
  readonly bias: number;
  /** Trees with tables, and the tables' size in float64 entries. */
  readonly tabulatedTrees: number;
  readonly tableEntries: number;
  private readonly model: TreeModel;
  private readonly paths: LeafPaths;
  private readonly tabulated: Uint8Array;
  /** Start of each leaf's table in `tables`. */
  private readonly tableStart: Int32Array;
  private readonly tables: Float64Array;
  /** Per slot: (1 − z) / z, the factor turning H(A∖i) into feature i's share. */
  private readonly ratio: Float64Array;
  private readonly byNode: NodeQuadrature;
  private readonly traversal: Traversal;

  constructor(model: TreeModel, options: PathDependentOptions = {}) {
    this.model = model;
    const { forest } = model;
    const paths = buildLeafPaths(forest, true);
    this.paths = paths;

    const zero = paths.slotZero;
    this.ratio = zero.map((z) => (1 - z) / z);
    let bias = model.base;
    for (let l = 0; l < paths.leafNode.length; l++) {
      let reach = forest.value[paths.leafNode[l]!]!;
      for (let s = paths.slotStart[l]!; s < paths.slotStart[l + 1]!; s++) reach *= zero[s]!;
      bias += reach;
    }
    this.bias = bias;

    const tables = buildLeafTables(paths, forest.value, {
      maxSlots: options.maxTableSlots ?? DEFAULT_MAX_TABLE_SLOTS,
      maxEntries: options.maxTableEntries ?? DEFAULT_MAX_TABLE_ENTRIES,
    });
    this.tabulated = tables.tabulated;
    this.tableStart = tables.start;
    this.tables = tables.values;
    this.tabulatedTrees = tables.tabulated.reduce((sum, flag) => sum + flag, 0);
    this.tableEntries = tables.values.length;

    this.byNode = new NodeQuadrature(forest, (t) => {
      let slots = 0;
      for (let l = paths.leafStart[t]!; l < paths.leafStart[t + 1]!; l++) {
        slots = Math.max(slots, paths.slotStart[l + 1]! - paths.slotStart[l]!);
      }
      return slots;
    });
    this.traversal = new Traversal(forest, paths.clearMask);
  }

  /**
   * Explains `rows` rows of `x` (row-major, already in the model's comparison precision): adds each row's SHAP
   * values to shap[r · width ..] and its margin to margins[r]. Tree by tree over the whole block, so that a tree's
   * tables stay in cache from one row to the next.
   */
  explainBlock(
    x: Float64Array,
    rows: number,
    shap: Float64Array,
    width: number,
    margins: Float64Array,
  ): void {
    const { forest } = this.model;
    const n = forest.nFeatures;
    const { leafStart, leafNode, slotStart, slotFeature } = this.paths;
    const { traversal, tabulated, tableStart, tables, ratio, byNode } = this;
    const mask = traversal.mask;
    const value = forest.value;
    for (let r = 0; r < rows; r++) margins[r] = this.model.base;
    if (rows < TABLE_ROWS) {
      for (let r = 0; r < rows; r++) {
        for (let t = 0; t < forest.nTrees; t++) {
          traversal.run(t, x, r * n);
          margins[r] = margins[r]! + byNode.explainTree(t, traversal.wentLeft, shap, r * width);
        }
      }
      return;
    }
    for (let t = 0; t < forest.nTrees; t++) {
      const start = forest.treeStart[t]!;
      for (let r = 0; r < rows; r++) {
        traversal.run(t, x, r * n);
        const at = r * width;
        if (!tabulated[t]) {
          margins[r] = margins[r]! + byNode.explainTree(t, traversal.wentLeft, shap, at);
          continue;
        }
        for (let l = leafStart[t]!; l < leafStart[t + 1]!; l++) {
          const node = leafNode[l]!;
          const m = mask[node - start]!;
          if (m < 0) margins[r] = margins[r]! + value[node]!;
          const s0 = slotStart[l]!;
          const d = slotStart[l + 1]! - s0;
          const offset = tableStart[l]!;
          // Branch-free: whether the row satisfies a slot is a coin flip the branch predictor would lose.
          const a = m & ((1 << d) - 1);
          for (let i = 0; i < d; i++) {
            const inside = (a >>> i) & 1;
            const coefficient = inside * (ratio[s0 + i]! + 1) - 1;
            shap[at + slotFeature[s0 + i]!]! += coefficient * tables[offset + (a ^ ((1 << i) & -inside))]!;
          }
        }
      }
    }
  }
}
