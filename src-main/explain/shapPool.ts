import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../runtime/worker.ts';
import { Explainer, type ShapBatch, type ShapMethod } from './explainer.ts';
import { readOnnxTrees } from './onnxTrees.ts';

export interface ShapPoolOptions {
  modelFile: string;
  background?: { values: Float64Array; rows: number };
  /** 1 explains in the calling thread; more start that many worker threads, each loading the model once. */
  threads: number;
}

export interface ShapWorkerSetup {
  modelFile: string;
  background?: { values: Float64Array; rows: number };
  port: MessagePort;
  /** One counter per worker, bumped after each reply so the main thread can sleep until one arrives. */
  signal: Int32Array;
  index: number;
}

export type ShapWorkerReply =
  | { type: 'ready'; method: ShapMethod; notice: string; bias: number }
  | { type: 'batch'; batch: ShapBatch }
  | { type: 'error'; message: string };

export interface ShapJob {
  values: Float64Array;
  rows: number;
}

/**
 * Explains batches of rows in order, on worker threads or inline. Synchronous on purpose: callers such as the CSV
 * reader run in plain callbacks, and `take` blocking until the oldest batch is done is what bounds memory (at most
 * a few batches in flight) while both cores work.
 */
export interface ShapRunner {
  readonly method: ShapMethod;
  readonly notice: string;
  readonly bias: number;
  /** Batches submitted and not yet taken. */
  readonly pending: number;
  submit(job: ShapJob): void;
  /** The oldest submitted batch's results, waiting for them if need be. */
  take(): ShapBatch;
  close(): Promise<void>;
}

export function openShapRunner(options: ShapPoolOptions): ShapRunner {
  return options.threads <= 1 ? new InlineRunner(options) : new WorkerRunner(options);
}

class InlineRunner implements ShapRunner {
  readonly method: ShapMethod;
  readonly notice: string;
  readonly bias: number;
  private readonly explainer: Explainer;
  private readonly done: ShapBatch[] = [];

  constructor(options: ShapPoolOptions) {
    const explainer = new Explainer(readOnnxTrees(options.modelFile), { background: options.background });
    this.explainer = explainer;
    this.method = explainer.method;
    this.notice = explainer.notice;
    this.bias = explainer.bias;
  }

  get pending(): number {
    return this.done.length;
  }

  submit(job: ShapJob): void {
    this.done.push(this.explainer.explain(job.values, 0, job.rows));
  }

  take(): ShapBatch {
    const batch = this.done.shift();
    if (!batch) throw new Error('no batch submitted');
    return batch;
  }

  async close(): Promise<void> {}
}

const WAIT_SLICE_MS = 1_000;

class WorkerRunner implements ShapRunner {
  readonly method: ShapMethod;
  readonly notice: string;
  readonly bias: number;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly signal: Int32Array;
  /** Worker of each batch in flight, oldest first. */
  private readonly queue: number[] = [];
  private next = 0;

  constructor(options: ShapPoolOptions) {
    this.signal = new Int32Array(new SharedArrayBuffer(4 * options.threads));
    for (let index = 0; index < options.threads; index++) {
      const { port1, port2 } = new MessageChannel();
      const setup: ShapWorkerSetup = {
        modelFile: options.modelFile,
        background: options.background,
        port: port2,
        signal: this.signal,
        index,
      };
      this.workers.push(
        startWorker(new URL('./shap.worker.ts', import.meta.url), {
          workerData: setup,
          transferList: [port2],
        }),
      );
      this.ports.push(port1);
    }
    let ready: Extract<ShapWorkerReply, { type: 'ready' }> | undefined;
    try {
      for (let index = 0; index < options.threads; index++) {
        const reply = this.receive(index);
        if (reply.type !== 'ready') throw new Error(`unexpected ${reply.type} from a SHAP worker`);
        ready = reply;
      }
    } catch (error) {
      void this.close();
      throw error;
    }
    this.method = ready!.method;
    this.notice = ready!.notice;
    this.bias = ready!.bias;
  }

  get pending(): number {
    return this.queue.length;
  }

  submit(job: ShapJob): void {
    const index = this.next;
    this.next = (this.next + 1) % this.workers.length;
    this.ports[index]!.postMessage(job, [job.values.buffer as ArrayBuffer]);
    this.queue.push(index);
  }

  take(): ShapBatch {
    const index = this.queue.shift();
    if (index === undefined) throw new Error('no batch submitted');
    const reply = this.receive(index);
    if (reply.type !== 'batch') throw new Error(`unexpected ${reply.type} from a SHAP worker`);
    return reply.batch;
  }

  async close(): Promise<void> {
    for (const port of this.ports) port.close();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Blocks until worker `index` replies; its errors are rethrown here. */
  private receive(index: number): ShapWorkerReply {
    for (;;) {
      const seen = Atomics.load(this.signal, index);
      const received = receiveMessageOnPort(this.ports[index]!);
      if (received) {
        const reply = received.message as ShapWorkerReply;
        if (reply.type === 'error') throw new Error(reply.message);
        return reply;
      }
      Atomics.wait(this.signal, index, seen, WAIT_SLICE_MS);
    }
  }
}
