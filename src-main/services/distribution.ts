/**
 * Distributions of one feature over a group of past clients, by outcome: histogram counts, the client's
 * percentile and the median of each outcome, in one pass over the group plus a selection per median. Bin edges
 * come from the whole population (its 1st to 99th percentile, or one bin per integer for small integer ranges), so
 * that the histograms of different groups line up; values beyond the edges count in the first or last bin.
 */

export interface Edges {
  /** bins + 1 increasing values, equally spaced. */
  edges: number[];
}

const TAIL_SHARE = 0.01;

/** The k-th smallest value (0-based) of `values[0, length)`, which it reorders (Hoare's selection). */
export function selectKth(values: Float32Array | Float64Array, length: number, k: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot, so sorted or constant inputs stay linear.
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** The median of `values[0, length)` (mean of the two middle values for an even length); reorders them. */
export function median(values: Float32Array | Float64Array, length: number): number | null {
  if (length === 0) return null;
  const upper = selectKth(values, length, length >> 1);
  if (length % 2 === 1) return upper;
  let lower = -Infinity;
  // After selecting the upper middle, the lower middle is the largest of the values before it.
  for (let i = 0; i < length >> 1; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/** Histogram edges for a column's values (NaN left out). */
export function histogramEdges(column: Float32Array, bins: number): Edges {
  const present = new Float64Array(column.length);
  let n = 0;
  let integral = true;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (Number.isNaN(v)) continue;
    present[n++] = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (n === 0) return { edges: [0, 1] };
  const low = selectKth(present, n, Math.floor(TAIL_SHARE * (n - 1)));
  const high = selectKth(present, n, Math.ceil((1 - TAIL_SHARE) * (n - 1)));
  if (integral && high - low + 1 <= bins) {
    return { edges: Array.from({ length: high - low + 2 }, (_, i) => low - 0.5 + i) };
  }
  if (high === low) return { edges: [low - 0.5, low + 0.5] };
  const width = (high - low) / bins;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width)) };
}

export function binOf(value: number, edges: readonly number[]): number {
  const bins = edges.length - 1;
  const low = edges[0]!;
  const width = (edges[bins]! - low) / bins;
  const bin = Math.floor((value - low) / width);
  return bin < 0 ? 0 : bin >= bins ? bins - 1 : bin;
}

export interface GroupDistribution {
  repaid: number[];
  defaulted: number[];
  missing: { repaid: number; defaulted: number };
  median: { repaid: number | null; defaulted: number | null };
}

/** Percent of the group's values below `clientValue`, ties counted half; null when it or every value is missing. */
export function percentileIn(
  column: Float32Array,
  members: Uint32Array,
  clientValue: number | null,
): number | null {
  if (clientValue === null || Number.isNaN(clientValue)) return null;
  const reference = Math.fround(clientValue);
  let below = 0;
  let ties = 0;
  let present = 0;
  for (let m = 0; m < members.length; m++) {
    const v = column[members[m]!]!;
    if (Number.isNaN(v)) continue;
    present++;
    if (v < reference) below++;
    else if (v === reference) ties++;
  }
  return present > 0 ? (100 * (below + ties / 2)) / present : null;
}

/**
 * The distribution of `column` over the group `members` (positions in the column), split by `defaulted`
 * (1 defaulted, 0 repaid). It does not depend on the client: the client's place in it is percentileIn's.
 */
export function groupDistribution(
  column: Float32Array,
  defaulted: Uint8Array,
  members: Uint32Array,
  edges: readonly number[],
): GroupDistribution {
  const bins = edges.length - 1;
  const counts = [new Array<number>(bins).fill(0), new Array<number>(bins).fill(0)];
  const missing = [0, 0];
  const values = [new Float32Array(members.length), new Float32Array(members.length)];
  const filled = [0, 0];
  for (let m = 0; m < members.length; m++) {
    const at = members[m]!;
    const outcome = defaulted[at]! === 1 ? 1 : 0;
    const v = column[at]!;
    if (Number.isNaN(v)) {
      missing[outcome]!++;
      continue;
    }
    counts[outcome]![binOf(v, edges)]!++;
    values[outcome]![filled[outcome]!++] = v;
  }
  return {
    repaid: counts[0]!,
    defaulted: counts[1]!,
    missing: { repaid: missing[0]!, defaulted: missing[1]! },
    median: { repaid: median(values[0]!, filled[0]!), defaulted: median(values[1]!, filled[1]!) },
  };
}
