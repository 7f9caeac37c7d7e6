import type { Command } from 'commander';
import { openClientBase } from '../../data/clientBase.ts';
import { buildExplanationReference } from '../../explain/explanationReference.ts';
import { kernelParams, paramRules, type BoosterParams } from '../../model/boosterParams.ts';
import { DEFAULT_THREADS } from '../../model/histogramEngine.ts';
import { writeModelFolder } from '../../model/modelFolder.ts';
import {
  trainFromClientBase,
  writeTrainedModel,
  type TrainedModel,
} from '../../model/trainFromClientBase.ts';
import { formatDuration, TrainingEta } from '../../model/trainingEta.ts';
import { NoSplitError } from '../../model/trainBooster.ts';
import { positiveNumber, ruledNumber, wholeNumber } from '../numberOptions.ts';
import { createProgress } from '../progress.ts';

/** The hyperparameters the command takes, by option: the kernel's values by default (boosterParams.ts). */
const HYPERPARAMETERS: readonly { flag: string; key: Exclude<keyof BoosterParams, 'seed'>; what: string }[] =
  [
    { flag: '--learning-rate', key: 'learningRate', what: 'shrinkage of each tree' },
    {
      flag: '--rounds',
      key: 'numRounds',
      what: 'most boosting rounds per training (early stopping usually ends sooner)',
    },
    {
      flag: '--early-stopping-rounds',
      key: 'earlyStoppingRounds',
      what: 'rounds without a better validation AUC before a fold stops',
    },
    { flag: '--num-leaves', key: 'numLeaves', what: 'leaves per tree' },
    { flag: '--max-depth', key: 'maxDepth', what: 'deepest level of a leaf, root = 0 (≤ 0: no limit)' },
    {
      flag: '--min-child-weight',
      key: 'minChildWeight',
      what: 'smallest hessian sum in a leaf, about p(1 − p) a row: 0.074 at 8 % defaults',
    },
    { flag: '--min-data-in-leaf', key: 'minDataInLeaf', what: 'fewest rows in a leaf' },
    { flag: '--min-split-gain', key: 'minSplitGain', what: 'smallest loss reduction of a split' },
    { flag: '--colsample-bytree', key: 'colsampleByTree', what: 'share of the features drawn for each tree' },
    {
      flag: '--subsample',
      key: 'subsample',
      what: 'share of the rows drawn for each bag (with --subsample-freq)',
    },
    {
      flag: '--subsample-freq',
      key: 'subsampleFreq',
      what: 'a new bag every this many rounds (0: no bagging)',
    },
    { flag: '--reg-alpha', key: 'regAlpha', what: 'L1 penalty on leaf values' },
    { flag: '--reg-lambda', key: 'regLambda', what: 'L2 penalty on leaf values' },
    {
      flag: '--scale-pos-weight',
      key: 'scalePosWeight',
      what: 'weight of defaults in the gradients (probabilities are then recalibrated)',
    },
  ];

interface TrainCommandOptions {
  db: string;
  out: string;
  folds: number;
  seed: number;
  costFn: number;
  costFp: number;
  threads: number;
}

/** The hyperparameter options' values (commander names them by the flag: --min-child-weight → minChildWeight). */
function hyperparameters(options: TrainCommandOptions): Partial<BoosterParams> {
  const parsed = options as unknown as Record<string, number>;
  return Object.fromEntries(
    HYPERPARAMETERS.map(({ flag, key }) => [
      key,
      parsed[flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())]!,
    ]),
  );
}

/** Progress bar steps: the estimate moves in thousandths. */
const STEPS = 1000;

