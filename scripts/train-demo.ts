/**
 * `npm run train:demo [-- --reuse-base]`: rebuilds the demo model shipped in models/. Generates the default demo
 * data (20,000 clients, seed 1), imports it and computes its features into .cache/demo-20000/ (git-ignored), then
 * trains with seed 1 into models/. Every step is deterministic and the creation date is fixed (SOURCE_DATE_EPOCH,
 * DEMO_MODEL_DATE unless set), so the same code gives the same model.onnx, byte for byte.
 * --reuse-base skips the data steps when the cached base exists (only if the generator and importer did not change).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLIENTS = 20_000;
const SEED = 1;
/** The demo model's creation date: the day its data set and protocol were fixed. */
const DEMO_MODEL_DATE = '2026-11-28T00:00:00Z';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = path.join('.cache', `demo-${CLIENTS}`);
const csv = path.join(cache, 'csv');
const base = path.join(cache, 'base.sqlite');
const { values: args } = parseArgs({ options: { 'reuse-base': { type: 'boolean', default: false } } });
const env = {
  ...process.env,
  SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? String(Date.parse(DEMO_MODEL_DATE) / 1000),
};

function cli(...command: string[]): void {
  console.info(`> scoring-desk ${command.join(' ')}`);
  const result = spawnSync(process.execPath, [path.join('bin', 'scoring-desk.js'), ...command], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) {
    console.error(`train-demo: scoring-desk ${command[0]} failed; models/ was left as it was.`);
    process.exit(result.status ?? 1);
  }
}

if (!(args['reuse-base'] && existsSync(path.join(root, base)))) {
  rmSync(path.join(root, cache), { recursive: true, force: true });
  cli('demo-data', '--clients', String(CLIENTS), '--seed', String(SEED), '--out', csv);
  cli('import', csv, '--db', base);
}
cli('features', '--db', base);
cli('train', '--db', base, '--out', 'models', '--seed', String(SEED));
