import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module URL. Under tsx (CLI, tests) the module is TypeScript and Node 20 does not
 * pass loader hooks on to workers, so the worker first registers tsx itself. In a bundle (the Electron app, see
 * scripts/build-electron.ts) the URL points beside the bundle, where each worker sits as JavaScript under the
 * same name.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const bundled = new URL(url.href.replace(/\.ts$/, '.js'));
  if (!existsSync(url) && existsSync(bundled)) return new Worker(bundled, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
