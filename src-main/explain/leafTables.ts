import type { LeafPaths } from './leafPaths.ts';

/** A table entry divides by the slot's zero fraction; below this the leaf is left to the quadrature. */
const SMALLEST_TABLE_ZERO = 1e-100;

export interface LeafTables {
  /** Start of each leaf's table in `values`, -1 for a leaf without one. */
  start: Int32Array;
  values: Float64Array;
  leaves: number;
}

/**
 * Fast TreeSHAP v2-style tables (Yang 2021): for each leaf testing at most `maxSlots` distinct features, H(B) for
 * every subset B of them (see PathDependentShap). A table has 2^slots entries, so the slot limit is lowered until
 * all of them fit in `maxEntries`; the leaves left out are computed without one.
 */
export function buildLeafTables(
  paths: LeafPaths,
  leafValues: Float64Array,
  limits: { maxSlots: number; maxEntries: number },
): LeafTables {
  const nLeaves = paths.leafNode.length;
  const slots = (l: number) => paths.slotStart[l + 1]! - paths.slotStart[l]!;
  const tabulable = (l: number, cap: number) => {
    if (slots(l) === 0 || slots(l) > cap) return false;
    for (let s = paths.slotStart[l]!; s < paths.slotStart[l + 1]!; s++) {
      if (paths.slotZero[s]! < SMALLEST_TABLE_ZERO) return false;
    }
    return true;
  };
  let cap = Math.min(limits.maxSlots, paths.maxSlots);
  let entries: number;
  for (;;) {
    entries = 0;
    for (let l = 0; l < nLeaves; l++) if (tabulable(l, cap)) entries += 2 ** slots(l);
    if (entries <= limits.maxEntries || cap === 0) break;
    cap--;
  }
  const start = new Int32Array(nLeaves).fill(-1);
  const values = new Float64Array(entries);
  const coefficients = new Float64Array(2 ** cap * (cap + 1));
  let next = 0;
  let leaves = 0;
  for (let l = 0; l < nLeaves; l++) {
    if (!tabulable(l, cap)) continue;
    const s0 = paths.slotStart[l]!;
    const size = 2 ** slots(l);
    start[l] = next;
    fillTable(
      leafValues[paths.leafNode[l]!]!,
      paths.slotZero.subarray(s0, s0 + slots(l)),
      values.subarray(next, next + size),
      coefficients,
    );
    next += size;
    leaves++;
  }
  return { start, values, leaves };
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
