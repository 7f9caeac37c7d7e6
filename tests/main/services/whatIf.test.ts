import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/apiFailure.ts';
import { parseInput } from '../../../src-main/api/dispatch.ts';
import { monthlyPayment, termInMonths } from '../../../src-main/explain/amortisation.ts';
import type { Services } from '../../../src-main/services/index.ts';
import { apiFixture, fixtureServices, type ApiFixture } from './support/apiFixture.ts';
import { expectOutput } from './support/expectOutput.ts';

let fixture: ApiFixture;
let services: Services;
let clientId: number;
let stored: { AMT_CREDIT: number; AMT_ANNUITY: number; AMT_GOODS_PRICE: number; AMT_INCOME_TOTAL: number };
/** A cash loan's rate in the repository's lender file. */
const RATE = 0.08;

beforeAll(async () => {
  fixture = await apiFixture();
  services = await fixtureServices(fixture);
  const db = services.context.db;
  clientId = db
    .prepare(
      `SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL AND AMT_ANNUITY IS NOT NULL
         AND AMT_GOODS_PRICE IS NOT NULL AND NAME_CONTRACT_TYPE = 'Cash loans' LIMIT 1`,
    )
    .pluck()
    .get() as number;
  stored = db
    .prepare(
      'SELECT AMT_CREDIT, AMT_ANNUITY, AMT_GOODS_PRICE, AMT_INCOME_TOTAL FROM application WHERE SK_ID_CURR = ?',
    )
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
    const term = termInMonths(stored.AMT_CREDIT, stored.AMT_ANNUITY, RATE);
    const storedOffer = {
      AMT_CREDIT: stored.AMT_CREDIT,
      AMT_ANNUITY: stored.AMT_ANNUITY,
      AMT_GOODS_PRICE: stored.AMT_GOODS_PRICE,
      termMonths: term,
      nominalRate: RATE,
      downPayment: Math.max(0, stored.AMT_GOODS_PRICE - stored.AMT_CREDIT),
      financedBeyondPrice: Math.max(0, stored.AMT_CREDIT - stored.AMT_GOODS_PRICE),
      totalRepaid: Math.round(stored.AMT_ANNUITY * term * 100) / 100,
      monthlyIncome: stored.AMT_INCOME_TOTAL,
      paymentToIncome: stored.AMT_ANNUITY / stored.AMT_INCOME_TOTAL,
    };
    expect(same.stored).toMatchObject(storedOffer);
    expect(same.applied).toEqual(same.stored);
    expect(same.after.probability).toBeCloseTo(same.before.probability, 12);
    expect(same.delta.every((d) => Math.abs(d.change) < 1e-12)).toBe(true);
    expect(same.counterfactuals).toBeNull();

    // A smaller amount keeps the term: the payment follows the amount.
    const smaller = await services.handlers.whatIf(
      parseInput('whatIf', { clientId, lang: 'en', edits: { AMT_CREDIT: stored.AMT_CREDIT * 0.6 } }),
    );
    expectOutput('whatIf', smaller);
    expect(smaller.applied.AMT_ANNUITY).toBeCloseTo(stored.AMT_ANNUITY * 0.6, 2);
    expect(smaller.applied.termMonths).toBeCloseTo(term, 9);
    expect(smaller.explanation.edits).toMatchObject({ AMT_CREDIT: stored.AMT_CREDIT * 0.6 });
    const sumOfChanges = smaller.delta.reduce((s, d) => s + d.change, 0);
    expect(sumOfChanges).toBeCloseTo(smaller.after.probability - smaller.before.probability, 9);
    expect(smaller.counterfactuals?.clientId).toBe(clientId);

    // A term gives the payment by amortisation, a payment gives the term.
    const longer = await services.handlers.whatIf(
      parseInput('whatIf', { clientId, edits: { termMonths: 60 }, counterfactuals: false }),
    );
    expect(longer.applied.termMonths).toBe(60);
    expect(longer.applied.AMT_ANNUITY).toBeCloseTo(monthlyPayment(stored.AMT_CREDIT, RATE, 60), 2);
    expect(longer.applied.totalRepaid).toBeCloseTo(longer.applied.AMT_ANNUITY * 60, 2);
    const paying = await services.handlers.whatIf(
      parseInput('whatIf', {
        clientId,
        edits: { AMT_ANNUITY: longer.applied.AMT_ANNUITY },
        counterfactuals: false,
      }),
    );
    expect(paying.applied.termMonths).toBeCloseTo(60, 2);
    expect(paying.after.probability).toBe(longer.after.probability);
    expect(
      services.context.db.prepare('SELECT * FROM application WHERE SK_ID_CURR = ?').get(clientId),
    ).toEqual(before);
  });

  it('shows a credit above the price as financed beyond it, and warns of a payment above the income', async () => {
    const beyond = await services.handlers.whatIf(
      parseInput('whatIf', {
        clientId,
        edits: { AMT_GOODS_PRICE: Math.round(stored.AMT_CREDIT * 0.9) },
        counterfactuals: false,
      }),
    );
    expect(beyond.applied.downPayment).toBe(0);
    expect(beyond.applied.financedBeyondPrice).toBe(stored.AMT_CREDIT - Math.round(stored.AMT_CREDIT * 0.9));
    expect(beyond.applied.warnings).toEqual([]);
    const heavy = await services.handlers.whatIf(
      parseInput('whatIf', {
        clientId,
        edits: { AMT_ANNUITY: Math.min(stored.AMT_CREDIT, stored.AMT_INCOME_TOTAL * 1.5) },
        counterfactuals: false,
      }),
    );
    expect(heavy.applied.warnings).toContain('payment-above-income');
    expect(heavy.applied.paymentToIncome).toBeGreaterThan(1);
  });

  it('refuses amounts the application cannot take, naming the field and the range', async () => {
    const cases = [
      { AMT_CREDIT: stored.AMT_CREDIT * 20 },
      { AMT_GOODS_PRICE: stored.AMT_CREDIT / 50 },
      { AMT_ANNUITY: stored.AMT_CREDIT * 2 },
      // Less than the first month's interest: never repaid.
      { AMT_ANNUITY: (stored.AMT_CREDIT * RATE) / 12 / 2 },
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
    expect(() => parseInput('whatIf', { clientId, edits: { AMT_ANNUITY: 900, termMonths: 24 } })).toThrow(
      /edits\.termMonths: give the monthly payment \(AMT_ANNUITY\) or the term \(termMonths\), not both/,
    );
    expect(() => parseInput('whatIf', { clientId, edits: { termMonths: 601 } })).toThrow(/edits\.termMonths/);
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
