import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorCodeSchema, apiMethods, contract, type ApiMethod } from '../../../src-main/api/contract.ts';
import { startAppServer, type AppServer } from '../../../src-main/http/appServer.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';

/**
 * Property-based fuzzing of the HTTP API: 10,000 generated requests (plausible inputs for every method, with real
 * and unknown clients, and malformed ones: broken JSON, wrong types, extra keys, other HTTP methods and content
 * types, unknown paths). Every answer is below 500, an OK answer matches the method's output schema, any other is
 * a typed error ({ error: { code, message } } with a code of the contract); nothing is logged as an internal
 * error, and the server still answers afterwards.
 */

const REQUESTS = 10_000;
const PER_RUN = 20;

let fixture: ApiFixture;
let app: AppServer;
const logged: string[] = [];
/** Pending and past clients of the base, filled before the test runs (the arbitraries pick among them then). */
const knownClients: number[] = [];
const features = ['EXT_SOURCE_2', 'AMT_CREDIT', 'DAYS_BIRTH', 'NOT_A_FEATURE'];

beforeAll(async () => {
  fixture = await apiFixture();
  app = await startAppServer({
    dbPath: fixture.dbPath,
    modelDir: fixture.modelDir,
    host: '127.0.0.1',
    port: 0,
    staticDir: fixture.dir,
    log: (message) => logged.push(message),
  });
  const db = app.services.context.db;
  for (const where of ['TARGET IS NULL', 'TARGET IS NOT NULL']) {
    const ids = db.prepare(`SELECT SK_ID_CURR FROM application WHERE ${where} LIMIT 40`).pluck().all();
    knownClients.push(...(ids as number[]));
  }
}, 300_000);

afterAll(async () => {
  await app?.close();
});

interface FuzzRequest {
  path: string;
  method: string;
  contentType: string | undefined;
  body: string | undefined;
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const clientId = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((i) => knownClients[i % knownClients.length]!) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 2 ** 31 }) },
    { weight: 1, arbitrary: fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.constant(2 ** 60)) },
  );
const lang = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('fr', 'en') }, fc.constantFrom('de', '', 'FR'));
const amount = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 1000, max: 3_000_000, noNaN: true }) },
  fc.constantFrom(0, -1, 1e12, 'lots', null),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Plausible inputs per method: mostly valid, with values just out of range or of the wrong type mixed in. */
const inputs: Record<ApiMethod, fc.Arbitrary<Record<string, unknown>>> = {
  getStatus: fc.constant({}),
  searchClients: fc.record(
    {
      query: fc.oneof(fc.constantFrom('', '1000', 'Mar', 'de la'), fc.string({ maxLength: 120 })),
      status: fc.subarray(['pending', 'decided', 'past', 'other']),
      decision: fc.constantFrom('granted', 'refused', 'maybe'),
      riskBand: fc.subarray(['low', 'moderate', 'high', 'very_high']),
      contractType: fc.constantFrom('Cash loans', 'Revolving loans', 'Mortgage'),
      sortBy: fc.constantFrom('clientId', 'probability', 'name', 'income'),
      order: fc.constantFrom('asc', 'desc', 'up'),
      pendingFirst: fc.oneof(fc.boolean(), fc.constant('yes')),
      page: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 2_000_000, 1.5)),
      pageSize: fc.integer({ min: -1, max: 120 }),
    },
    { requiredKeys: [] },
  ),
  getClientFile: fc.record({ clientId: clientId(), lang }, { requiredKeys: [] }),
  getScore: fc.record({ clientId: clientId(), lang }, { requiredKeys: ['clientId'] }),
  getExplanation: fc.record({ clientId: clientId(), lang }, { requiredKeys: ['clientId'] }),
  compare: fc.record(
    {
      clientId: clientId(),
      lang,
      group: fc.oneof(
        fc.constant({ kind: 'all' }),
        fc.record(
          { kind: fc.constant('similar'), k: fc.integer({ min: 10, max: 600 }) },
          { requiredKeys: ['kind'] },
        ),
        fc.record(
          {
            kind: fc.constant('segment'),
            contractType: fc.constantFrom('Cash loans', 'Revolving loans'),
            ageBand: fc.constantFrom('<25', '25-34', '65+', '99+'),
            incomeBand: fc.constantFrom('<100k', '300k+'),
          },
          { requiredKeys: ['kind'] },
        ),
        anyJson,
      ),
      features: fc.subarray(features),
      bins: fc.integer({ min: 3, max: 60 }),
    },
    { requiredKeys: ['clientId'] },
  ),
  whatIf: fc.record(
    {
      clientId: clientId(),
      lang,
      edits: fc.oneof(
        fc.record({ AMT_CREDIT: amount, AMT_ANNUITY: amount, AMT_GOODS_PRICE: amount }, { requiredKeys: [] }),
        anyJson,
      ),
      // The counterfactual search takes up to ~300 ms: a few, so that 10,000 requests stay within a minute.
      counterfactuals: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, fc.constant(true)),
    },
    { requiredKeys: ['clientId', 'counterfactuals'] },
  ),
  getModelInfo: fc.record({ lang }, { requiredKeys: [] }),
  recordDecision: fc.record(
    {
      clientId: clientId(),
      finalDecision: fc.constantFrom('granted', 'refused', 'maybe'),
      offer: fc.oneof(
        { weight: 3, arbitrary: fc.constant({}) },
        fc.record(
          {
            AMT_CREDIT: amount,
            AMT_ANNUITY: amount,
            AMT_GOODS_PRICE: amount,
            termMonths: fc.integer({ min: -1, max: 700 }),
          },
          { requiredKeys: [] },
        ),
        anyJson,
      ),
      overrideReason: optional(fc.string({ maxLength: 60 })),
      clientComment: optional(fc.string({ maxLength: 60 })),
      humanReviewRequested: fc.oneof(fc.boolean(), fc.constant('no')),
      modelVersion: optional(fc.constantFrom('unknown-model', '')),
      review: optional(
        fc.oneof(
          fc.record({
            secondsOnFile: fc.integer({ min: -5, max: 10 ** 6 }),
            sectionsOpened: fc.subarray(['summary', 'explanation', 'what-if', 'decision', 'elsewhere']),
          }),
          anyJson,
        ),
      ),
    },
    { requiredKeys: ['clientId', 'finalDecision', 'offer'] },
  ),
  listDecisions: fc.record(
    {
      clientId: clientId(),
      page: fc.integer({ min: 0, max: 5 }),
      pageSize: fc.integer({ min: 0, max: 101 }),
    },
    { requiredKeys: [] },
  ),
  getClientHistory: fc.record({ clientId: clientId() }, { requiredKeys: [] }),
  logEvent: fc.record(
    {
      clientId: clientId(),
      kind: fc.constantFrom('view', 'print', 'delete'),
      lang,
      view: optional(fc.string({ maxLength: 120 })),
    },
    { requiredKeys: ['clientId', 'kind'] },
  ),
  verifyAuditChain: fc.constant({}),
  exportAuditLog: fc.record({ format: fc.constantFrom('jsonl', 'csv', 'xml') }, { requiredKeys: [] }),
  getDesk: fc.constant({}),
  setDesk: fc.record({
    manager: fc.oneof(
      { weight: 6, arbitrary: fc.constant({ name: 'Fuzz Manager', branch: 'Fuzz' }) },
      fc.constant(null),
      fc.record({ name: fc.string({ maxLength: 120 }), branch: fc.option(fc.string({ maxLength: 120 })) }),
      anyJson,
    ),
  }),
};

