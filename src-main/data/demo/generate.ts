import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rocAuc } from '../../stats/auc.ts';
import { tableSpec, tables, type TableName } from '../schema.ts';
import { ApplicationBuilder, type Client } from './application.ts';
import { BureauBuilder } from './bureau.ts';
import { CsvWriter, type CsvColumn, type Row } from './csvWriter.ts';
import { sigmoid } from './distributions.ts';
import { IDENTITY_COLUMNS, IDENTITY_FILE, IdentityBuilder } from './identity.ts';
import { loadDemoParams, type DemoParams } from './params.ts';
import { PreviousBuilder } from './previous.ts';
import { Rng } from './prng.ts';
import { RepaymentBuilder } from './repayments.ts';
import { calibrateIntercept, observe, RiskModel } from './risk.ts';

/** Everything generated for one client, before it is written. */
interface ClientRecord {
  client: Client;
  rows: Record<Exclude<TableName, 'application'>, Row[]>;
  identity: Row;
  /** Risk logit without the intercept, noise included. */
  score: number;
}

/**
 * Draws clients one at a time: hidden traits and the application first, then the histories that depend on the
 * traits, then the risk score from the traits and what the histories show. Ids of bureau credits and previous
 * applications run on across clients.
 */
class ClientGenerator {
  private readonly application: ApplicationBuilder;
  private readonly bureau: BureauBuilder;
  private readonly previous: PreviousBuilder;
  private readonly repayments: RepaymentBuilder;
  private readonly identities: IdentityBuilder;
  private readonly risk: RiskModel;
  private bureauId: number;
  private previousId: number;

  constructor(params: DemoParams, seed: number) {
    this.application = new ApplicationBuilder(params);
    this.bureau = new BureauBuilder(params);
    this.previous = new PreviousBuilder(params);
    this.repayments = new RepaymentBuilder(params);
    this.identities = new IdentityBuilder(seed);
    this.risk = new RiskModel(params.risk);
    this.bureauId = params.population.firstBureauId;
    this.previousId = params.population.firstPreviousId;
  }

  /** `identityRng` is a stream of its own, so that names do not shift the Kaggle tables of a seed. */
  generate(rng: Rng, identityRng: Rng, id: number): ClientRecord {
    const client = this.application.build(rng, id);
    const bureau = this.bureau.build(rng, client, () => this.bureauId++);
    const previous = this.previous.build(rng, client, () => this.previousId++);
    const repayments = this.repayments.build(rng, client, previous);
    const observed = observe(bureau.bureau, previous.rows, repayments.instalments);
    return {
      client,
      rows: {
        bureau: bureau.bureau,
        bureau_balance: bureau.balance,
        previous_application: previous.rows,
        POS_CASH_balance: repayments.pos,
        installments_payments: repayments.instalments,
        credit_card_balance: repayments.cards,
      },
      identity: this.identities.build(identityRng, client),
      score: this.risk.score(rng, client, observed),
    };
  }
}

const intercepts = new WeakMap<DemoParams, number>();

/**
 * The intercept that gives the target default rate, solved on a pilot sample drawn with a fixed seed, so the
 * true risk model is the same for every seed (and computed once per process).
 */
function interceptFor(params: DemoParams): number {
  const known = intercepts.get(params);
  if (known !== undefined) return known;
  const generator = new ClientGenerator(params, params.risk.calibrationSeed);
  const rng = new Rng(params.risk.calibrationSeed);
  const scores = new Float64Array(params.risk.calibrationClients);
  for (let i = 0; i < scores.length; i++) {
    scores[i] = generator.generate(rng, rng, params.population.firstClientId + i).score;
  }
  const intercept = calibrateIntercept(scores, params.risk.targetDefaultRate);
  intercepts.set(params, intercept);
  return intercept;
}

function identitySeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

