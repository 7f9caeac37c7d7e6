import { InvalidArgumentError, type Command } from 'commander';
import { statSync } from 'node:fs';
import { generateDemoData, type DemoDataSummary } from '../../data/demo/generate.ts';
import { createProgress } from '../progress.ts';

const MAX_CLIENTS = 10_000_000;

interface DemoDataOptions {
  clients: number;
  seed: number;
  out: string;
}

export function registerDemoDataCommand(program: Command): void {
  program
    .command('demo-data')
    .description(
      'write a realistic, Kaggle-shaped Home Credit data set (the seven tables as eight CSV files, plus client_identity.csv)',
    )
    .option(
      '--clients <n>',
      `number of clients, about 85 % labelled and 15 % pending (1 to ${MAX_CLIENTS})`,
      parseClients,
      2000,
    )
    .option(
      '--seed <s>',
      'seed: the same seed gives the same files, byte for byte (0 to 4294967295)',
      parseSeed,
      1,
    )
    .requiredOption(
      '--out <dir>',
      'folder to write the CSV files into (created if missing; files in it are replaced)',
    )
    .addHelpText(
      'after',
      '\nThe generator, its parameters and the true risk drivers behind TARGET are described in docs/demo-data.md.',
    )
    .action(async (options: DemoDataOptions) => {
      checkOutDir(options.out);
      const progress = createProgress();
      progress.start('demo-data', options.clients);
      let summary: DemoDataSummary;
      try {
        summary = await generateDemoData({
          clients: options.clients,
          seed: options.seed,
          outDir: options.out,
          onProgress: (done) => progress.update(done, `${done} clients`),
        });
      } finally {
        progress.stop();
      }
      process.stdout.write(formatSummary(summary, options.out));
    });
}

/** Refuses an --out that exists but is not a folder before any work starts. */
function checkOutDir(dir: string): void {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new Error(`--out ${dir} is a file, not a folder.`);
}

function parseClients(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_CLIENTS) {
    throw new InvalidArgumentError(
      `--clients must be a whole number from 1 to ${MAX_CLIENTS} (got '${value}').`,
    );
  }
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 0xffffffff) {
    throw new InvalidArgumentError(`--seed must be a whole number from 0 to 4294967295 (got '${value}').`);
  }
  return n;
}

function formatSummary(s: DemoDataSummary, outDir: string): string {
  const width = Math.max(...s.files.map((f) => f.name.length));
  const lines = s.files.map(
    (f) =>
      `  ${f.name.padEnd(width)}  ${f.rows.toLocaleString('en-US').padStart(12)} rows  ${mebibytes(f.bytes).padStart(9)}`,
  );
  return [
    `Demo data written to ${outDir}:`,
    ...lines,
    `Clients: ${s.trainClients + s.testClients} (${s.trainClients} labelled, ${s.testClients} pending).`,
    `Default rate: ${percent(s.defaultRate)} (${s.defaults} defaults); AUC of the true risk: ${
      Number.isNaN(s.latentAuc) ? 'n/a' : s.latentAuc.toFixed(3)
    }.`,
    `Elapsed: ${(s.elapsedMs / 1000).toFixed(1)} s.`,
    '',
  ].join('\n');
}

function percent(share: number): string {
  return Number.isNaN(share) ? 'n/a' : `${(100 * share).toFixed(2)} %`;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
