import { workerData } from 'node:worker_threads';
import { Explainer } from './explainer.ts';
import { readOnnxTrees } from './onnxTrees.ts';
import type { ShapJob, ShapWorkerReply, ShapWorkerSetup } from './shapPool.ts';

const setup = workerData as ShapWorkerSetup;

function reply(message: ShapWorkerReply, transfer: ArrayBuffer[] = []): void {
  setup.port.postMessage(message, transfer);
  Atomics.add(setup.signal, setup.index, 1);
  Atomics.notify(setup.signal, setup.index);
}

function fail(error: unknown): void {
  reply({ type: 'error', message: (error as Error).message });
}

process.on('uncaughtException', fail);
try {
  const explainer = new Explainer(readOnnxTrees(setup.modelFile), { background: setup.background });
  setup.port.on('message', (job: ShapJob) => {
    try {
      const batch = explainer.explain(job.values, 0, job.rows);
      reply({ type: 'batch', batch }, [
        batch.shap.buffer,
        batch.margins.buffer,
        batch.outputs.buffer,
      ] as ArrayBuffer[]);
    } catch (error) {
      fail(error);
    }
  });
  reply({ type: 'ready', method: explainer.method, notice: explainer.notice, bias: explainer.bias });
} catch (error) {
  fail(error);
}
