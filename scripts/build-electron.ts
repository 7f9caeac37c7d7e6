import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the Electron main process and its preload script into dist/electron/ (package.json "main" points at
 * dist/electron/main.js). Bundling, rather than compiling file by file, carries along the JSON data modules that
 * src-main imports; packages stay external and are loaded from node_modules.
 */
const common: BuildOptions = {
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  bundle: true,
  platform: 'node',
  logLevel: 'info',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src-main/electron/main.ts'],
    format: 'esm',
    packages: 'external',
    outfile: 'dist/electron/main.js',
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
