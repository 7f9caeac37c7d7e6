/**
 * The trainer's and scorer's input: a column-major matrix (the value of row r for feature f is
 * `values[f * rows + r]`), NaN for a missing value. Column-major because binning and histogram building walk one
 * feature at a time.
 */
export interface FeatureMatrix {
  rows: number;
  featureNames: readonly string[];
  values: Float32Array | Float64Array;
}

/** Throws a clear error when the matrix's shape or names are inconsistent. */
export function checkFeatureMatrix(matrix: FeatureMatrix): void {
  const { rows, featureNames, values } = matrix;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`feature matrix: bad row count ${rows}`);
  if (featureNames.length === 0) throw new Error('feature matrix: no features');
  if (values.length !== rows * featureNames.length) {
    throw new Error(
      `feature matrix: ${values.length} values for ${rows} rows × ${featureNames.length} features`,
    );
  }
  const seen = new Set<string>();
  for (const name of featureNames) {
    if (!name) throw new Error('feature matrix: a feature has an empty name');
    if (seen.has(name)) throw new Error(`feature matrix: the feature name ${name} appears twice`);
    seen.add(name);
  }
}

/** Checks binary labels (0/1) against a matrix's row count. */
export function checkLabels(labels: ArrayLike<number>, rows: number): void {
  if (labels.length !== rows) throw new Error(`labels: ${labels.length} labels for ${rows} rows`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new Error(`labels: row ${i} has label ${y}, expected 0 or 1`);
  }
}

/**
 * Copies rows [start, start + count) of a column-major matrix into a row-major Float32Array, the layout
 * onnxruntime takes.
 */
export function rowMajorSlice(matrix: FeatureMatrix, start: number, count: number): Float32Array {
  const cols = matrix.featureNames.length;
  const out = new Float32Array(count * cols);
  const { values, rows } = matrix;
  for (let f = 0; f < cols; f++) {
    const base = f * rows + start;
    for (let r = 0; r < count; r++) out[r * cols + f] = values[base + r]!;
  }
  return out;
}

/**
 * A column-major float32 matrix from row-major values (as the feature store returns them), keeping the rows
 * `select.rows` and the columns `select.columns` (indices into `featureNames`; all by default), in those orders.
 * Float32 halves the memory of the full matrix and loses nothing the model could use: it compares in float32.
 */
export function columnMajorFromRows(
  rowMajor: Float32Array | Float64Array,
  featureNames: readonly string[],
  select: { rows?: ArrayLike<number>; columns?: ArrayLike<number> } = {},
): FeatureMatrix {
  const width = featureNames.length;
  if (rowMajor.length % width !== 0) {
    throw new Error(`${rowMajor.length} values do not make rows of ${width} features`);
  }
  const total = rowMajor.length / width;
  const rows = select.rows ? select.rows.length : total;
  const columns = select.columns ? Array.from(select.columns) : featureNames.map((_, f) => f);
  for (const c of columns) {
    if (!(Number.isInteger(c) && c >= 0 && c < width))
      throw new Error(`column ${c} is outside the ${width} features`);
  }
  const values = new Float32Array(rows * columns.length);
  for (let i = 0; i < rows; i++) {
    const source = select.rows ? select.rows[i]! : i;
    if (!(source >= 0 && source < total)) throw new Error(`row ${source} is outside the ${total} rows`);
    const start = source * width;
    for (let k = 0; k < columns.length; k++) values[k * rows + i] = rowMajor[start + columns[k]!]!;
  }
  return { rows, featureNames: columns.map((c) => featureNames[c]!), values };
}
