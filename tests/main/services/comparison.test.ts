import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/apiFailure.ts';
import { parseInput } from '../../../src-main/api/dispatch.ts';
import type { Comparison } from '../../../src-main/api/contract.ts';
import { SIMILARITY_FEATURES } from '../../../src-main/services/comparison.ts';
import type { Services } from '../../../src-main/services/index.ts';
import { apiFixture, fixtureServices, type ApiFixture } from './support/apiFixture.ts';
import { expectOutput } from './support/expectOutput.ts';

let fixture: ApiFixture;
let services: Services;
let pendingClient: number;
let pastClient: number;
let pastCount: number;

beforeAll(async () => {
  fixture = await apiFixture();
  services = await fixtureServices(fixture);
  const db = services.context.db;
  pendingClient = db
    .prepare('SELECT SK_ID_CURR FROM client_features WHERE TARGET IS NULL LIMIT 1')
    .pluck()
    .get() as number;
  pastClient = db
    .prepare('SELECT SK_ID_CURR FROM client_features WHERE TARGET IS NOT NULL LIMIT 1')
    .pluck()
    .get() as number;
  pastCount = db
    .prepare('SELECT COUNT(*) FROM client_features WHERE TARGET IS NOT NULL')
    .pluck()
    .get() as number;
});

afterAll(async () => {
  await services?.close();
});

async function compare(input: Record<string, unknown>): Promise<Comparison> {
  const result = await services.handlers.compare(parseInput('compare', input));
  expectOutput('compare', result);
  return result;
}

function histogramTotal(result: Comparison, feature = 0): number {
  const f = result.features[feature]!;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return (
    sum(f.histogram.repaid) +
    sum(f.histogram.defaulted) +
    f.histogram.missing.repaid +
    f.histogram.missing.defaulted
  );
}

