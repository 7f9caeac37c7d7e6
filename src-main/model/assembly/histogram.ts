/**
 * The histogram loops and the split search of the trainer, in AssemblyScript (a TypeScript dialect compiled to
 * WebAssembly). They are the JavaScript loops they replace, operation for operation, so the trees are the same to
 * the last bit; what WebAssembly adds is no bounds check per access, unboxed doubles and one SIMD addition for a
 * gradient/hessian pair, about three times the speed on the training matrix. Built by `npm run build:kernel`
 * into ../histogramWasm.ts. Every pointer argument is a byte address in the shared memory.
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

/**
 * Rows order[begin..end) of a block of `count` features stored row by row (row r's bins at rows + r × stride):
 * one read of a row's bytes feeds all the block's histograms. Feature j's histogram is at the u32 address
 * even[j]; within [begin, quadEnd), rows at an odd distance from `begin` go to odd[j] instead, as accumulateInTwo
 * splits a column (odd[j] = even[j] for a feature built in one histogram).
 */
export function accumulateRowBlock(
  rows: usize,
  stride: i32,
  count: i32,
  order: usize,
  gh: usize,
  begin: i32,
  quadEnd: i32,
  end: i32,
  even: usize,
  odd: usize,
): void {
  for (let i = begin; i < end; i++) {
    const row = rows + <usize>load<i32>(order + ((<usize>i) << 2)) * <usize>stride;
    const k = gh + ((<usize>i) << 4);
    const targets = ((i - begin) & 1) != 0 && i < quadEnd ? odd : even;
    for (let j = 0; j < count; j++) {
      addRow(<usize>load<u32>(targets + ((<usize>j) << 2)) + <usize>load<u8>(row + <usize>j) * BIN_BYTES, k);
    }
  }
}

/**
 * Stable partition of the rows order[begin..end), with their gradient pairs in `gh`, by their bin in `column`: the
 * rows going left (bin ≤ threshold, or the missing bin when missingLeft is 1) first, the others after them, through
 * spillOrder and spillGh. Returns where the right rows start.
 */
export function partition(
  column: usize,
  order: usize,
  gh: usize,
  begin: i32,
  end: i32,
  threshold: i32,
  missingBin: i32,
  missingLeft: i32,
  spillOrder: usize,
  spillGh: usize,
): i32 {
  let l = begin;
  let spilled: i32 = 0;
  for (let i = begin; i < end; i++) {
    const r = load<i32>(order + ((<usize>i) << 2));
    const b = <i32>load<u8>(column + <usize>r);
    const pair = v128.load(gh + ((<usize>i) << 4));
    if (b == missingBin ? missingLeft != 0 : b <= threshold) {
      store<i32>(order + ((<usize>l) << 2), r);
      v128.store(gh + ((<usize>l) << 4), pair);
      l++;
    } else {
      store<i32>(spillOrder + ((<usize>spilled) << 2), r);
      v128.store(spillGh + ((<usize>spilled) << 4), pair);
      spilled++;
    }
  }
  memory.copy(order + ((<usize>l) << 2), spillOrder, (<usize>spilled) << 2);
  memory.copy(gh + ((<usize>l) << 4), spillGh, (<usize>spilled) << 4);
  return l;
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

/** splitKernel.ts's thresholdL1, operation for operation. */
function thresholdL1(g: f64, alpha: f64): f64 {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Loss reduction of a leaf against no leaf: T(G)² / (H + λ) (LightGBM's and XGBoost's, without the ½). */
function leafGain(g: f64, h: f64, alpha: f64, lambda: f64): f64 {
  const t = thresholdL1(g, alpha);
  const denominator = h + lambda;
  return denominator > 0 ? (t * t) / denominator : 0;
}

/**
 * splitKernel.ts's findFeatureSplit (documented there) on the histogram at `hist` with `k` value bins, the result
 * as six f64 at `out`.
 */
export function findSplit(
  hist: usize,
  k: i32,
  totalG: f64,
  totalH: f64,
  totalC: f64,
  alpha: f64,
  lambda: f64,
  minChildWeight: f64,
  minDataInLeaf: f64,
  out: usize,
): void {
  const parentGain = leafGain(totalG, totalH, alpha, lambda);
  const m = hist + <usize>k * BIN_BYTES;
  const missingC = f64.load(m, 16);
  let bestGain = -Infinity;
  let bestBin: i32 = -1;
  let bestMissingLeft: i32 = 0;
  let bestG: f64 = 0;
  let bestH: f64 = 0;
  let bestC: f64 = 0;
  const passes: i32 = missingC > 0 ? 2 : 1;
  for (let missingLeft: i32 = 0; missingLeft < passes; missingLeft++) {
    let gl: f64 = missingLeft ? f64.load(m) : 0;
    let hl: f64 = missingLeft ? f64.load(m, 8) : 0;
    let cl: f64 = missingLeft ? missingC : 0;
    const lastBin = missingLeft || missingC == 0 ? k - 2 : k - 1;
    for (let t: i32 = 0; t <= lastBin; t++) {
      const j = hist + <usize>t * BIN_BYTES;
      const c = f64.load(j, 16);
      if (c == 0) continue;
      gl += f64.load(j);
      hl += f64.load(j, 8);
      cl += c;
      if (cl < minDataInLeaf || hl < minChildWeight) continue;
      const hr = totalH - hl;
      if (totalC - cl < minDataInLeaf || hr < minChildWeight) break;
      const gain = leafGain(gl, hl, alpha, lambda) + leafGain(totalG - gl, hr, alpha, lambda) - parentGain;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = t;
        bestMissingLeft = missingLeft;
        bestG = gl;
        bestH = hl;
        bestC = cl;
      }
    }
  }
  if (bestBin >= 0 && missingC == 0) bestMissingLeft = bestH >= totalH - bestH ? 1 : 0;
  f64.store(out, bestGain);
  f64.store(out, <f64>bestBin, 8);
  f64.store(out, <f64>bestMissingLeft, 16);
  f64.store(out, bestG, 24);
  f64.store(out, bestH, 32);
  f64.store(out, bestC, 40);
}