export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train the scoring model on the labelled clients of a base: cross-validation, calibration, cost threshold, ONNX model and methodology note',
    )
    .requiredOption('--db <file>', 'the client base (SQLite file), features computed')
    .requiredOption('--out <dir>', 'model folder to write model.onnx, model-card.json and model-card.md into')
    .option('--folds <k>', 'stratified cross-validation folds', wholeNumber('--folds', 2, 20), 5)
    .option('--seed <s>', 'seed of the folds and of the trainer', wholeNumber('--seed', 0, 2 ** 31 - 1), 1)
    .option(
      '--cost-fn <c>',
      'cost of a false negative (credit granted to a defaulter)',
      positiveNumber('--cost-fn', true),
      10,
    )
    .option(
      '--cost-fp <c>',
      'cost of a false positive (good client refused)',
      positiveNumber('--cost-fp', true),
      1,
    )
    .option(
      '--threads <n>',
      'histogram worker threads (0 = none)',
      wholeNumber('--threads', 0, 64),
      DEFAULT_THREADS,
    );
  for (const { flag, key, what } of HYPERPARAMETERS) {
    command.option(
      `${flag} <${paramRules[key].rule.includes('integer') ? 'n' : 'x'}>`,
      what,
      ruledNumber(flag, paramRules[key]),
      kernelParams[key],
    );
  }
  command
    .addHelpText(
      'after',
      `
Labelled clients only (TARGET known); protected attributes (data/features/protected.json) are not model inputs.
The folder is written atomically: the files are staged beside it and renamed into it only when all are complete.
Set SOURCE_DATE_EPOCH (seconds since 1970) to fix the creation date: the same base, options and code then give
the same model.onnx byte for byte.`,
    )
    .action(async (options: TrainCommandOptions) => {
      const t0 = performance.now();
      const db = openClientBase(options.db, { readonly: true });
      const progress = createProgress();
      const eta = new TrainingEta();
      let trained: TrainedModel;
      try {
        trained = await trainFromClientBase(db, options.db, {
          folds: options.folds,
          seed: options.seed,
          costs: { falseNegative: options.costFn, falsePositive: options.costFp },
          threads: options.threads,
          params: hyperparameters(options),
          onLoaded(rows, features) {
            process.stderr.write(`Training on ${rows} labelled clients × ${features} features\n`);
            progress.start('Training', STEPS);
          },
          onProgress(p) {
            const { done, secondsLeft } = eta.update(p);
            const step =
              p.stage === 'binning'
                ? 'binning'
                : p.stage === 'final'
                  ? `final model, tree ${p.round}/${p.maxRounds}`
                  : `fold ${p.fold! + 1}/${p.folds}, tree ${p.round}` +
                    (p.validAuc === undefined ? '' : `, AUC ${p.validAuc.toFixed(4)}`);
            const left = secondsLeft === undefined ? '' : `, ETA ${formatDuration(secondsLeft)}`;
            progress.update(Math.floor(done * STEPS), step + left);
          },
        });
        progress.stop();
      } catch (error) {
        progress.stop('failed');
        db.close();
        if (!(error instanceof NoSplitError)) throw error;
        const flags = error.limits.map((key) => HYPERPARAMETERS.find((h) => h.key === key)!.flag);
        throw new Error(
          `${error.message}. Lower ${flags.join(' or ')} (README: "A small base"); the kernel's values suit ` +
            'tens of thousands of clients.',
        );
      }
      let files: string[];
      try {
        files = await writeModelFolder(options.out, async (staging) => {
          writeTrainedModel(staging, trained);
          // The statistics explanations compare a client with travel with the model (explanation-reference.json).
          await buildExplanationReference(db, staging, { threads: Math.max(1, options.threads) });
        });
      } finally {
        db.close();
      }
      process.stdout.write(formatSummary(trained, files, performance.now() - t0));
    });
}

function formatSummary({ card }: TrainedModel, files: string[], elapsedMs: number): string {
  const { metrics, decision, imbalance, training } = card;
  const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
  return [
    `Model ${card.model.version}: ${card.data.labelledRows} clients (${percent(card.data.defaultRate)} defaults), ` +
      `${card.features.count} features, ${training.folds} folds, ${training.finalRounds} trees.`,
    `  Out-of-fold AUC ${metrics.oofAuc.toFixed(4)}; per fold ${metrics.foldAuc.mean.toFixed(4)} ± ${metrics.foldAuc.std.toFixed(4)}; ` +
      `log-loss ${metrics.logLoss.toFixed(4)}, Brier ${metrics.brier.toFixed(4)}.`,
    `  Calibration: ${imbalance.calibration.method}; largest decile gap ${percent(imbalance.maxDecileGap.calibrated)} ` +
      `(${imbalance.withinTolerance ? 'within' : 'OUTSIDE'} the ${percent(imbalance.maxDecileGap.tolerance)} tolerance).`,
    `  Threshold ${decision.threshold} (cost ${card.costs.falseNegative}·FN + ${card.costs.falsePositive}·FP ` +
      `= ${decision.cost}): ${percent(decision.refusalRate)} refused.`,
    `Wrote ${files.join(', ')} in ${formatDuration(elapsedMs / 1000)}.`,
    '',
  ].join('\n');
}
