/**
 * The names of the API's methods, without their schemas: what the Electron preload needs to expose them, kept
 * apart from contract.ts so that the sandboxed preload does not carry zod and every schema. contract.ts declares
 * one entry per name (its `satisfies` clause fails to compile on a missing or extra method).
 */
export const apiMethodNames = [
  'getStatus',
  'searchClients',
  'getClientFile',
  'getScore',
  'getExplanation',
  'compare',
  'whatIf',
  'getModelInfo',
  'recordDecision',
  'listDecisions',
  'getClientHistory',
  'logEvent',
  'verifyAuditChain',
  'exportAuditLog',
  'getDesk',
  'setDesk',
] as const;

export type ApiMethodName = (typeof apiMethodNames)[number];
