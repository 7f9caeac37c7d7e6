import { gaussLegendre, type Quadrature } from './gaussLegendre.ts';
import { buildLeafTables } from './leafTables.ts';
import { buildLeafPaths, MASK_SLOTS, type LeafPaths } from './leafPaths.ts';
import type { TreeModel } from './onnxTrees.ts';
import { Traversal } from './traverse.ts';

export interface PathDependentOptions {
  /** Leaves testing more distinct features than this get no table (a table has 2^slots entries). */
  maxTableSlots?: number;
  /** Bound on all tables together, in float64 entries; the slot limit is lowered until they fit. */
  maxTableEntries?: number;
}

const DEFAULT_MAX_TABLE_SLOTS = 10;
const DEFAULT_MAX_TABLE_ENTRIES = 1 << 23;

/**
 * Exact path-dependent TreeSHAP (the values of Lundberg et al. 2018, Algorithm 2, as XGBoost's pred_contribs),
 * organised per leaf. Leaf l with value v and distinct path features P (d of them, zero fractions z) contributes
 * to feature i ∈ P, for a row satisfying the path's conditions on the features A ⊆ P,
 *   i ∈ A: v (1 − z_i) Σ_{S ⊆ A∖i} w(|S|) Π_{j ∈ P∖S∖i} z_j        i ∉ A: −v Σ_{S ⊆ A} w(|S|) Π_{j ∈ P∖S} z_j
 * with the Shapley weights w(k) = k!(d − k − 1)!/d!. Writing H(B) = v Σ_{S ⊆ B} w(|S|) Π_{j ∈ P∖S} z_j, these are
 * (1 − z_i)/z_i · H(A∖i) and −H(A). H depends on the model only, so as in Fast TreeSHAP v2 (Yang 2021) it is
 * tabulated once for every B ⊆ P, and a row costs one table read per path feature per leaf.
 *
 * Leaves with too many features for a table use the same sums in integral form,
 * Σ_{S ⊆ B} w(|S|) Π_{j ∈ B∖S} z_j = ∫₀¹ (1 − t)^(d−1−|B|) Π_{j ∈ B} (t + (1 − t) z_j) dt, a polynomial of
 * degree d − 1 that ⌈d/2⌉-point Gauss–Legendre quadrature integrates exactly: O(d²) per leaf, no memory, and every
 * term positive so nothing cancels.
 */
export class PathDependentShap {
  readonly bias: number;
  readonly tableLeaves: number;
  readonly tableEntries: number;
  private readonly model: TreeModel;
  private readonly paths: LeafPaths;
  /** Start of each leaf's table in `tables`, -1 for a leaf without one. */
  private readonly tableStart: Int32Array;
  private readonly tables: Float64Array;
  /** Per slot: (1 − z) / z, the factor turning H(A∖i) into feature i's share. */
  private readonly ratio: Float64Array;
  private readonly quadratures: Quadrature[];
  private readonly traversal: Traversal;
  private readonly satisfied: Uint8Array;
  /** The satisfied slots of the leaf being integrated. */
  private readonly inside: Int32Array;
  private readonly factor: Float64Array;
  private readonly prefix: Float64Array;
  private readonly sum: Float64Array;

  constructor(model: TreeModel, options: PathDependentOptions = {}) {
    this.model = model;
    const { forest } = model;
    const paths = buildLeafPaths(forest, true);
    this.paths = paths;
    const nLeaves = paths.leafNode.length;

    const zero = paths.slotZero;
    this.ratio = zero.map((z) => (1 - z) / z);
    let bias = model.base;
    for (let l = 0; l < nLeaves; l++) {
      let reach = forest.value[paths.leafNode[l]!]!;
      for (let s = paths.slotStart[l]!; s < paths.slotStart[l + 1]!; s++) reach *= zero[s]!;
      bias += reach;
    }
    this.bias = bias;

    const tables = buildLeafTables(paths, forest.value, {
      maxSlots: options.maxTableSlots ?? DEFAULT_MAX_TABLE_SLOTS,
      maxEntries: options.maxTableEntries ?? DEFAULT_MAX_TABLE_ENTRIES,
    });
    this.tableStart = tables.start;
    this.tables = tables.values;
    this.tableLeaves = tables.leaves;
    this.tableEntries = tables.values.length;

    this.quadratures = Array.from({ length: Math.ceil(paths.maxSlots / 2) + 1 }, (_, count) =>
      gaussLegendre(Math.max(count, 1), paths.maxSlots),
    );
    this.traversal = new Traversal(forest, paths.clearMask);
    this.satisfied = new Uint8Array(paths.maxSlots);
    this.inside = new Int32Array(paths.maxSlots);
    const points = Math.ceil(paths.maxSlots / 2);
    this.factor = new Float64Array(points * paths.maxSlots);
    this.prefix = new Float64Array(points * paths.maxSlots);
    this.sum = new Float64Array(paths.maxSlots + 1);
  }

