import type { ApiError, ApiErrorCode } from './contract.ts';

/**
 * The one error the services throw on purpose: a code from the contract's error union and a message for a person
 * that says what is wrong and where. Anything else reaching a transport is a bug and becomes 'internal'.
 */
export class ApiFailure extends Error {
  override name = 'ApiFailure';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (message: string, details?: unknown) => new ApiFailure('not_found', message, details);
export const invalidRequest = (message: string, details?: unknown) =>
  new ApiFailure('invalid_request', message, details);
export const outOfRange = (message: string, details?: unknown) =>
  new ApiFailure('out_of_range', message, details);
export const conflict = (message: string, details?: unknown) => new ApiFailure('conflict', message, details);
export const modelUnavailable = (message: string, details?: unknown) =>
  new ApiFailure('model_unavailable', message, details);
export const forbidden = (message: string, details?: unknown) =>
  new ApiFailure('forbidden', message, details);
