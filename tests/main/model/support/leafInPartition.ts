/** Numbers in [0, 1) drawn from a seed, to build cases inside fast-check properties. */
export function uniformStream(seed: number): () => number {
  let state = seed | 0;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
}

/** Where each feature's bins start in a leaf histogram: its value bins, then one for missing values. */
export function histOffsetsOf(valueBins: readonly number[]): Int32Array {
  const offsets = new Int32Array(valueBins.length + 1);
  valueBins.forEach((k, f) => (offsets[f + 1] = offsets[f]! + k + 1));
  return offsets;
}

/**
 * A leaf in a partition of `rows` rows: each row in it with chance `inLeaf`, ascending, at [begin, end) of
 * `order`, after `before` of the other rows (the rest follow); a gradient and hessian per position.
 */
export function leafInPartition(rows: number, next: () => number, inLeaf: number, before: number) {
  const all = Array.from({ length: rows }, (_, r) => r);
  const leafRows = all.filter(() => next() < inLeaf);
  const inside = new Set(leafRows);
  const others = all.filter((r) => !inside.has(r));
  const order = Int32Array.from([...others.slice(0, before), ...leafRows, ...others.slice(before)]);
  const begin = Math.min(before, others.length);
  const orderedGh = Float64Array.from({ length: 2 * rows }, (_, i) => (i % 2 ? 0.05 + next() : next() - 0.5));
  return { order, begin, end: begin + leafRows.length, orderedGh };
}