describe('compare', () => {
  it('against all past clients: the client left out of its own group, every member counted by outcome', async () => {
    const result = await compare({ clientId: pastClient, group: { kind: 'all' } });
    expect(result.group.size).toBe(pastCount - 1);
    expect(result.group.repaid + result.group.defaulted).toBe(result.group.size);
    expect(histogramTotal(result)).toBe(result.group.size);
    const pending = await compare({ clientId: pendingClient });
    expect(pending.group.size).toBe(pastCount);
    expect(pending.features.length).toBeGreaterThan(0);
    expect(pending.features.length).toBeLessThanOrEqual(6);
  });

  it('against the k most similar past clients, as aggregates only', async () => {
    const result = await compare({ clientId: pendingClient, group: { kind: 'similar', k: 25 } });
    expect(result.group).toMatchObject({ kind: 'similar', size: 25 });
    expect(result.similar?.k).toBe(25);
    expect(result.similar?.sentence).toMatch(
      new RegExp(`^Sur 25 clients passés aux profils proches, ${result.group.repaid} ont`),
    );
    expect(result.similar?.matchedOn.map((m) => m.name)).toEqual(SIMILARITY_FEATURES.map((f) => f.name));
    expect(histogramTotal(result)).toBe(25);
    // Aggregates only: no client number, no name, nowhere in the answer.
    const text = JSON.stringify(result);
    const others = services.context.db
      .prepare('SELECT SK_ID_CURR FROM client_features WHERE SK_ID_CURR != ?')
      .pluck()
      .all(pendingClient) as number[];
    for (const id of others)
      expect(text.includes(`"${id}"`) || text.includes(`:${id},`) || text.includes(`:${id}}`)).toBe(false);
    await expect(compare({ clientId: pendingClient, group: { kind: 'similar', k: 19 } })).rejects.toThrow(
      /k/,
    );
  });

  it('against a segment: only members that match, the client’s own segment reported', async () => {
    const own = (await compare({ clientId: pendingClient })).clientSegment;
    const result = await compare({
      clientId: pendingClient,
      group: {
        kind: 'segment',
        contractType: own.contractType ?? undefined,
        ageBand: own.ageBand ?? undefined,
      },
      features: ['AMT_CREDIT'],
      lang: 'en',
    });
    const db = services.context.db;
    const expected = (
      db
        .prepare(
          `SELECT a.NAME_CONTRACT_TYPE AS contract, a.DAYS_BIRTH AS days FROM application a
           JOIN client_features f ON f.SK_ID_CURR = a.SK_ID_CURR WHERE f.TARGET IS NOT NULL`,
        )
        .all() as { contract: string; days: number }[]
    ).filter((r) => {
      const years = -r.days / 365.25;
      const [from, to] = own.ageBand!.replace('+', '-200').replace('<', '0-').split('-').map(Number) as [
        number,
        number,
      ];
      return (
        r.contract === own.contractType && years >= from && years < (own.ageBand === '<25' ? 25 : to + 1)
      );
    }).length;
    expect(result.group.size).toBe(expected);
    expect(result.group.segment).toMatchObject({
      contractType: own.contractType,
      ageBand: own.ageBand,
      incomeBand: null,
    });
    expect(result.group.description).toMatch(/age/);
    expect(result.features.map((f) => f.name)).toEqual(['AMT_CREDIT']);
    expect(result.features[0]!.label).toBe('Amount of the credit');
  });

  it('places the client’s value with its percentile on histograms whose edges do not depend on the group', async () => {
    const all = await compare({ clientId: pendingClient, features: ['EXT_SOURCE_2', 'DAYS_BIRTH'] });
    const similar = await compare({
      clientId: pendingClient,
      features: ['EXT_SOURCE_2', 'DAYS_BIRTH'],
      group: { kind: 'similar' },
    });
    expect(similar.features[0]!.histogram.edges).toEqual(all.features[0]!.histogram.edges);
    const feature = all.features[0]!;
    expect(feature.percentile === null ? feature.clientValue : feature.percentile).not.toBeNull();
    expect(feature.formattedClientValue).not.toBe('');
  });

  it('gives every client of a segment the same group figures and its own percentile, as a fresh computation does', async () => {
    const pending = services.context.db
      .prepare('SELECT SK_ID_CURR FROM client_features WHERE TARGET IS NULL LIMIT 6')
      .pluck()
      .all() as number[];
    const features = ['EXT_SOURCE_2', 'AMT_CREDIT', 'DAYS_BIRTH'];
    const groups = [{ kind: 'all' }, { kind: 'segment', contractType: 'Cash loans' }];
    const fresh = await fixtureServices(fixture);
    try {
      for (const group of groups) {
        for (const clientId of pending) {
          const input = parseInput('compare', { clientId, group, features });
          const kept = await services.handlers.compare(input);
          // A new instance has nothing kept: it computes every figure for this client alone.
          const alone = await fixtureServices(fixture);
          const computed = await alone.handlers.compare(input).finally(() => alone.close());
          expect(kept.features).toEqual(computed.features);
          expect(kept.group).toEqual(computed.group);
        }
        const percentiles = new Set(
          await Promise.all(
            pending.map(async (clientId) => {
              const result = await fresh.handlers.compare(
                parseInput('compare', { clientId, group, features }),
              );
              return result.features[0]!.percentile;
            }),
          ),
        );
        expect(percentiles.size).toBeGreaterThan(1);
      }
    } finally {
      await fresh.close();
    }
  });

  it('reads a feature outside the ones kept in memory on first use', async () => {
    const result = await compare({ clientId: pendingClient, features: ['CC_COUNT', 'POS_COUNT'] });
    expect(histogramTotal(result, 1)).toBe(pastCount);
  });

  it('refuses an unknown feature and an unknown client', async () => {
    const unknown = await services.handlers
      .compare(parseInput('compare', { clientId: pendingClient, features: ['NOT_A_FEATURE'] }))
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApiFailure);
    expect(unknown).toMatchObject({ code: 'not_found', message: expect.stringContaining('NOT_A_FEATURE') });
    const missing = await services.handlers
      .compare(parseInput('compare', { clientId: 5 }))
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'not_found' });
  });
});
