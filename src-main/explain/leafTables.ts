import type { LeafPaths } from './leafPaths.ts';

/** A table entry divides by the slot's zero fraction; a tree with a smaller one is left to the quadrature. */
const SMALLEST_TABLE_ZERO = 1e-100;

export interface LeafTables {
  /** Whether each tree has its tables. */
  tabulated: Uint8Array;
  /** Start of each leaf's table in `values` (-1 in a tree without tables or for a leaf with no slot). */
  start: Int32Array;
  values: Float64Array;
}

/**
 * Fast TreeSHAP v2-style tables (Yang 2021): for each leaf, H(B) for every subset B of its distinct path
 * features (see PathDependentShap), for the trees whose leaves test at most `maxSlots` of them. A table has
 * 2^slots entries, so the limit is lowered until all of them fit in `maxEntries`; the trees left out are
 * computed without tables.
 */
export function buildLeafTables(
  paths: LeafPaths,
  leafValues: Float64Array,
  limits: { maxSlots: number; maxEntries: number },
): LeafTables {
  const nTrees = paths.leafStart.length - 1;
  const slots = (l: number) => paths.slotStart[l + 1]! - paths.slotStart[l]!;
  const tabulable = (t: number, cap: number) => {
    for (let l = paths.leafStart[t]!; l < paths.leafStart[t + 1]!; l++) {
      if (slots(l) > cap) return false;
      for (let s = paths.slotStart[l]!; s < paths.slotStart[l + 1]!; s++) {
        if (paths.slotZero[s]! < SMALLEST_TABLE_ZERO) return false;
      }
    }
    return true;
  };
  const size = (t: number) => {
    let entries = 0;
    for (let l = paths.leafStart[t]!; l < paths.leafStart[t + 1]!; l++)
      if (slots(l) > 0) entries += 2 ** slots(l);
    return entries;
  };
  let cap = Math.min(limits.maxSlots, paths.maxSlots);
  let entries: number;
  for (;;) {
    entries = 0;
    for (let t = 0; t < nTrees; t++) if (tabulable(t, cap)) entries += size(t);
    if (entries <= limits.maxEntries || cap === 0) break;
    cap--;
  }
  const tabulated = new Uint8Array(nTrees);
  const start = new Int32Array(paths.leafNode.length).fill(-1);
  const values = new Float64Array(entries);
  const coefficients = new Float64Array(2 ** cap * (cap + 1));
  let next = 0;
  for (let t = 0; t < nTrees; t++) {
    if (!tabulable(t, cap)) continue;
    tabulated[t] = 1;
    for (let l = paths.leafStart[t]!; l < paths.leafStart[t + 1]!; l++) {
      if (slots(l) === 0) continue;
      const s0 = paths.slotStart[l]!;
      const entriesOfLeaf = 2 ** slots(l);
      start[l] = next;
      fillTable(
        leafValues[paths.leafNode[l]!]!,
        paths.slotZero.subarray(s0, s0 + slots(l)),
        values.subarray(next, next + entriesOfLeaf),
        coefficients,
      );
      next += entriesOfLeaf;
    }
  }
  return { tabulated, start, values };
}

/**
 * H(B) for every subset B of a leaf's d slots (bit i of B = slot i): v · Π_{j ∉ B} z_j · Σ_k w(k) c_k(B), where
 * c_k(B) is the coefficient of t^k in Π_{j ∈ B} (t + z_j). The coefficients are built subset by subset, each from
 * the subset without its highest slot, so the whole table costs O(2^d · d).
 */
function fillTable(value: number, zero: Float64Array, table: Float64Array, coefficients: Float64Array): void {
  const d = zero.length;
  const width = d + 1;
  const shapley = new Float64Array(d);
  for (let k = 0; k < d; k++) shapley[k] = 1 / (d * binomial(d - 1, k));
  const size = 1 << d;
  coefficients.fill(0, 0, size * width);
  coefficients[0] = 1;
  for (let b = 1; b < size; b++) {
    const high = 31 - Math.clz32(b);
    const from = (b ^ (1 << high)) * width;
    const to = b * width;
    const z = zero[high]!;
    coefficients[to] = z * coefficients[from]!;
    for (let k = 1; k <= d; k++)
      coefficients[to + k] = coefficients[from + k - 1]! + z * coefficients[from + k]!;
  }
  // Π_{j ∉ B} z_j, from the full set down: B's product is that of B plus its lowest missing slot, times z there.
  table[size - 1] = 1;
  for (let b = size - 2; b >= 0; b--) {
    const low = 31 - Math.clz32(~b & (b + 1));
    table[b] = table[b | (1 << low)]! * zero[low]!;
  }
  for (let b = 0; b < size; b++) {
    let sum = 0;
    for (let k = 0; k < d; k++) sum += shapley[k]! * coefficients[b * width + k]!;
    table[b] = value * table[b]! * sum;
  }
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}
