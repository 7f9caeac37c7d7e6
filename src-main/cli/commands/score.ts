import type { Command } from 'commander';
import { openClientBase } from '../../data/clientBase.ts';
import { DEFAULT_SCORE_BATCH, scoreClientBase } from '../../model/batchScoring.ts';
import { loadClientScorer } from '../../model/clientScoring.ts';
import { wholeNumber } from '../numberOptions.ts';
import { createProgress } from '../progress.ts';

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description(
      "score every client of a base with a model: probability of default and decision, stored in table 'score'",
    )
    .requiredOption('--db <file>', 'the client base (SQLite file), features computed')
    .requiredOption('--model <dir>', 'the model folder (model.onnx)')
    .option(
      '--batch <n>',
      'clients per batch (one transaction each)',
      wholeNumber('--batch', 1, 1_000_000),
      DEFAULT_SCORE_BATCH,
    )
    .addHelpText(
      'after',
      `
Scores are stored per model version: scoring again with the same model replaces its scores, other models' stay.`,
    )
    .action(async (options: { db: string; model: string; batch: number }) => {
      const t0 = performance.now();
      const scorer = await loadClientScorer(options.model);
      const db = openClientBase(options.db);
      const progress = createProgress();
      try {
        const summary = await scoreClientBase(db, options.db, scorer, {
          batchSize: options.batch,
          onProgress(scored, total) {
            if (scored === 0) progress.start('Scoring', total);
            else progress.update(scored, `${scored} clients`);
          },
        });
        progress.stop();
        const refused = summary.clients ? ((100 * summary.refused) / summary.clients).toFixed(1) : '0.0';
        process.stdout.write(
          `Scored ${summary.clients} clients with model ${summary.modelVersion} (threshold ${summary.threshold}): ` +
            `${summary.refused} refused (${refused} %), in ${((performance.now() - t0) / 1000).toFixed(1)} s.\n`,
        );
      } catch (error) {
        progress.stop('failed');
        throw error;
      } finally {
        db.close();
        await scorer.release();
      }
    });
}
