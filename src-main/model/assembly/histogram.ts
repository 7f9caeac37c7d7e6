/**
 * The histogram loops of the trainer, in AssemblyScript (a TypeScript dialect compiled to WebAssembly). They are
 * the JavaScript loops they replace, addition for addition, so the trees are the same to the last bit; what
 * WebAssembly adds is no bounds check per access, unboxed doubles and one SIMD addition for a gradient/hessian
 * pair, about three times the speed on the training matrix. Built by `npm run build:kernel` into
 * ../histogramWasm.ts. Every argument is a byte address in the shared memory or a row index.
 *
 * A leaf histogram stores, per bin, [gradient sum, hessian sum, row count] as three f64 (24 bytes); `gh` holds
 * each row's gradient and hessian as two f64 (16 bytes), in the order of the partition.
 */

const BIN_BYTES: usize = 24;

function addRow(bin: usize, gh: usize): void {
  v128.store(bin, f64x2.add(v128.load(bin), v128.load(gh)));
  f64.store(bin, f64.load(bin, 16) + 1.0, 16);
}

/**
 * Rows order[begin..end) (end − begin a multiple of 4) of the column at `column`: the first and third of each four
 * into `hist`, the second and fourth into `scratch`, so that consecutive rows in the same bin do not wait on
 * each other's addition.
 */
export function accumulateInTwo(
  column: usize,
  order: usize,
  gh: usize,
  begin: i32,
  end: i32,
  hist: usize,
  scratch: usize,
): void {
  for (let i = begin; i < end; i += 4) {
    const o = order + ((<usize>i) << 2);
    const k = gh + ((<usize>i) << 4);
    const j0 = hist + <usize>load<u8>(column + <usize>load<i32>(o)) * BIN_BYTES;
    const j1 = scratch + <usize>load<u8>(column + <usize>load<i32>(o, 4)) * BIN_BYTES;
    const j2 = hist + <usize>load<u8>(column + <usize>load<i32>(o, 8)) * BIN_BYTES;
    const j3 = scratch + <usize>load<u8>(column + <usize>load<i32>(o, 12)) * BIN_BYTES;
    addRow(j0, k);
    addRow(j1, k + 16);
    addRow(j2, k + 32);
    addRow(j3, k + 48);
  }
}

/** Rows order[begin..end) of the column into `hist`, one after the other. */
export function accumulate(column: usize, order: usize, gh: usize, begin: i32, end: i32, hist: usize): void {
  for (let i = begin; i < end; i++) {
    const b = <usize>load<u8>(column + <usize>load<i32>(order + ((<usize>i) << 2)));
    addRow(hist + b * BIN_BYTES, gh + ((<usize>i) << 4));
  }
}

/**
 * Rows order[begin..end), each through its list of histogram bins entries[rowStart[r]..rowStart[r + 1]) (bin
 * indexes in a leaf histogram at `hist`): one pass over the rows fills the histograms of many features.
 */
export function accumulateRowLists(
  rowStart: usize,
  entries: usize,
  order: usize,
  gh: usize,
  begin: i32,
  end: i32,
  hist: usize,
): void {
  for (let i = begin; i < end; i++) {
    const r = <usize>load<i32>(order + ((<usize>i) << 2));
    const k = gh + ((<usize>i) << 4);
    const last = load<i32>(rowStart + (r << 2), 4);
    for (let e = load<i32>(rowStart + (r << 2)); e < last; e++) {
      addRow(hist + <usize>load<u32>(entries + ((<usize>e) << 2)) * BIN_BYTES, k);
    }
  }
}

/** target[j] += source[j] for `count` f64. */
export function addInto(target: usize, source: usize, count: i32): void {
  let j: i32 = 0;
  for (; j + 1 < count; j += 2) {
    const at = (<usize>j) << 3;
    v128.store(target + at, f64x2.add(v128.load(target + at), v128.load(source + at)));
  }
  if (j < count)
    f64.store(
      target + ((<usize>j) << 3),
      f64.load(target + ((<usize>j) << 3)) + f64.load(source + ((<usize>j) << 3)),
    );
}

/** target[j] −= source[j] for `count` f64. */
export function subtractFrom(target: usize, source: usize, count: i32): void {
  let j: i32 = 0;
  for (; j + 1 < count; j += 2) {
    const at = (<usize>j) << 3;
    v128.store(target + at, f64x2.sub(v128.load(target + at), v128.load(source + at)));
  }
  if (j < count)
    f64.store(
      target + ((<usize>j) << 3),
      f64.load(target + ((<usize>j) << 3)) - f64.load(source + ((<usize>j) << 3)),
    );
}
