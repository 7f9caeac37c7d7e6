import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { openClientBase } from '../../data/clientBase.ts';
import { LANGS, type Lang } from '../../explain/clientExplanation.ts';
import { explainCsvFile, type ExplainCsvSummary } from '../../explain/explainCsv.ts';
import { ExplanationEngine } from '../../explain/explanationEngine.ts';
import { readExplanationReference } from '../../explain/explanationReference.ts';
import { lenderEnvVar, loadLenderDetails } from '../../services/lenderDetails.ts';
import { Offers } from '../../services/offers.ts';
import { formatClientReport } from '../clientReport.ts';
import { createProgress } from '../progress.ts';

interface ExplainOptions {
  model?: string;
  input?: string;
  out?: string;
  background?: string;
  threads: number;
  db?: string;
  client?: number;
  lang: Lang;
}

/** Where the one-client form finds the model when --model is not given. */
export const DEFAULT_MODEL_DIR = 'models';

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description(
      "explain a client's decision (--db, --client), or a tree model's scores on every row of a CSV file (--input, --out)",
    )
    .option(
      '--model <file.onnx|dir>',
      `the model: an ONNX TreeEnsembleClassifier or TreeEnsembleRegressor (with --db, its folder; default ${DEFAULT_MODEL_DIR}/)`,
    )
    .option('--db <file>', 'the client base (with --client)')
    .option('--client <SK_ID_CURR>', 'the client whose decision to explain (with --db)', parseClientId)
    .option('--lang <fr|en>', 'language of the explanation (with --client)', parseLang, 'fr' as Lang)
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
With --db and --client: the probability of default, the decision, the principal reasons, the contributions by
reason family and what would change the decision (amount, term, down payment), in French or English. The first
time a model is used this way, statistics of the client base are computed and kept beside it
(explanation-reference.json).

With --input and --out: input columns are matched to the model's features by name (its feature_names
metadata), or by position when the header names none of them or there is no header. SHAP values are on the
margin (log-odds) scale and add up: shap_bias + Σ shap_<feature> = margin. probability is the model's output for
the positive class (the margin itself when the model has no logistic post_transform). With node covers in the
model (nodes_hitrates), values are path-dependent TreeSHAP, as XGBoost's pred_contribs; with --background,
interventional TreeSHAP over its rows.`,
    )
    .action(async (options: ExplainOptions, command: Command) => {
      if (options.db !== undefined || options.client !== undefined) {
        explainOneClient(await openEngine(options, command), options);
        return;
      }
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

interface ClientRun {
  engine: ExplanationEngine;
  db: ReturnType<typeof openClientBase>;
  client: number;
}

/** The one-client form: --db and --client together, nothing of the file form. */
async function openEngine(options: ExplainOptions, command: Command): Promise<ClientRun> {
  const { db: dbFile, client } = options;
  if (dbFile === undefined || client === undefined) {
    return command.error(
      `error: explain needs --db and --client together (missing --${dbFile ? 'client' : 'db'})`,
      {
        exitCode: 2,
      },
    );
  }
  const stray = (['input', 'out', 'background'] as const).filter((name) => options[name] !== undefined);
  if (stray.length > 0) {
    return command.error(
      `error: ${stray.map((name) => `--${name}`).join(', ')} belong to the file form, not to --db/--client`,
      { exitCode: 2 },
    );
  }
  const model = options.model ?? DEFAULT_MODEL_DIR;
  const modelDir = model.endsWith('.onnx') ? dirname(model) : model;
  const db = openClientBase(dbFile);
  try {
    if (!readExplanationReference(modelDir)) {
      process.stderr.write(
        `Computing the explanation reference of ${modelDir} from ${dbFile} (once per model)…\n`,
      );
    }
    return { engine: await ExplanationEngine.open(modelDir, { db }), db, client };
  } catch (error) {
    db.close();
    throw error;
  }
}

function explainOneClient(run: ClientRun, options: ExplainOptions): void {
  try {
    const explanation = run.engine.explainClient(run.db, run.client, options.lang);
    const rate = new Offers(run.db, loadLenderDetails(process.env[lenderEnvVar] || undefined)).rateOf(
      run.client,
    );
    const counterfactuals = run.engine.counterfactuals(run.db, run.client, options.lang, rate);
    process.stdout.write(formatClientReport(explanation, counterfactuals));
  } finally {
    run.db.close();
  }
}

function parseClientId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError('--client takes a client number (SK_ID_CURR), a positive whole number');
  }
  return id;
}

function parseLang(value: string): Lang {
  if (!(LANGS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`--lang takes ${LANGS.join(' or ')}`);
  }
  return value as Lang;
}

/** The --model/--input/--out form (audit a model on a file of rows) needs all three. */
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
