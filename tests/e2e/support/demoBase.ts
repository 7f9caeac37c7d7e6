import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The small demo base the end-to-end tests run on: 5,000 generated clients (seed 1), their features, a model
 * trained on them and their scores, built with the real command line into .cache/e2e-5000-<code> and reused while
 * the code that makes it (data, features, model, explanations, their data files) is unchanged: <code> is a hash of
 * that code. A marker written last tells a complete build from an interrupted one, which is rebuilt from scratch.
 */
export interface DemoBase {
  db: string;
  model: string;
}

const clients = 5000;
const producers = [
  'bin',
  'data/schema',
  'data/generator',
  'data/features',
  'src-main/data',
  'src-main/features',
  'src-main/model',
  'src-main/explain',
  'src-main/cli',
  'src-main/runtime',
];

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const file = path.join(folder, name);
      return statSync(file).isDirectory() ? filesUnder(file) : [file];
    });
}

function producersHash(): string {
  const hash = createHash('sha256');
  for (const file of producers.flatMap(filesUnder)) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

const cacheRoot = path.resolve('.cache');
const folderPrefix = `e2e-${clients}-`;
// A fixed creation date: the same code builds the same model, so screenshots stay comparable between runs.
const sourceDateEpoch = '1767225600';

function cli(...args: string[]): void {
  execFileSync(process.execPath, ['bin/scoring-desk.js', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SOURCE_DATE_EPOCH: sourceDateEpoch },
  });
}

export function ensureDemoBase(): DemoBase {
  const folder = path.join(cacheRoot, folderPrefix + producersHash());
  const marker = path.join(folder, 'complete');
  const base = { db: path.join(folder, 'base.sqlite'), model: path.join(folder, 'model') };
  if (existsSync(marker)) return base;
  // Bases made by other versions of the code are of no further use.
  for (const name of existsSync(cacheRoot) ? readdirSync(cacheRoot) : []) {
    if (name.startsWith(folderPrefix) || name === `e2e-${clients}`)
      rmSync(path.join(cacheRoot, name), { recursive: true, force: true });
  }
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
