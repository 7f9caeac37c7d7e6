import type { Forest } from './forest.ts';
import { gaussLegendre } from './gaussLegendre.ts';

/**
 * Path-dependent TreeSHAP for whole trees in one downward and one upward pass over their nodes, O(nodes · Q) per
 * tree with Q = ⌈D/2⌉ for D the most distinct features on a path: no table, so it suits deep trees. The idea is
 * Linear TreeSHAP's (Yu et al. 2022) with quadrature points in place of polynomial bases.
 *
 * With f_j(t) = o_j t + (1 − t) z_j for a leaf's path feature j (o_j: the row satisfies every split on j along
 * the path; z_j: the product of child cover / parent cover there), Shapley's formula for the leaf's game reads
 *   φ_i = v (o_i − z_i) ∫₀¹ Π_{j ≠ i} f_j(t) dt,
 * a polynomial of degree below D, integrated exactly by Q Gauss–Legendre points.
 *
 * Each edge e of a tree carries, for the feature split on at its parent, the (O_e, Z_e) of all such splits from
 * the root down to it, and F_e(t) = O_e t + (1 − t) Z_e. Downward, D(node) = Π over its path of F_e / F_prev(e),
 * prev(e) being the edge of the nearest split on the same feature above (F = 1 when none): the product telescopes
 * to Π_j f_j at a leaf. Upward, S(node) = Σ of v · D over the leaves below. A leaf's share for feature i goes to
 * the deepest i-edge e on its path, (O_e − Z_e) ∫ S/F_e over the leaves below e with no deeper split on i; those
 * with one are taken back out where that deeper split sits.
 */
export class NodeQuadrature {
  private readonly edges: Edges;
  /** Per tree, its quadrature: points t_q, weights w_q, and w_q / (1 − t_q). */
  private readonly points: Float64Array[] = [];
  private readonly weights: Float64Array[] = [];
  private readonly restWeights: Float64Array[] = [];
  /** Scratch per node of the tree being explained (indexed from its first node). */
  private readonly satisfied: Uint8Array;
  private readonly reached: Uint8Array;
  private readonly down: Float64Array;
  private readonly up: Float64Array;

  constructor(
    private readonly forest: Forest,
    maxSlotsOfTree: (tree: number) => number,
  ) {
    const { treeStart } = forest;
    this.edges = linkEdges(forest);
    let largest = 0;
    let mostPoints = 1;
    for (let t = 0; t < forest.nTrees; t++) {
      const rule = gaussLegendre(Math.max(1, Math.ceil(maxSlotsOfTree(t) / 2)));
      this.points[t] = rule.nodes;
      this.weights[t] = rule.weights;
      this.restWeights[t] = rule.weights.map((w, q) => w / (1 - rule.nodes[q]!));
      largest = Math.max(largest, treeStart[t + 1]! - treeStart[t]!);
      mostPoints = Math.max(mostPoints, rule.nodes.length);
    }
    this.satisfied = new Uint8Array(largest);
    this.reached = new Uint8Array(largest);
    this.down = new Float64Array(largest * mostPoints);
    this.up = new Float64Array(largest * mostPoints);
  }

