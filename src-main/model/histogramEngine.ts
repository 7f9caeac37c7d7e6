import type { Worker } from 'node:worker_threads';
import { startWorker } from '../runtime/worker.ts';
import {
  DONE,
  GENERATION,
  QUIT,
  allocateSharedBuffers,
  failureMessage,
  postJob,
  runChunks,
  type BinLayout,
  type HistogramJob,
  type SharedBuffers,
} from './histogramTask.ts';

/** Atomics.waitAsync (Node ≥ 16), missing from the ES2023 library typings this project compiles with. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<unknown> };
  }
).waitAsync;

/** Threads that build histograms by default: the two cores of the machines the product targets. */
export const DEFAULT_THREADS = 2;

/**
 * Runs histogram jobs on worker threads that share the bin matrix and the partition with the main thread; with
 * 0 threads it runs them on the calling thread (same results, used for small problems and tests).
 * One engine serves every training on the same binned matrix (all folds), so workers start once.
 */
export class HistogramEngine {
  private closed = false;

  private constructor(
    readonly shared: SharedBuffers,
    private readonly workers: Worker[],
    private readonly failure: Promise<never>,
  ) {}

  /** `slots` = the most leaf histograms alive at once, i.e. the largest num_leaves it will train with. */
  static async start(
    layout: BinLayout,
    options: { threads?: number; slots: number },
  ): Promise<HistogramEngine> {
    const threads = options.threads ?? DEFAULT_THREADS;
    if (!(Number.isInteger(threads) && threads >= 0))
      throw new Error(`threads must be an integer ≥ 0, got ${threads}`);
    const shared = allocateSharedBuffers(layout, options.slots, threads);
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    const failures: Promise<never>[] = [];
    for (let i = 0; i < threads; i++) {
      const worker = startWorker(new URL('./histogram.worker.ts', import.meta.url), {
        workerData: { shared, thread: i },
      });
      workers.push(worker);
      ready.push(new Promise((resolve) => worker.once('message', () => resolve())));
      failures.push(
        new Promise((_, reject) => {
          worker.once('error', (error) => reject(new Error(`a histogram worker failed: ${error.message}`)));
          worker.once('exit', (code) => reject(new Error(`a histogram worker stopped (exit code ${code})`)));
        }),
      );
    }
    const failure = failures.length ? Promise.race(failures) : new Promise<never>(() => {});
    failure.catch(() => {});
    try {
      await Promise.race([Promise.all(ready), failure]);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new HistogramEngine(shared, workers, failure);
  }

  /** Runs one job to completion; its results are in `shared.hist` and `shared.splits`. */
  async run(job: HistogramJob): Promise<void> {
    if (this.closed) throw new Error('the histogram engine is closed');
    const s = this.shared;
    postJob(s, job);
    if (this.workers.length === 0) {
      runChunks(s, 0);
      return;
    }
    Atomics.add(s.control, GENERATION, 1);
    Atomics.notify(s.control, GENERATION);
    for (;;) {
      const done = Atomics.load(s.control, DONE);
      if (done >= this.workers.length) break;
      const wait = waitAsync(s.control, DONE, done);
      if (wait.async) await Promise.race([wait.value, this.failure]);
    }
    const message = failureMessage(s);
    if (message) throw new Error(`a histogram worker failed: ${message}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.shared.control, QUIT, 1);
    Atomics.add(this.shared.control, GENERATION, 1);
    Atomics.notify(this.shared.control, GENERATION);
    await Promise.all(this.workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  }
}