export interface DemoDataOptions {
  clients: number;
  seed: number;
  outDir: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoDataSummary {
  files: { name: string; rows: number; bytes: number }[];
  trainClients: number;
  testClients: number;
  defaults: number;
  defaultRate: number;
  /** AUC of the true default probability on the labelled clients: the ceiling a model could reach. */
  latentAuc: number;
  intercept: number;
  elapsedMs: number;
}

const PROGRESS_EVERY = 1000;

/**
 * Writes the seven Kaggle tables (eight files) and client_identity.csv for `clients` clients into `outDir`.
 * Rows are written as each client is generated and the loop waits whenever a file's stream is full, so memory
 * stays bounded whatever the number of clients; only one probability per labelled client is kept, for the AUC.
 */
export async function generateDemoData(options: DemoDataOptions): Promise<DemoDataSummary> {
  const started = performance.now();
  const params = loadDemoParams();
  const intercept = interceptFor(params);
  await mkdir(options.outDir, { recursive: true });
  const files = openFiles(options.outDir, params);
  const writers = [...files.values()];
  const train = files.get('application_train.csv')!;
  const test = files.get('application_test.csv')!;
  const identity = files.get(IDENTITY_FILE)!;
  const tableWriters = tables
    .filter((t) => t.name !== 'application')
    .map((t) => [t.name as Exclude<TableName, 'application'>, files.get(t.files[0]!.name)!] as const);

  const rng = new Rng(options.seed);
  const identityRng = new Rng(identitySeed(options.seed));
  const generator = new ClientGenerator(params, options.seed);
  const probabilities = new Float64Array(options.clients);
  const targets = new Uint8Array(options.clients);
  let labelled = 0;
  let defaults = 0;
  try {
    for (let i = 0; i < options.clients; i++) {
      const isTrain = rng.chance(params.population.trainShare);
      const record = generator.generate(rng, identityRng, params.population.firstClientId + i);
      const application = record.client.application;
      if (isTrain) {
        const p = sigmoid(intercept + record.score);
        const target = rng.chance(p) ? 1 : 0;
        application.TARGET = target;
        probabilities[labelled] = p;
        targets[labelled++] = target;
        defaults += target;
        train.write(application);
      } else {
        test.write(application);
      }
      for (const [table, writer] of tableWriters) for (const row of record.rows[table]) writer.write(row);
      identity.write(record.identity);
      if (writers.some((w) => w.needsDrain)) await Promise.all(writers.map((w) => w.drained()));
      if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === options.clients)
        options.onProgress?.(i + 1, options.clients);
    }
    await Promise.all(writers.map((w) => w.end()));
  } catch (error) {
    await Promise.allSettled(writers.map((w) => w.end()));
    throw error;
  }

  const summaryFiles = [];
  for (const [name, writer] of files) {
    summaryFiles.push({ name, rows: writer.rows, bytes: (await stat(join(options.outDir, name))).size });
  }
  return {
    files: summaryFiles,
    trainClients: labelled,
    testClients: options.clients - labelled,
    defaults,
    defaultRate: labelled === 0 ? NaN : defaults / labelled,
    latentAuc: rocAuc(probabilities.subarray(0, labelled), targets.subarray(0, labelled)),
    intercept,
    elapsedMs: performance.now() - started,
  };
}

/** One writer per Kaggle file, with the schema's columns in the schema's order, plus the identity file. */
function openFiles(outDir: string, params: DemoParams): Map<string, CsvWriter> {
  const files = new Map<string, CsvWriter>();
  const open = (name: string, columns: readonly CsvColumn[]) =>
    files.set(
      name,
      new CsvWriter(createWriteStream(join(outDir, name), { highWaterMark: 1 << 20 }), columns),
    );
  for (const table of tables) {
    const floats = new Set(params.kaggleFloatColumns[table.name] ?? []);
    for (const name of floats) {
      const column = table.columns.find((c) => c.name === name);
      if (!column || column.type === 'category')
        throw new Error(`demo parameters: ${table.name}.${name} is not a numeric column`);
    }
    for (const file of table.files) {
      const columns = tableSpec(table.name as TableName)
        .columns.filter((c) => !file.withoutColumns.includes(c.name))
        .map((c): CsvColumn => ({
          name: c.name,
          format: c.type === 'category' ? 'text' : floats.has(c.name) ? 'float' : 'int',
        }));
      open(file.name, columns);
    }
  }
  open(IDENTITY_FILE, IDENTITY_COLUMNS);
  return files;
}
