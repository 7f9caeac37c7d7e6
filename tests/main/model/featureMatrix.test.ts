import { describe, expect, it } from 'vitest';
import { columnMajorFromRows, rowMajorSlice } from '../../../src-main/model/featureMatrix.ts';

describe('matrix layouts', () => {
  // Three rows of features a, b, c, row-major.
  const rowMajor = Float64Array.from([1, 2, 3, 4, NaN, 6, 7, 8, 9]);
  const names = ['a', 'b', 'c'];

  it('transposes row-major values into a column-major float32 matrix, selecting rows and columns', () => {
    const all = columnMajorFromRows(rowMajor, names);
    expect(Array.from(all.values)).toEqual([1, 4, 7, 2, NaN, 8, 3, 6, 9]);
    const some = columnMajorFromRows(rowMajor, names, { rows: [2, 0], columns: [2, 0] });
    expect(some).toMatchObject({ rows: 2, featureNames: ['c', 'a'] });
    expect(Array.from(some.values)).toEqual([9, 3, 7, 1]);
  });

  it('copies rows back to row-major float32 for onnxruntime', () => {
    const matrix = columnMajorFromRows(rowMajor, names);
    expect(Array.from(rowMajorSlice(matrix, 1, 2))).toEqual([4, NaN, 6, 7, 8, 9]);
  });

  it('names what is out of range', () => {
    expect(() => columnMajorFromRows(rowMajor, ['a', 'b'])).toThrow(
      /9 values do not make rows of 2 features/,
    );
    expect(() => columnMajorFromRows(rowMajor, names, { rows: [3] })).toThrow(/row 3 is outside the 3 rows/);
    expect(() => columnMajorFromRows(rowMajor, names, { columns: [5] })).toThrow(/column 5 is outside/);
  });
});
