import { HISTOGRAM_WASM_BASE64 } from './histogramWasm.ts';

/**
 * The memory the trainer's threads share with its WebAssembly histogram kernel (src-main/model/assembly): one
 * shared WebAssembly memory, handed out by a bump allocator as typed arrays, so the bin matrix, the partition,
 * the gradients and the histograms are both JavaScript arrays and addresses the kernel reads. Nothing is ever
 * freed: a memory lives as long as the binned matrix that owns it.
 */

const PAGE_BYTES = 65536;
/** The most a 32-bit WebAssembly memory can address: 4 GiB, the bin matrix and its buffers included. */
const MAX_PAGES = 65536;
const ALIGN = 16;
/** Address 0 stays unused, so that a zero address in the kernel is never somebody's data. */
const FIRST_ADDRESS = ALIGN;

type TypedArrayOf<T> = {
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

export class KernelMemory {
  readonly memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  private top = FIRST_ADDRESS;

  /** A zeroed array of n elements, 16-byte aligned. */
  alloc<T>(Type: TypedArrayOf<T>, n: number): T {
    const bytes = Math.max(1, n) * Type.BYTES_PER_ELEMENT;
    const at = this.top;
    const end = at + bytes;
    const size = this.memory.buffer.byteLength;
    if (end > size) {
      const pages = Math.ceil((end - size) / PAGE_BYTES);
      if (size / PAGE_BYTES + pages > MAX_PAGES) {
        throw new Error(
          `the training data needs more than the 4 GiB the histogram kernel can address (${Math.ceil(end / 2 ** 20)} MiB asked)`,
        );
      }
      this.memory.grow(pages);
    }
    this.top = Math.ceil(end / ALIGN) * ALIGN;
    return new Type(this.memory.buffer as SharedArrayBuffer, at, n);
  }

  /** A copy of `source` in this memory. */
  copyOf<T extends Int32Array | Float64Array | Uint8Array>(source: T): T {
    const copy = this.alloc(source.constructor as unknown as TypedArrayOf<T>, source.length);
    copy.set(source as never);
    return copy;
  }
}

/** The kernel's exported loops; every pointer is a byte address in the memory it was instantiated with. */
export interface HistogramKernel {
  accumulateInTwo(
    column: number,
    order: number,
    gh: number,
    begin: number,
    end: number,
    hist: number,
    scratch: number,
  ): void;
  accumulate(column: number, order: number, gh: number, begin: number, end: number, hist: number): void;
  accumulateRowLists(
    rowStart: number,
    entries: number,
    order: number,
    gh: number,
    begin: number,
    end: number,
    hist: number,
  ): void;
  accumulateRowBlock(
    rows: number,
    stride: number,
    count: number,
    order: number,
    gh: number,
    begin: number,
    quadEnd: number,
    end: number,
    even: number,
    odd: number,
  ): void;
  partition(
    column: number,
    order: number,
    gh: number,
    begin: number,
    end: number,
    threshold: number,
    missingBin: number,
    missingLeft: number,
    spillOrder: number,
    spillGh: number,
  ): number;
  addInto(target: number, source: number, count: number): void;
  subtractFrom(target: number, source: number, count: number): void;
  findSplit(
    hist: number,
    k: number,
    totalG: number,
    totalH: number,
    totalC: number,
    alpha: number,
    lambda: number,
    minChildWeight: number,
    minDataInLeaf: number,
    out: number,
  ): void;
}

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<WebAssembly.Memory, HistogramKernel>();

/** The kernel working in `memory`, instantiated once per thread and memory. */
export function histogramKernel(memory: WebAssembly.Memory): HistogramKernel {
  let kernel = instances.get(memory);
  if (!kernel) {
    compiled ??= new WebAssembly.Module(Buffer.from(HISTOGRAM_WASM_BASE64, 'base64'));
    kernel = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as HistogramKernel;
    instances.set(memory, kernel);
  }
  return kernel;
}