const apiMethod = fc.constantFrom(...apiMethods);
const wellFormed: fc.Arbitrary<FuzzRequest> = apiMethod.chain((api) =>
  fc
    .tuple(inputs[api], optional(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 1 })))
    .map(([input, extra]) => ({
      path: `/api/${api}`,
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify(extra ? { ...input, ...extra } : input),
    })),
);
const malformedBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  anyJson.map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '',
    '{',
    '{"clientId":',
    'null',
    '[]',
    '"text"',
    '{"__proto__":{"polluted":1}}',
    '\u0000\uffff',
  ),
  inputs.getScore.map((v) => JSON.stringify(v).slice(0, -1)),
  fc.integer({ min: 1, max: 300 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
);
const malformed: fc.Arbitrary<FuzzRequest> = fc
  .record({
    target: fc.oneof(
      apiMethod,
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        '',
        '../package.json',
        '%2e%2e%2fsecret',
        'getScore/extra',
      ),
      fc.string({ maxLength: 30 }).map(encodeURIComponent),
    ),
    method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    contentType: fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      undefined,
    ),
    body: malformedBody,
  })
  .map(({ target, method, contentType, body }) => ({
    path: `/api/${target}`,
    method,
    contentType,
    body: method === 'GET' ? undefined : body,
  }));
const request = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: malformed });

const answered = { ok: 0, error: 0 };

async function send(req: FuzzRequest): Promise<void> {
  const response = await fetch(`${app.url}${req.path}`, {
    method: req.method,
    headers: { 'X-Scoring-Desk': '1', ...(req.contentType ? { 'Content-Type': req.contentType } : {}) },
    body: req.body,
  });
  const text = await response.text();
  const context = `${req.method} ${req.path} ${String(req.body).slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  // A path that leaves /api/ once normalised ('/api/../x') is the static files' business, answered in text.
  if (!new URL(req.path, app.url).pathname.startsWith('/api/')) return;
  const json = JSON.parse(text) as { error?: { code: string; message: string } };
  // Some malformed requests are acceptable (an empty body is an empty input): an OK answer must be well-formed.
  const api = apiMethods.find((m) => req.path === `/api/${m}`);
  if (response.status === 200 && api) {
    answered.ok++;
    const parsed = contract[api].output.safeParse(json);
    expect(parsed.success, `${context}: ${parsed.error?.message ?? ''}`).toBe(true);
  } else {
    answered.error++;
    expect(response.status, context).toBeGreaterThanOrEqual(400);
    expect(apiErrorCodeSchema.safeParse(json.error?.code).success, context).toBe(true);
    expect(json.error!.message.length, context).toBeGreaterThan(0);
  }
}

describe('API fuzzing', () => {
  it(`answers ${REQUESTS.toLocaleString('en')} generated requests, valid and malformed, without a 5xx or an untyped error`, async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: PER_RUN, maxLength: PER_RUN }), async (batch) => {
        await Promise.all(batch.map(send));
        sent += batch.length;
      }),
      { numRuns: REQUESTS / PER_RUN },
    );
    expect(sent).toBe(REQUESTS);
    // Both sides were exercised: a thousand or more real answers and as many typed refusals (about a fifth of
    // the requests are valid, so a tighter bound would fail on an unlucky draw).
    expect(answered.ok).toBeGreaterThan(REQUESTS / 10);
    expect(answered.error).toBeGreaterThan(REQUESTS / 10);
    expect(logged.filter((line) => /internal|error/i.test(line))).toEqual([]);
    const status = await fetch(`${app.url}/api/getStatus`, {
      method: 'POST',
      headers: API_HEADERS,
      body: '{}',
    });
    expect(status.status).toBe(200);
    const chain = await app.services.handlers.verifyAuditChain({});
    expect(chain.ok).toBe(true);
  }, 180_000);
});
