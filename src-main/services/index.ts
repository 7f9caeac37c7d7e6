import packageJson from '../../package.json' with { type: 'json' };
import type { ApiHandlers, ApiMethod, Caller, CallerHandlers, Manager } from '../api/contract.ts';
import { openClientBase } from '../data/clientBase.ts';
import { createAuditService, savePrintedSheet } from './audit.ts';
import { AuditLog } from './auditLog.ts';
import { ClientIndex } from './clientIndex.ts';
import { createClientFileService } from './clientFile.ts';
import { createClientsService } from './clients.ts';
import { Comparisons, createComparisonService } from './comparison.ts';
import type { ServiceContext } from './context.ts';
import { createDecisionsService } from './decisions.ts';
import { createDeskService, Desk } from './desk.ts';
import { createExplanationsService, Explanations } from './explanations.ts';
import { createModelInfoService } from './modelInfo.ts';
import { ModelRuntime } from './modelRuntime.ts';
import { createScoringService, Scores } from './scoring.ts';
import { createWhatIfService } from './whatIf.ts';
import { loadLenderDetails } from './lenderDetails.ts';
import { Offers } from './offers.ts';

/**
 * The composition root of the application core: opens the client base and the model folder once, builds the
 * services over them and hands back the contract's handlers. Both transports (HTTP, Electron IPC) and the tests
 * get their services here and nowhere else.
 */

export interface ServicesOptions {
  /** The client base (SQLite file); it must exist. */
  dbPath: string;
  /** The model folder (model.onnx, model-card.json). A folder that cannot be used leaves the services without a model. */
  modelDir: string;
  /** The manager named at the desk from the start (tests, scripts); default: nobody until setDesk. */
  deskManager?: Manager;
  now?: () => Date;
  /** Where to say that the model could not be loaded; default: console.warn. */
  onWarning?: (message: string) => void;
  /** The lender details file (see lenderDetails.ts); default: data/lender/lender.json. */
  lenderFile?: string;
}

export interface Services {
  /** The API for the desk: the desktop app's window, or the local server without sign-in. */
  readonly handlers: ApiHandlers;
  /** The API for a caller the transport identified (a manager's personal token). */
  handlersFor(caller: Caller): ApiHandlers;
  readonly context: ServiceContext;
  /** Prepares what the first name search and the first comparison would otherwise wait for (names' words, past clients' feature columns). */
  warmUp(): void;
  /** The desktop app's print to PDF of a logged print (see audit.ts), by the desk's manager. */
  savePrintedSheet(
    traceId: string,
    save: () => Promise<{ path: string; bytes: number }>,
  ): Promise<{ path: string; bytes: number }>;
  close(): Promise<void>;
}

/** Features kept in memory for comparisons beyond the similarity ones: the model's most important. */
const PINNED_IMPORTANT_FEATURES = 50;

export async function createServices(options: ServicesOptions): Promise<Services> {
  const lender = loadLenderDetails(options.lenderFile);
  const db = openClientBase(options.dbPath);
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  let model: ModelRuntime | undefined;
  let modelProblem: string | undefined;
  try {
    model = await ModelRuntime.load(options.modelDir, db, (message) => warn(`Scoring Desk: ${message}`));
  } catch (error) {
    modelProblem = (error as Error).message;
    warn(`Scoring Desk runs without a model: ${modelProblem}`);
  }
  const now = options.now ?? (() => new Date());
  const context: ServiceContext = {
    db,
    index: ClientIndex.load(db, model?.version ?? null, model?.threshold ?? Number.NaN),
    model,
    modelProblem,
    audit: new AuditLog(db, now),
    now,
  };
  const scores = new Scores(context);
  const offers = new Offers(db, lender);
  const explanations = new Explanations(context, scores);
  const comparisons = new Comparisons(
    context,
    scores,
    (clientId, lang, among) => explanations.mattering(clientId, lang, among),
    () =>
      (model?.card?.importance.top ?? []).slice(0, PINNED_IMPORTANT_FEATURES).map((entry) => entry.feature),
  );
  const desk = new Desk(options.deskManager ?? null);
  const callerHandlers: CallerHandlers = {
    async getStatus() {
      let pending = 0;
      let scored = 0;
      for (let row = 0; row < context.index.size; row++) {
        if (context.index.status(row) === 'pending') pending++;
        if (!Number.isNaN(context.index.probability[row]!)) scored++;
      }
      return {
        version: packageJson.version,
        modelVersion: model?.version ?? null,
        threshold: model?.threshold ?? null,
        clients: context.index.size,
        pending,
        scored,
        auditChain: context.audit.verify({ since: 'checkpoint' }),
        lender,
      };
    },
    ...createClientsService(context, scores),
    ...createClientFileService(context),
    ...createScoringService(scores),
    ...createExplanationsService(explanations),
    ...createComparisonService(comparisons),
    ...createWhatIfService(context, explanations, offers),
    ...createModelInfoService(context),
    ...createDecisionsService(context, scores, offers),
    ...createAuditService(context),
    ...createDeskService(context, desk),
  };
  const deskCaller = (): Caller => ({ via: 'desk', manager: desk.manager });
  return {
    handlers: bindCaller(callerHandlers, deskCaller),
    handlersFor: (caller) => bindCaller(callerHandlers, () => caller),
    context,
    warmUp: () => {
      context.index.prepareNameSearch();
      comparisons.warmUp();
    },
    savePrintedSheet: (traceId, save) => savePrintedSheet(context, deskCaller(), traceId, save),
    async close() {
      await model?.release();
      db.close();
    },
  };
}

/** The handlers with the caller filled in, read at each call (the desk's manager may change between calls). */
function bindCaller(handlers: CallerHandlers, caller: () => Caller): ApiHandlers {
  const bound: Partial<Record<ApiMethod, (input: never) => Promise<unknown>>> = {};
  for (const method of Object.keys(handlers) as ApiMethod[]) {
    const handler = handlers[method] as (input: unknown, caller: Caller) => Promise<unknown>;
    bound[method] = (input: never) => handler(input, caller());
  }
  return bound as ApiHandlers;
}