  /**
   * Adds the row's SHAP values to `phi` (one per feature) and returns its margin. `x` must already be in the
   * model's comparison precision.
   */
  explainRow(x: Float64Array, phi: Float64Array): number {
    const { forest } = this.model;
    const { leafStart, leafNode, slotStart, slotFeature } = this.paths;
    const { traversal, tableStart, tables, ratio } = this;
    const mask = traversal.mask;
    const value = forest.value;
    let margin = this.model.base;
    for (let t = 0; t < forest.nTrees; t++) {
      const start = forest.treeStart[t]!;
      traversal.run(t, x);
      for (let l = leafStart[t]!; l < leafStart[t + 1]!; l++) {
        const node = leafNode[l]!;
        const m = mask[node - start]!;
        if (m < 0) margin += value[node]!;
        const s0 = slotStart[l]!;
        const d = slotStart[l + 1]! - s0;
        const offset = tableStart[l]!;
        if (offset < 0) {
          if (d > 0) this.integrateLeaf(l, start, m, phi);
          continue;
        }
        // Branch-free: whether the row satisfies a slot is a coin flip the branch predictor would lose.
        const a = m & ((1 << d) - 1);
        for (let i = 0; i < d; i++) {
          const inside = (a >>> i) & 1;
          const coefficient = inside * (ratio[s0 + i]! + 1) - 1;
          phi[slotFeature[s0 + i]!]! += coefficient * tables[offset + (a ^ ((1 << i) & -inside))]!;
        }
      }
    }
    return margin;
  }

  /**
   * A leaf without a table: the same contributions by quadrature. With A the satisfied slots, a = |A| and
   * Zc = Π_{j ∉ A} z_j, the integrand's unsatisfied factors are all (1 − t) z_j, so
   *   i ∈ A: v (1 − z_i) Zc ∫ (1 − t)^(d−a) Π_{j ∈ A∖i} (t + (1 − t) z_j) dt
   *   i ∉ A: −v Zc ∫ (1 − t)^(d−a−1) Π_{j ∈ A} (t + (1 − t) z_j) dt, the same for every such i,
   * and the products over A∖i come from prefix and suffix products: O(a · d) per leaf, no division that could
   * meet a zero, every term positive.
   */
  private integrateLeaf(l: number, start: number, m: number, phi: Float64Array): void {
    const { slotStart, slotFeature, slotZero, leafNode } = this.paths;
    const { satisfied, inside, factor, prefix, sum } = this;
    const s0 = slotStart[l]!;
    const d = slotStart[l + 1]! - s0;
    if (d > MASK_SLOTS) this.satisfiedFromPath(l, start);
    // Branch-free, like the table path.
    let a = 0;
    let outsideZero = 1;
    for (let i = 0; i < d; i++) {
      const sat = d <= MASK_SLOTS ? (m >>> i) & 1 : satisfied[i]!;
      satisfied[i] = sat;
      inside[a] = i;
      a += sat;
      outsideZero *= sat + (1 - sat) * slotZero[s0 + i]!;
    }
    const scale = this.model.forest.value[leafNode[l]!]! * outsideZero;
    if (scale === 0) return;
    const { nodes, weights, restPowers, powers } = this.quadratures[Math.ceil(d / 2)]!;
    const points = nodes.length;
    let withAll = 0;
    for (let k = 0; k <= a; k++) sum[k] = 0;
    for (let q = 0; q < points; q++) {
      const t = nodes[q]!;
      const rest = 1 - t;
      let product = weights[q]! * restPowers[q * powers + d - a]!;
      for (let k = 0, at = q * a; k < a; k++, at++) {
        const f = t + rest * slotZero[s0 + inside[k]!]!;
        prefix[at] = product;
        factor[at] = f;
        product *= f;
      }
      withAll += product / rest;
      let suffix = 1;
      for (let k = a - 1, at = q * a + a - 1; k >= 0; k--, at--) {
        sum[k] = sum[k]! + prefix[at]! * suffix;
        suffix *= factor[at]!;
      }
    }
    const outside = scale * withAll;
    for (let i = 0, k = 0; i < d; i++) {
      const sat = satisfied[i]!;
      // sum[k] is only used when the slot is satisfied; otherwise it is multiplied by 0.
      phi[slotFeature[s0 + i]!]! += sat * scale * (1 - slotZero[s0 + i]!) * sum[k]! - (1 - sat) * outside;
      k += sat;
    }
  }

  /** Which of a leaf's slots the row satisfies, from the sides it took on the path (for slots beyond a mask). */
  private satisfiedFromPath(l: number, start: number): void {
    const { slotStart, pathStart, pathNode, pathLeft, pathSlot } = this.paths;
    const { satisfied } = this;
    const wentLeft = this.traversal.wentLeft;
    satisfied.fill(1, 0, slotStart[l + 1]! - slotStart[l]!);
    for (let p = pathStart[l]!; p < pathStart[l + 1]!; p++) {
      if (wentLeft[pathNode[p]! - start] !== pathLeft[p]) satisfied[pathSlot[p]!] = 0;
    }
  }
}
