import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientBaseEnvVar, demoClientBase } from '../src-main/electron/clientBasePath.ts';

/**
 * Run before `npm start`: makes sure the client base the app opens in development exists, by generating the demo
 * data and importing it the first time. A base chosen through SCORING_DESK_DB is the user's business.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const demoCsv = path.join('data', 'demo', 'csv');

function cli(...args: string[]): void {
  console.info(`> scoring-desk ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [path.join('bin', 'scoring-desk.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`ensure-demo-base: scoring-desk ${args[0]} failed; the demo client base was not created.`);
    process.exit(result.status ?? 1);
  }
}

if (process.env[clientBaseEnvVar]) {
  console.info(
    `${clientBaseEnvVar} is set: the app opens ${process.env[clientBaseEnvVar]}, no demo base needed.`,
  );
} else if (existsSync(path.join(root, demoClientBase))) {
  console.info(`Demo client base: ${demoClientBase}`);
} else {
  console.info(`Creating the demo client base ${demoClientBase} (first start only).`);
  cli('demo-data', '--clients', '2000', '--seed', '1', '--out', demoCsv);
  cli('import', demoCsv, '--db', demoClientBase);
}
