/**
 * Exact k-nearest neighbours by a linear scan over a row-major Float32Array of standardised features: for the
 * "similar past clients" comparison, where the population is a few hundred thousand rows of a dozen features, a
 * scan (a few milliseconds) is exact and needs no index to build or keep current.
 *
 * Standardisation: each feature is optionally log-transformed (amounts, whose tails would otherwise decide every
 * distance), then centred and scaled by its mean and standard deviation over the population; a missing value
 * becomes 0 (the mean), so that it neither attracts nor repels.
 */

export type Transform = 'none' | 'log';

export interface Standardiser {
  transforms: readonly Transform[];
  means: Float64Array;
  deviations: Float64Array;
}

function transformed(value: number, transform: Transform): number {
  // Signed log keeps the order of negative amounts (rare, but present in some debt columns).
  return transform === 'log' ? Math.sign(value) * Math.log1p(Math.abs(value)) : value;
}

/** Mean and standard deviation of each column (column-major `columns[f][r]`), NaN left out. */
export function fitStandardiser(
  columns: readonly ArrayLike<number>[],
  transforms: readonly Transform[],
): Standardiser {
  const width = columns.length;
  const means = new Float64Array(width);
  const deviations = new Float64Array(width);
  columns.forEach((column, f) => {
    let count = 0;
    let mean = 0;
    let m2 = 0;
    for (let r = 0; r < column.length; r++) {
      const raw = column[r]!;
      if (Number.isNaN(raw)) continue;
      const x = transformed(raw, transforms[f]!);
      count++;
      const delta = x - mean;
      mean += delta / count;
      m2 += delta * (x - mean);
    }
    means[f] = count > 0 ? mean : 0;
    const sd = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    // A constant column carries no distance; scale 1 keeps it at 0 rather than dividing by zero.
    deviations[f] = sd > 0 ? sd : 1;
  });
  return { transforms, means, deviations };
}

export function standardise(value: number, f: number, s: Standardiser): number {
  if (Number.isNaN(value)) return 0;
  return (transformed(value, s.transforms[f]!) - s.means[f]!) / s.deviations[f]!;
}

/** Row-major standardised matrix of the columns (`rows` × columns.length). */
export function standardisedMatrix(
  columns: readonly ArrayLike<number>[],
  rows: number,
  s: Standardiser,
): Float32Array {
  const width = columns.length;
  const out = new Float32Array(rows * width);
  columns.forEach((column, f) => {
    for (let r = 0; r < rows; r++) out[r * width + f] = standardise(column[r]!, f, s);
  });
  return out;
}

/**
 * The `k` rows of `matrix` closest to `query` (squared Euclidean distance), nearest first, ties broken by row
 * order; `exclude` (a row index, or -1) is skipped, so a past client is not its own neighbour.
 */
export function nearestRows(
  matrix: Float32Array,
  width: number,
  query: Float32Array,
  k: number,
  exclude = -1,
): { rows: Uint32Array; distances: Float32Array } {
  const n = matrix.length / width;
  const size = Math.min(k, n - (exclude >= 0 && exclude < n ? 1 : 0));
  const rows = new Uint32Array(size);
  const distances = new Float32Array(size).fill(Infinity);
  if (size <= 0) return { rows, distances };
  let worst = Infinity;
  let filled = 0;
  for (let r = 0; r < n; r++) {
    if (r === exclude) continue;
    const base = r * width;
    let d = 0;
    for (let f = 0; f < width; f++) {
      const diff = matrix[base + f]! - query[f]!;
      d += diff * diff;
    }
    if (filled === size && d >= worst) continue;
    // Insertion into the sorted list of the best so far: after the first rows, few candidates get this far.
    let at = filled < size ? filled++ : size - 1;
    while (at > 0 && distances[at - 1]! > d) {
      distances[at] = distances[at - 1]!;
      rows[at] = rows[at - 1]!;
      at--;
    }
    distances[at] = d;
    rows[at] = r;
    worst = distances[size - 1]!;
  }
  return { rows, distances };
}
