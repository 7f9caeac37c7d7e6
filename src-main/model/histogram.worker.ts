import { parentPort, workerData } from 'node:worker_threads';
import { DONE, GENERATION, QUIT, recordFailure, runChunks, type SharedBuffers } from './histogramTask.ts';

/**
 * A histogram worker: sleeps on the shared generation counter, runs its share of each posted job, then counts
 * itself done. It never returns to its event loop while the engine lives; blocking waits keep the hand-off
 * latency in microseconds, which matters at tens of thousands of jobs per training.
 */
const { shared: s, thread } = workerData as { shared: SharedBuffers; thread: number };
let seen = Atomics.load(s.control, GENERATION);
parentPort!.postMessage('ready');
for (;;) {
  Atomics.wait(s.control, GENERATION, seen);
  seen = Atomics.load(s.control, GENERATION);
  if (Atomics.load(s.control, QUIT)) break;
  try {
    runChunks(s, thread);
  } catch (error) {
    recordFailure(s, error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  Atomics.add(s.control, DONE, 1);
  Atomics.notify(s.control, DONE);
}
