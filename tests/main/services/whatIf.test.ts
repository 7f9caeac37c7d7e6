import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/apiFailure.ts';
import { parseInput } from '../../../src-main/api/dispatch.ts';
import type { Services } from '../../../src-main/services/index.ts';
import { apiFixture, fixtureServices, type ApiFixture } from './support/apiFixture.ts';
import { expectOutput } from './support/expectOutput.ts';

let fixture: ApiFixture;
let services: Services;
let clientId: number;
let stored: { AMT_CREDIT: number; AMT_ANNUITY: number; AMT_GOODS_PRICE: number };

beforeAll(async () => {
  fixture = await apiFixture();
  services = await fixtureServices(fixture);
  const db = services.context.db;
  clientId = db
    .prepare(
      'SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL AND AMT_ANNUITY IS NOT NULL AND AMT_GOODS_PRICE IS NOT NULL LIMIT 1',
    )
    .pluck()
    .get() as number;
  stored = db
    .prepare('SELECT AMT_CREDIT, AMT_ANNUITY, AMT_GOODS_PRICE FROM application WHERE SK_ID_CURR = ?')
    .get(clientId) as typeof stored;
});

afterAll(async () => {
  await services?.close();
});

describe('getExplanation', () => {
  it('explains the client with contributions that add up to the probability', async () => {
    const explanation = await services.handlers.getExplanation(
      parseInput('getExplanation', { clientId, lang: 'en' }),
    );
    expectOutput('getExplanation', explanation);
    expect(explanation.clientId).toBe(clientId);
    const total = explanation.families.reduce((s, f) => s + f.contribution, explanation.baseProbability);
    expect(total).toBeCloseTo(explanation.probability, 9);
    expect(explanation.principalReasons.length).toBeLessThanOrEqual(4);
  });
});

describe('whatIf', () => {
  it('changes nothing stored, and with no edit gives back the client as explained', async () => {
    const before = services.context.db
      .prepare('SELECT * FROM application WHERE SK_ID_CURR = ?')
      .get(clientId);
    const same = await services.handlers.whatIf(
      parseInput('whatIf', { clientId, edits: {}, counterfactuals: false }),
    );
    expectOutput('whatIf', same);
    expect(same.stored).toEqual(stored);
    expect(same.applied).toEqual(stored);
    expect(same.after.probability).toBeCloseTo(same.before.probability, 12);
    expect(same.delta.every((d) => Math.abs(d.change) < 1e-12)).toBe(true);
    expect(same.counterfactuals).toBeNull();

    const edited = await services.handlers.whatIf(
      parseInput('whatIf', {
        clientId,
        lang: 'en',
        edits: { AMT_CREDIT: stored.AMT_CREDIT * 0.6, AMT_ANNUITY: stored.AMT_ANNUITY * 0.5 },
      }),
    );
    expectOutput('whatIf', edited);
    expect(edited.applied).toEqual({
      ...stored,
      AMT_CREDIT: stored.AMT_CREDIT * 0.6,
      AMT_ANNUITY: stored.AMT_ANNUITY * 0.5,
    });
    expect(edited.explanation.edits).toMatchObject({ AMT_CREDIT: stored.AMT_CREDIT * 0.6 });
    const sumOfChanges = edited.delta.reduce((s, d) => s + d.change, 0);
    expect(sumOfChanges).toBeCloseTo(edited.after.probability - edited.before.probability, 9);
    expect(edited.counterfactuals?.clientId).toBe(clientId);
    expect(
      services.context.db.prepare('SELECT * FROM application WHERE SK_ID_CURR = ?').get(clientId),
    ).toEqual(before);
  });

  it('refuses amounts the application cannot take, naming the field and the range', async () => {
    const cases = [
      { AMT_CREDIT: stored.AMT_CREDIT * 20 },
      { AMT_GOODS_PRICE: stored.AMT_CREDIT / 50 },
      { AMT_ANNUITY: stored.AMT_CREDIT * 2 },
    ];
    for (const edits of cases) {
      const error = await services.handlers
        .whatIf(parseInput('whatIf', { clientId, edits, counterfactuals: false }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiFailure);
      const field = Object.keys(edits)[0]!;
      expect(error).toMatchObject({ code: 'out_of_range', details: { field } });
      expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
    }
    expect(() => parseInput('whatIf', { clientId, edits: { AMT_CREDIT: -5 } })).toThrow(/edits\.AMT_CREDIT/);
    expect(() => parseInput('whatIf', { clientId, edits: { DAYS_BIRTH: -9000 } })).toThrow(/DAYS_BIRTH/);
  });
});

describe('getModelInfo and getStatus', () => {
  it('describe the loaded model and the base', async () => {
    const info = await services.handlers.getModelInfo(parseInput('getModelInfo', {}));
    expectOutput('getModelInfo', info);
    expect(info.modelVersion).toBe(services.context.model?.version);
    const status = await services.handlers.getStatus({});
    expectOutput('getStatus', status);
    expect(status).toMatchObject({
      modelVersion: info.modelVersion,
      threshold: info.threshold,
      auditChain: { ok: true },
    });
    expect(status.clients).toBe(services.context.index.size);
  });
});
