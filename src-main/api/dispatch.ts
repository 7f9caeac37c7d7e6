import type { z } from 'zod';
import { ApiFailure } from './apiFailure.ts';
import { contract, type ApiError, type ApiHandlers, type ApiMethod, type ApiResult } from './contract.ts';

/**
 * The single entry every transport goes through: parses a raw input against the contract, calls the service,
 * and turns every outcome into a result envelope. Nothing thrown escapes, and no stack trace reaches a caller:
 * unexpected errors are handed to `onInternalError` (the server's log) and answered with a generic message.
 */

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(contract, name);
}

/** A person-readable account of what is wrong with an input, naming each field by its path. */
export function describeIssues(method: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `invalid input for ${method}: ${parts.join('; ')}${more}`;
}

/** Parses `raw` as the input of `method`, or throws an 'invalid_request' ApiFailure naming the fields. */
export function parseInput<M extends ApiMethod>(
  method: M,
  raw: unknown,
): z.output<(typeof contract)[M]['input']> {
  const result = contract[method].input.safeParse(raw === undefined ? {} : raw);
  if (!result.success) {
    throw new ApiFailure('invalid_request', describeIssues(method, result.error.issues), {
      issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    });
  }
  return result.data as z.output<(typeof contract)[M]['input']>;
}

export function toApiError(error: unknown, onInternalError: (error: unknown) => void): ApiError {
  if (error instanceof ApiFailure) return error.toApiError();
  onInternalError(error);
  return { code: 'internal', message: 'an internal error occurred; the details are in the application log' };
}

export async function dispatch(
  handlers: ApiHandlers,
  method: string,
  raw: unknown,
  onInternalError: (error: unknown) => void,
): Promise<ApiResult<unknown>> {
  try {
    if (!isApiMethod(method)) {
      throw new ApiFailure('not_found', `no API method named ${method.slice(0, 100)}`);
    }
    const input = parseInput(method, raw);
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(input) };
  } catch (error) {
    return { ok: false, error: toApiError(error, onInternalError) };
  }
}
