import type { ClientBase } from '../data/clientBase.ts';
import type { Caller, Manager } from '../api/contract.ts';
import { forbidden, modelUnavailable, notFound } from '../api/apiFailure.ts';
import type { AuditLog } from './auditLog.ts';
import type { ClientIndex } from './clientIndex.ts';
import type { ModelRuntime } from './modelRuntime.ts';

/**
 * What every service works with, built once by createServices (index.ts): the open client base, the in-memory
 * client index, the model and its explainer when they could be loaded, the audit log and the clock.
 * Who acts is not in it: each call names its caller (see Caller in the contract).
 */
export interface ServiceContext {
  readonly db: ClientBase;
  readonly index: ClientIndex;
  readonly model: ModelRuntime | undefined;
  /** Why no model is loaded, for the 'model_unavailable' message. */
  readonly modelProblem: string | undefined;
  readonly audit: AuditLog;
  now(): Date;
}

export function requireModel(context: ServiceContext): ModelRuntime {
  if (!context.model) {
    throw modelUnavailable(`no model is loaded: ${context.modelProblem ?? 'unknown reason'}`);
  }
  return context.model;
}

/** The client's row in the index, or a 'not_found' error naming the client. */
export function requireRow(context: ServiceContext, clientId: number): number {
  const row = context.index.rowOf(clientId);
  if (row === undefined) throw notFound(`no client ${clientId} in the client base`, { clientId });
  return row;
}

/** The manager a write is recorded under, or a 'forbidden' error: nothing is recorded in nobody's name. */
export function requireManager(caller: Caller, what: string): Manager {
  if (caller.manager === null) {
    throw forbidden(
      caller.via === 'desk'
        ? `no manager is named at this desk: say who you are (setDesk) before recording ${what}`
        : `the token that signed this request names no manager: it cannot record ${what}`,
    );
  }
  return caller.manager;
}
