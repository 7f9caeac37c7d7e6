import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The small demo base the end-to-end tests run on: 5,000 generated clients (seed 1), their features, a model
 * trained on them and their scores, built once with the real command line into .cache/e2e-5000 and reused. A
 * marker written last tells a complete build from an interrupted one, which is rebuilt from scratch.
 */
export interface DemoBase {
  db: string;
  model: string;
}

const clients = 5000;
const folder = path.resolve('.cache', `e2e-${clients}`);
const marker = path.join(folder, 'complete');
// A fixed creation date: the same code builds the same model, so screenshots stay comparable between runs.
const sourceDateEpoch = '1767225600';

function cli(...args: string[]): void {
  execFileSync(process.execPath, ['bin/scoring-desk.js', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SOURCE_DATE_EPOCH: sourceDateEpoch },
  });
}

export function ensureDemoBase(): DemoBase {
  const base = { db: path.join(folder, 'base.sqlite'), model: path.join(folder, 'model') };
  if (existsSync(marker)) return base;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const csv = path.join(folder, 'csv');
  const started = performance.now();
  cli('demo-data', '--clients', String(clients), '--seed', '1', '--out', csv);
  cli('import', csv, '--db', base.db);
  cli('features', '--db', base.db);
  cli('train', '--db', base.db, '--out', base.model, '--folds', '3');
  cli('score', '--db', base.db, '--model', base.model);
  rmSync(csv, { recursive: true, force: true });
  writeFileSync(marker, new Date().toISOString());
  console.info(
    `e2e demo base: ${clients} clients built in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return base;
}
