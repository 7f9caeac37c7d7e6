import { expect } from 'vitest';
import { contract, type ApiMethod } from '../../../../src-main/api/contract.ts';

/** Asserts that a service's answer follows the contract's output schema, naming the first mismatch. */
export function expectOutput(method: ApiMethod, value: unknown): void {
  const result = contract[method].output.safeParse(value);
  expect(result.success ? [] : result.error.issues.slice(0, 3), `${method} output`).toEqual([]);
}
