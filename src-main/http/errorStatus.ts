import type { ApiErrorCode } from '../api/contract.ts';

/** The HTTP status of each error code of the contract: the only place the HTTP server maps them. */
const STATUS: Record<ApiErrorCode, number> = {
  not_found: 404,
  invalid_request: 400,
  out_of_range: 422,
  model_unavailable: 503,
  conflict: 409,
  forbidden: 403,
  internal: 500,
};

export function statusOfError(code: ApiErrorCode): number {
  return STATUS[code];
}
