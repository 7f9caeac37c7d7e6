import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/apiFailure.ts';
import {
  apiErrorSchema,
  apiMethods,
  type ApiHandlers,
  type ApiResult,
  type ClientExplanation,
  type CounterfactualResult,
} from '../../../src-main/api/contract.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type {
  ClientExplanation as EngineExplanation,
  CounterfactualResult as EngineCounterfactuals,
} from '../../../src-main/explain/clientExplanation.ts';

/**
 * The contract's validation at the boundary: whatever a caller sends, dispatch answers with a result envelope,
 * and every error is one of the contract's typed errors with a message, never a throw or a stack trace.
 */

const internalErrors: unknown[] = [];

/** Handlers that accept any parsed input: what is tested here is the parsing in front of them. */
const echo = Object.fromEntries(
  apiMethods.map((m) => [m, async (input: unknown) => ({ received: input })]),
) as unknown as ApiHandlers;
const failing = Object.fromEntries(
  apiMethods.map((m) => [
    m,
    async () => {
      throw new Error(`database exploded at /secret/path in ${m}`);
    },
  ]),
) as unknown as ApiHandlers;

function expectTypedError(result: ApiResult<unknown>): void {
  if (result.ok) return;
  expect(apiErrorSchema.safeParse(result.error).success).toBe(true);
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.message).not.toMatch(/\n\s+at /);
}

describe('contract', () => {
  it('mirrors the explanation engine’s types exactly', () => {
    expectTypeOf<ClientExplanation>().toEqualTypeOf<EngineExplanation>();
    expectTypeOf<CounterfactualResult>().toEqualTypeOf<EngineCounterfactuals>();
  });

  it('answers any input to any method name with a result or a typed error, never a throw', async () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const plausible = fc.record(
      {
        clientId: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        lang: fc.oneof(fc.constantFrom('fr', 'en', 'de'), anyJson),
        query: fc.oneof(fc.string(), anyJson),
        page: fc.oneof(fc.integer(), fc.string()),
        pageSize: fc.integer({ min: -5, max: 500 }),
        edits: fc.oneof(
          fc.record(
            { AMT_CREDIT: fc.oneof(fc.double(), fc.string()), AMT_ANNUITY: fc.double() },
            { requiredKeys: [] },
          ),
          anyJson,
        ),
        group: fc.oneof(
          fc.record(
            {
              kind: fc.constantFrom('all', 'similar', 'segment', 'other'),
              k: fc.integer({ min: -10, max: 1000 }),
            },
            { requiredKeys: ['kind'] },
          ),
          anyJson,
        ),
        finalDecision: fc.constantFrom('granted', 'refused', 'maybe'),
        kind: fc.constantFrom('view', 'print', 'delete'),
        format: fc.constantFrom('jsonl', 'csv', 'xml'),
      },
      { requiredKeys: [] },
    );
    const method = fc.oneof(
      fc.constantFrom(...apiMethods),
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'toString'),
    );
    await fc.assert(
      fc.asyncProperty(method, fc.oneof(plausible, anyJson, fc.constant(undefined)), async (name, input) => {
        const result = await dispatch(echo, name, input, (e) => internalErrors.push(e));
        expectTypedError(result);
        if (!result.ok) expect(['invalid_request', 'not_found']).toContain(result.error.code);
      }),
      { numRuns: 2000 },
    );
    expect(internalErrors).toEqual([]);
  });

  it('names the field at fault', async () => {
    const result = await dispatch(
      echo,
      'whatIf',
      { clientId: 100002, edits: { AMT_CREDIT: 'a lot' } },
      () => {},
    );
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'invalid_request',
        message: expect.stringMatching(/^invalid input for whatIf: edits\.AMT_CREDIT: /),
      }),
    });
    const unknownKey = await dispatch(echo, 'getScore', { clientID: 100002 }, () => {});
    expect(unknownKey.ok ? '' : unknownKey.error.message).toMatch(/clientId.*|clientID/);
  });

  it('fills the defaults', async () => {
    const result = await dispatch(echo, 'searchClients', {}, () => {});
    expect(result).toEqual({
      ok: true,
      value: {
        received: expect.objectContaining({
          query: '',
          page: 1,
          pageSize: 25,
          sortBy: 'clientId',
          pendingFirst: true,
        }),
      },
    });
  });

  it('turns a service’s own failure into its typed error, and anything else into a bare internal error', async () => {
    const typed = Object.fromEntries(
      apiMethods.map((m) => [
        m,
        async () => {
          throw new ApiFailure('conflict', 'already decided');
        },
      ]),
    ) as unknown as ApiHandlers;
    expect(await dispatch(typed, 'getStatus', {}, () => {})).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'already decided' },
    });
    const logged: unknown[] = [];
    const result = await dispatch(failing, 'getStatus', {}, (e) => logged.push(e));
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'an internal error occurred; the details are in the application log',
      },
    });
    expect(JSON.stringify(result)).not.toContain('/secret/path');
    expect(logged).toHaveLength(1);
  });
});
