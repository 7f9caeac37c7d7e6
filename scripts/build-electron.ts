import { build, type BuildOptions } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the Electron main process and its preload script into dist/electron/ (package.json "main" points at
 * dist/electron/main.js). Bundling, rather than compiling file by file, carries along the JSON data modules that
 * src-main imports; packages stay external and are loaded from node_modules.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  logLevel: 'info',
};

function workerEntryPoints(): { in: string; out: string }[] {
  return readdirSync(join(root, 'src-main'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.worker.ts'))
    .map((file) => ({ in: join('src-main', file), out: basename(file, '.ts') }));
}

await Promise.all([
  build({
    ...common,
    entryPoints: ['src-main/electron/main.ts'],
    format: 'esm',
    packages: 'external',
    outfile: 'dist/electron/main.js',
  }),
  // The worker threads the main process starts (import, features, training, explanations): the bundle keeps their
  // `new URL('./x.worker.ts', import.meta.url)`, which src-main/runtime/worker.ts finds here as x.worker.js.
  build({
    ...common,
    entryPoints: workerEntryPoints(),
    format: 'esm',
    packages: 'external',
    outdir: 'dist/electron',
  }),
  // A sandboxed preload runs as a classic script whose `require` knows only `electron` and a few Node modules:
  // it must be CommonJS and self-contained.
  build({
    ...common,
    entryPoints: ['src-main/electron/preload.ts'],
    format: 'cjs',
    external: ['electron'],
    outfile: 'dist/electron/preload.cjs',
  }),
]);
