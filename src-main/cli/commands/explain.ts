import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { explainCsvFile, type ExplainCsvSummary } from '../../explain/explainCsv.ts';
import { createProgress } from '../progress.ts';

interface ExplainOptions {
  model?: string;
  input?: string;
  out?: string;
  background?: string;
  threads: number;
}

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description("explain a tree model's scores: exact TreeSHAP values for every row of a CSV file")
    .option('--model <file.onnx>', 'the model (an ONNX TreeEnsembleClassifier or TreeEnsembleRegressor)')
    .option('--input <rows.csv>', 'rows to explain, one column per feature (empty, NaN or NA = missing)')
    .option('--out <shap.csv>', 'where to write margin, probability, shap_<feature>..., shap_bias per row')
    .option(
      '--background <rows.csv>',
      'background sample for interventional TreeSHAP (needed when the model has no node covers)',
    )
    .option(
      '--threads <n>',
      'worker threads (1 = none; an input under 256 KB is explained without)',
      parseThreads,
      Math.min(2, availableParallelism()),
    )
    .addHelpText(
      'after',
      `
Input columns are matched to the model's features by name (its feature_names metadata), or by position when the
header names none of them or there is no header. SHAP values are on the margin (log-odds) scale and add up:
shap_bias + Σ shap_<feature> = margin. probability is the model's output for the positive class (the margin
itself when the model has no logistic post_transform). With node covers in the model (nodes_hitrates), values are
path-dependent TreeSHAP, as XGBoost's pred_contribs; with --background, interventional TreeSHAP over its rows.`,
    )
    .action(async (options: ExplainOptions, command: Command) => {
      const { model, input, out } = auditFiles(options, command);
      const progress = createProgress();
      let started = false;
      const summary = await explainCsvFile({
        modelFile: model,
        inputFile: input,
        outFile: out,
        backgroundFile: options.background,
        threads: options.threads,
        onProgress(bytesRead, totalBytes, rows) {
          if (!started) progress.start('Explaining', totalBytes);
          started = true;
          progress.update(bytesRead, `${rows.toLocaleString('en')} rows`);
        },
      }).catch((error: unknown) => {
        progress.stop('failed');
        throw error;
      });
      progress.stop();
      process.stdout.write(formatSummary(summary, out));
    });
}

/**
 * The --model/--input/--out form (audit a model on a file of rows) needs all three. Kept as one mode among
 * others: the one-client form (--db, --client) will be validated beside it.
 */
function auditFiles(
  options: ExplainOptions,
  command: Command,
): { model: string; input: string; out: string } {
  const { model, input, out } = options;
  if (model && input && out) return { model, input, out };
  const missing = (['model', 'input', 'out'] as const)
    .filter((name) => !options[name])
    .map((name) => `--${name}`);
  return command.error(
    `error: explain needs --model, --input and --out together (missing ${missing.join(', ')})`,
    {
      exitCode: 2,
    },
  );
}

function parseThreads(value: string): number {
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new InvalidArgumentError('--threads takes a whole number from 1 to 64');
  }
  return threads;
}

export function formatSummary(summary: ExplainCsvSummary, out: string): string {
  return (
    `Explained ${summary.rows.toLocaleString('en')} rows into ${out} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.threads} thread${summary.threads > 1 ? 's' : ''})\n` +
    `  Input: ${summary.columns}\n` +
    `  Method: ${summary.notice}\n`
  );
}
