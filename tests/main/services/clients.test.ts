import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/apiFailure.ts';
import { parseInput } from '../../../src-main/api/dispatch.ts';
import type { ClientSummary } from '../../../src-main/api/contract.ts';
import type { Services } from '../../../src-main/services/index.ts';
import { apiFixture, fixtureServices, type ApiFixture } from './support/apiFixture.ts';
import { expectOutput } from './support/expectOutput.ts';

let fixture: ApiFixture;
let services: Services;

beforeAll(async () => {
  fixture = await apiFixture();
  services = await fixtureServices(fixture);
});

afterAll(async () => {
  await services?.close();
});

const search = async (input: Record<string, unknown>) => {
  const page = await services.handlers.searchClients(parseInput('searchClients', input));
  expectOutput('searchClients', page);
  return page;
};

describe('searchClients', () => {
  it('lists every client, pending applications first, then by client number, scored on the way', async () => {
    const page = await search({ pageSize: 100 });
    const clients = services.context.db.prepare('SELECT COUNT(*) FROM application').pluck().get() as number;
    expect(page.total).toBe(clients);
    const statuses = page.items.map((c) => c.status);
    const firstOther = statuses.findIndex((s) => s !== 'pending');
    expect(firstOther).toBeGreaterThan(0);
    expect(statuses.slice(firstOther).every((s) => s !== 'pending')).toBe(true);
    const pendingIds = page.items.filter((c) => c.status === 'pending').map((c) => c.clientId);
    expect(pendingIds).toEqual([...pendingIds].sort((a, b) => a - b));
    expect(page.items.every((c) => c.probability !== null && c.riskBand !== null)).toBe(true);
  });

  it('pages without overlap and covers every match', async () => {
    const all = await search({ pageSize: 100, status: ['pending'] });
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 7); page++) {
      seen.push(...(await search({ status: ['pending'], pageSize: 7, page })).items.map((c) => c.clientId));
    }
    expect(seen).toHaveLength(all.total);
    expect(new Set(seen).size).toBe(all.total);
  });

  it('finds a client by the first digits of the number and by the start of the names, accents ignored', async () => {
    const someone = (await search({ pageSize: 1 })).items[0]!;
    expect((await search({ query: String(someone.clientId) })).items[0]?.clientId).toBe(someone.clientId);
    const prefix = String(someone.clientId).slice(0, 4);
    expect(
      (await search({ query: prefix, pageSize: 100 })).items.every((c) =>
        String(c.clientId).startsWith(prefix),
      ),
    ).toBe(true);
    const last = someone.lastName!;
    const byName = await search({
      query: `${someone.firstName!.slice(0, 2)} ${last.slice(0, 3).toUpperCase()}`,
      pageSize: 100,
    });
    expect(byName.items.map((c) => c.clientId)).toContain(someone.clientId);
    const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (const c of byName.items)
      expect(plain(`${c.firstName} ${c.lastName}`)).toContain(plain(last.slice(0, 3)));
    expect((await search({ query: 'zzzzqqq' })).total).toBe(0);
  });

  it('filters by status, decision in force, risk band and contract type', async () => {
    const check = async (input: Record<string, unknown>, predicate: (c: ClientSummary) => boolean) => {
      const page = await search({ ...input, pageSize: 100 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every(predicate)).toBe(true);
    };
    await check({ status: ['past'] }, (c) => c.status === 'past' && c.outcome !== null);
    await check({ decision: 'refused' }, (c) => (c.finalDecision ?? c.modelDecision) === 'refused');
    await check({ riskBand: ['low'] }, (c) => c.riskBand === 'low');
    await check({ contractType: 'Revolving loans' }, (c) => c.contractType === 'Revolving loans');
  });

  it('sorts by probability and by name, both ways', async () => {
    const up = (await search({ sortBy: 'probability', pendingFirst: false, pageSize: 50 })).items.map(
      (c) => c.probability!,
    );
    expect(up).toEqual([...up].sort((a, b) => a - b));
    const down = (await search({ sortBy: 'probability', order: 'desc', pendingFirst: false, pageSize: 50 }))
      .items;
    expect(down[0]!.probability).toBeGreaterThanOrEqual(up.at(-1)!);
    const names = (await search({ sortBy: 'name', pendingFirst: false, pageSize: 50 })).items.map(
      (c) => c.lastName!,
    );
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })));
  });
});

describe('getClientFile and getScore', () => {
  it('groups and labels the application, summarises and draws the history', async () => {
    const clientId = services.context.db
      .prepare('SELECT SK_ID_CURR FROM installments_payments GROUP BY SK_ID_CURR HAVING COUNT(*) > 5 LIMIT 1')
      .pluck()
      .get() as number;
    const file = await services.handlers.getClientFile(parseInput('getClientFile', { clientId, lang: 'fr' }));
    expectOutput('getClientFile', file);
    const fields = file.groups.flatMap((g) => g.fields);
    const credit = fields.find((f) => f.name === 'AMT_CREDIT')!;
    expect(credit.label).toBe('Montant du crédit');
    expect(credit.formattedValue).toMatch(/€$/);
    const contract = fields.find((f) => f.name === 'NAME_CONTRACT_TYPE')!;
    expect(['prêt en espèces', 'crédit renouvelable']).toContain(contract.formattedValue);
    expect(file.identity?.lastName).toEqual(expect.any(String));
    const rows = services.context.db
      .prepare(
        'SELECT COUNT(*) AS n, SUM(DAYS_ENTRY_PAYMENT > DAYS_INSTALMENT) AS late FROM installments_payments WHERE SK_ID_CURR = ?',
      )
      .get(clientId) as { n: number; late: number };
    expect(file.history.instalments).toMatchObject({ instalments: rows.n, late: rows.late });
    expect(file.timeline.instalments.length).toBe(Math.min(rows.n, 300));
    expect(file.timeline.instalments.filter((i) => (i.daysLate ?? 0) > 0)).toHaveLength(rows.late);
    const english = await services.handlers.getClientFile(
      parseInput('getClientFile', { clientId, lang: 'en' }),
    );
    expect(english.groups.flatMap((g) => g.fields).find((f) => f.name === 'AMT_CREDIT')?.label).toBe(
      'Amount of the credit',
    );
  });

  it('scores a client with threshold, margin in words and risk band, stored under the model version', async () => {
    const clientId = (await search({ status: ['pending'], pageSize: 1 })).items[0]!.clientId;
    const score = await services.handlers.getScore(parseInput('getScore', { clientId, lang: 'en' }));
    expectOutput('getScore', score);
    expect(score.decision).toBe(score.probability >= score.threshold ? 'refused' : 'granted');
    expect(score.margin).toBeCloseTo((score.probability - score.threshold) * 100, 10);
    expect(score.marginText).toMatch(score.margin < 0 ? /under the limit$/ : /over the limit$|at the limit/);
    expect(score.bands.map((b) => b.band)).toEqual(['low', 'moderate', 'high', 'very_high']);
    const stored = services.context.db
      .prepare('SELECT probability FROM score WHERE model_version = ? AND SK_ID_CURR = ?')
      .pluck()
      .get(score.modelVersion, clientId);
    expect(stored).toBe(score.probability);
  });

  it('answers an unknown client with not_found', async () => {
    const error = await services.handlers.getClientFile({ clientId: 1, lang: 'fr' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFailure);
    expect(error).toMatchObject({ code: 'not_found', message: 'no client 1 in the client base' });
  });
});
