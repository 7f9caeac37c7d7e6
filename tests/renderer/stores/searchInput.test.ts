// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { searchClientsInput } from '../../../src-main/api/contract.ts';
import { searchInput } from '../../../src-renderer/stores/clients.store.ts';
import { comparisonGroup } from '../../../src-renderer/stores/comparison.store.ts';
import { compareInput } from '../../../src-main/api/contract.ts';

describe('requests built from the manager’s choices', () => {
  it('sends no filter for "any" and a valid search for the contract', () => {
    const input = searchInput(
      '  Martin ',
      { status: 'any', decision: 'any', riskBand: 'any', contractType: 'any' },
      1,
    );
    expect(input).toMatchObject({
      query: 'Martin',
      status: undefined,
      decision: undefined,
      pendingFirst: true,
    });
    expect(searchClientsInput.safeParse(input).success).toBe(true);
  });

  it('sends each chosen filter in the form the contract expects', () => {
    const input = searchInput(
      '1000',
      { status: 'pending', decision: 'refused', riskBand: 'high', contractType: 'Cash loans' },
      3,
    );
    expect(input).toMatchObject({
      status: ['pending'],
      decision: 'refused',
      riskBand: ['high'],
      contractType: 'Cash loans',
      page: 3,
    });
    expect(searchClientsInput.safeParse(input).success).toBe(true);
  });

  it('builds comparison groups the contract accepts', () => {
    const segment = { contractType: 'Cash loans', ageBand: 'any', incomeBand: '100k-150k' } as const;
    for (const kind of ['all', 'similar', 'segment'] as const) {
      const group = comparisonGroup(kind, segment, 50);
      expect(compareInput.safeParse({ clientId: 1, group }).success).toBe(true);
    }
    expect(comparisonGroup('segment', segment, 50)).toEqual({
      kind: 'segment',
      contractType: 'Cash loans',
      ageBand: undefined,
      incomeBand: '100k-150k',
    });
  });
});