  /**
   * Adds tree t's SHAP values to `phi[at ..]` and returns the value of the leaf the row reaches. `wentLeft` holds,
   * per branch node of the tree (indexed from its first node), whether the row goes left.
   */
  explainTree(t: number, wentLeft: Uint8Array, phi: Float64Array, at: number): number {
    const { forest, satisfied, reached, down, up } = this;
    const { parent, isLeft, ratio, zero, previous } = this.edges;
    const { feature, left, right, value } = forest;
    const points = this.points[t]!;
    const weights = this.weights[t]!;
    const restWeights = this.restWeights[t]!;
    const q = points.length;
    const start = forest.treeStart[t]!;
    const end = forest.treeStart[t + 1]!;
    for (let k = 0; k < q; k++) down[k] = 1;
    satisfied[0] = 1;
    reached[0] = 1;
    for (let c = start + 1; c < end; c++) {
      const local = c - start;
      const p = parent[c]! - start;
      const side = wentLeft[p] === isLeft[c] ? 1 : 0;
      const before = previous[c]!;
      const satisfiedBefore = before < 0 ? 1 : satisfied[before - start]!;
      const o = satisfiedBefore & side;
      satisfied[local] = o;
      reached[local] = reached[p]! & side;
      if (satisfiedBefore) {
        // F_e / F_prev, with F_prev = t + (1 − t) Z_prev ≥ t > 0.
        const z = zero[c]!;
        const zBefore = before < 0 ? 1 : zero[before]!;
        for (let k = 0; k < q; k++) {
          const x = points[k]!;
          down[local * q + k] = (down[p * q + k]! * (o * x + (1 - x) * z)) / (x + (1 - x) * zBefore);
        }
      } else {
        // Unsatisfied before and now: (1 − t) Z_e / ((1 − t) Z_prev) is this edge's cover ratio.
        const r = ratio[c]!;
        for (let k = 0; k < q; k++) down[local * q + k] = down[p * q + k]! * r;
      }
    }
    let leafValue = 0;
    for (let n = end - 1; n >= start; n--) {
      const local = n - start;
      const f = feature[n]!;
      if (f < 0) {
        const v = value[n]!;
        for (let k = 0; k < q; k++) up[local * q + k] = v * down[local * q + k]!;
        if (reached[local]) leafValue = v;
        continue;
      }
      const l = left[n]! - start;
      const r = right[n]! - start;
      for (let k = 0; k < q; k++) up[local * q + k] = up[l * q + k]! + up[r * q + k]!;
      let share = this.edgeShare(points, weights, restWeights, start, left[n]!, l);
      share += this.edgeShare(points, weights, restWeights, start, right[n]!, r);
      const above = previous[left[n]!]!;
      if (above >= 0) share -= this.edgeShare(points, weights, restWeights, start, above, local);
      phi[at + f] = phi[at + f]! + share;
    }
    return leafValue;
  }

  /**
   * (O_e − Z_e) Σ_q w_q S(t_q) / F_e(t_q) for the edge into node `edge`, with S the upward sums at local node
   * `at`. When O_e = 0 this is −Z_e Σ w S / ((1 − t) Z_e): Z_e cancels. Both sums are formed and one kept, which
   * costs less than the mispredicted branch.
   */
  private edgeShare(
    points: Float64Array,
    weights: Float64Array,
    restWeights: Float64Array,
    start: number,
    edge: number,
    at: number,
  ): number {
    const { up } = this;
    const q = points.length;
    const z = this.edges.zero[edge]!;
    let satisfiedSum = 0;
    let otherSum = 0;
    for (let k = 0; k < q; k++) {
      const s = up[at * q + k]!;
      const x = points[k]!;
      satisfiedSum += (weights[k]! * s) / (x + (1 - x) * z);
      otherSum += restWeights[k]! * s;
    }
    const o = this.satisfied[edge - start]!;
    return o * (1 - z) * satisfiedSum - (1 - o) * otherSum;
  }
}

/** What each node (other than a root) knows of the edge into it. */
interface Edges {
  parent: Int32Array;
  isLeft: Uint8Array;
  /** Child cover / parent cover. */
  ratio: Float64Array;
  /** Z_e: the product of the ratios of the edges from the root down to this one under splits on its feature. */
  zero: Float64Array;
  /** The node below the nearest edge higher up whose parent splits on the same feature, or -1. */
  previous: Int32Array;
}

function linkEdges(forest: Forest): Edges {
  const { feature, left, right } = forest;
  const cover = forest.cover!;
  const nodes = feature.length;
  const edges: Edges = {
    parent: new Int32Array(nodes).fill(-1),
    isLeft: new Uint8Array(nodes),
    ratio: new Float64Array(nodes),
    zero: new Float64Array(nodes).fill(1),
    previous: new Int32Array(nodes).fill(-1),
  };
  // The nearest edge above under a split on each feature, while walking down (restored on the way back up).
  const lastEdge = new Map<number, number>();
  const visit = (n: number): void => {
    const f = feature[n]!;
    if (f < 0) return;
    const before = lastEdge.get(f);
    for (const child of [left[n]!, right[n]!]) {
      edges.parent[child] = n;
      edges.isLeft[child] = child === left[n] ? 1 : 0;
      edges.ratio[child] = cover[child]! / cover[n]!;
      edges.previous[child] = before ?? -1;
      edges.zero[child] = (before === undefined ? 1 : edges.zero[before]!) * edges.ratio[child]!;
      lastEdge.set(f, child);
      visit(child);
    }
    if (before === undefined) lastEdge.delete(f);
    else lastEdge.set(f, before);
  };
  for (let t = 0; t < forest.nTrees; t++) visit(forest.treeStart[t]!);
  return edges;
}
