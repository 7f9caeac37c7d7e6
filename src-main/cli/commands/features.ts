import type { Command } from 'commander';
import { openClientBase } from '../../data/clientBase.ts';
import { computeFeatures, type FeatureRunSummary } from '../../features/batch.ts';
import { exportFeaturesCsv } from '../../features/exportCsv.ts';
import { createProgress } from '../progress.ts';

export function registerFeaturesCommand(program: Command): void {
  program
    .command('features')
    .description(
      "compute the kernel's 795 features of every client into the client base (only what changed since last time)",
    )
    .requiredOption('--db <file>', 'the client base (SQLite file)')
    .option(
      '--out <file>',
      'also write them as CSV: SK_ID_CURR, TARGET, then every feature (empty = missing)',
    )
    .option('--full', 'recompute every client, even those whose data did not change')
    .addHelpText(
      'after',
      `
The recipe and its choices (missing values, division by zero, CODE_GENDER 'XNA' rows left out) are described in
docs/features.md.`,
    )
    .action(async (options: { db: string; out?: string; full?: boolean }) => {
      const db = openClientBase(options.db);
      const progress = createProgress();
      try {
        let phase = '';
        const summary = await computeFeatures(db, {
          full: options.full ?? false,
          onProgress(event) {
            const label = event.phase === 'block' ? 'Computing' : 'Storing';
            if (label !== phase) {
              if (phase) progress.stop();
              progress.start(label, event.total);
              phase = label;
            }
            progress.update(event.done, event.block ?? `${event.done} clients`);
          },
        });
        progress.stop();
        process.stdout.write(formatSummary(summary));
        if (options.out) {
          const rows = exportFeaturesCsv(db, options.out);
          process.stdout.write(`Wrote ${rows} clients to ${options.out}\n`);
        }
      } finally {
        progress.stop();
        db.close();
      }
    });
}

export function formatSummary(summary: FeatureRunSummary): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let out = `Features: ${summary.mode} (${summary.reason}); ${summary.written} clients computed, ${summary.stored} stored, in ${seconds(summary.elapsedMs)}\n`;
  for (const block of summary.blocks) {
    out += `  ${block.name.padEnd(14)} ${String(block.clients).padStart(9)} clients  ${seconds(block.ms).padStart(8)}\n`;
  }
  if (summary.blocks.length > 0)
    out += `  ${'storing'.padEnd(14)} ${' '.repeat(17)}  ${seconds(summary.writeMs).padStart(8)}\n`;
  return out;
}
