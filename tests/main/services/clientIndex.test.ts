import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientStatus, Decision, RiskBand } from '../../../src-main/api/contract.ts';
import { openClientBase, type ClientBase } from '../../../src-main/data/clientBase.ts';
import { ClientIndex, normalizeName, type SearchFilter } from '../../../src-main/services/clientIndex.ts';
import { apiFixture } from './support/apiFixture.ts';

/**
 * The in-memory search against a plain reading of its rules, on the fixture base with random scores and
 * decisions: same clients, same order (by client number), same totals, whatever the filters and the query.
 */
let db: ClientBase;
let index: ClientIndex;
const threshold = 0.1;

beforeAll(async () => {
  const fixture = await apiFixture();
  db = openClientBase(fixture.dbPath, { readonly: true });
  index = ClientIndex.load(db, null, threshold);
  const random = fc.sample(fc.tuple(fc.double({ min: 0, max: 0.4, noNaN: true }), fc.nat(9)), index.size);
  random.forEach(([p, draw], row) => {
    if (draw > 1) index.setScore(row, p);
    if (draw === 9) index.setDecision(row, p < threshold ? 'granted' : 'refused', '2026-11-28T10:00:00Z');
  });
});

afterAll(() => db?.close());

function reference(filter: SearchFilter, order: 'asc' | 'desc', pendingFirst: boolean): number[] {
  const rows = Array.from({ length: index.size }, (_, row) => row).filter((row) => {
    if (filter.status && !filter.status.includes(index.status(row))) return false;
    if (filter.contractType !== undefined && index.contractType[row] !== filter.contractType) return false;
    if (filter.riskBand && !filter.riskBand.includes(index.riskBand(row)!)) return false;
    const inForce = index.finalDecisionOf(row) ?? index.modelDecision(row);
    if (filter.decision !== undefined && inForce !== filter.decision) return false;
    const id = String(index.ids[row]);
    if (!filter.idPrefixes.every((prefix) => id.startsWith(String(prefix)))) return false;
    const words = normalizeName(`${index.firstName[row] ?? ''} ${index.lastName[row] ?? ''}`).split(' ');
    return filter.nameTokens.every((token) => words.some((word) => word.startsWith(token)));
  });
  if (order === 'desc') rows.reverse();
  if (!pendingFirst) return rows;
  return [
    ...rows.filter((r) => index.status(r) === 'pending'),
    ...rows.filter((r) => index.status(r) !== 'pending'),
  ];
}

const filterArbitrary = (): fc.Arbitrary<SearchFilter> => {
  const someName = fc.integer({ min: 0, max: 10_000 }).map((i) => {
    const row = i % index.size;
    const words = normalizeName(`${index.firstName[row] ?? ''} ${index.lastName[row] ?? ''}`).split(' ');
    const word = words[i % words.length] ?? '';
    return word.slice(0, 1 + (i % 4));
  });
  const someIdPrefix = fc.integer({ min: 0, max: 10_000 }).map((i) => {
    const id = String(index.ids[i % index.size]);
    return Number(id.slice(0, 1 + (i % id.length)));
  });
  return fc.record(
    {
      idPrefixes: fc.array(someIdPrefix, { maxLength: 1 }),
      nameTokens: fc
        .array(fc.oneof(someName, fc.constantFrom('zz', 'é', 'a')), { maxLength: 2 })
        .map((tokens) => tokens.map(normalizeName)),
      status: fc.subarray<ClientStatus>(['pending', 'decided', 'past'], { minLength: 1 }),
      decision: fc.constantFrom<Decision>('granted', 'refused'),
      riskBand: fc.subarray<RiskBand>(['low', 'moderate', 'high', 'very_high'], { minLength: 1 }),
      contractType: fc.constantFrom(0, 1),
    },
    { requiredKeys: ['idPrefixes', 'nameTokens'] },
  );
};

describe('ClientIndex.search', () => {
  it('finds exactly the clients a plain reading of the filters finds, in the same order', () => {
    fc.assert(
      fc.property(
        filterArbitrary(),
        fc.constantFrom('asc', 'desc'),
        fc.boolean(),
        (filter, order, pendingFirst) => {
          const expected = reference(filter, order, pendingFirst);
          const found = index.search(filter, { sortBy: 'clientId', order, pendingFirst }, 0, index.size);
          expect(found.total).toBe(expected.length);
          expect(found.rows).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the same clients whatever the sort, scored ones in order of probability', () => {
    fc.assert(
      fc.property(filterArbitrary(), fc.constantFrom('asc', 'desc'), (filter, order) => {
        const expected = reference(filter, 'asc', false).sort((a, b) => a - b);
        for (const sortBy of ['probability', 'name'] as const) {
          const found = index.search(filter, { sortBy, order, pendingFirst: false }, 0, index.size);
          expect([...found.rows].sort((a, b) => a - b)).toEqual(expected);
          if (sortBy !== 'probability') continue;
          const scored = found.rows.map((row) => index.probability[row]!).filter((p) => !Number.isNaN(p));
          const sorted = [...scored].sort((a, b) => (order === 'asc' ? a - b : b - a));
          expect(scored).toEqual(sorted);
          expect(found.rows.slice(scored.length).every((row) => Number.isNaN(index.probability[row]!))).toBe(
            true,
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});
