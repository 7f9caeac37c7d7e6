import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiMethods,
  contract,
  type ApiError,
  type ApiMethod,
  type ApiOutput,
} from '../../../src-main/api/contract.ts';
import { ServeError, startAppServer, type AppServer } from '../../../src-main/http/appServer.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { MAX_BODY_BYTES, createHttpServer, listen } from '../../../src-main/http/server.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';

let fixture: ApiFixture;
let app: AppServer;
let clientId: number;
const CSP = "default-src 'none'; script-src 'self'";

beforeAll(async () => {
  fixture = await apiFixture();
  const staticDir = join(fixture.dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(
    join(staticDir, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${CSP.replaceAll("'", '&#39;')}"></head><body></body></html>`,
  );
  writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(fixture.dir, 'secret.txt'), 'not for the web');
  app = await startAppServer({
    dbPath: fixture.dbPath,
    modelDir: fixture.modelDir,
    host: '127.0.0.1',
    port: 0,
    staticDir,
    log: () => {},
  });
  await app.services.handlers.setDesk({ manager: { name: 'Test Manager', branch: null } });
  clientId = app.services.context.db
    .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL LIMIT 1')
    .pluck()
    .get() as number;
});

afterAll(async () => {
  await app?.close();
});

type Answer = { error: ApiError } & Record<string, unknown>;

async function post(
  method: string,
  body: unknown,
  init: RequestInit = {},
): Promise<{ status: number; json: Answer }> {
  const response = await fetch(`${app.url}/api/${method}`, {
    method: 'POST',
    headers: API_HEADERS,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

async function ok<M extends ApiMethod>(method: M, input: unknown): Promise<ApiOutput<M>> {
  const { status, json } = await post(method, input);
  expect(status, JSON.stringify(json).slice(0, 300)).toBe(200);
  const parsed = contract[method].output.safeParse(json);
  expect(parsed.success).toBe(true);
  return parsed.data as ApiOutput<M>;
}

/** A raw request, for what fetch does not let a caller set (the Host header). */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP API', () => {
  it('answers every method of the contract through POST /api/<method>', async () => {
    await ok('getStatus', {});
    const page = await ok('searchClients', { query: String(clientId) });
    expect(page.items[0]?.clientId).toBe(clientId);
    await ok('getClientFile', { clientId });
    await ok('getScore', { clientId });
    await ok('getExplanation', { clientId, lang: 'en' });
    await ok('compare', { clientId, group: { kind: 'similar', k: 20 } });
    await ok('whatIf', { clientId, edits: {}, counterfactuals: false });
    await ok('getModelInfo', {});
    const print = await ok('logEvent', { clientId, kind: 'print' });
    const history = await ok('getClientHistory', { clientId });
    expect(history.events[0]?.traceId).toBe(print.traceId);
    await ok('listDecisions', {});
    await ok('verifyAuditChain', {});
    await ok('exportAuditLog', { format: 'csv' });
    const score = await ok('getScore', { clientId });
    await ok('recordDecision', { clientId, finalDecision: score.decision, offer: {} });
  });

  it('answers bad requests with a 4xx status and a typed error naming what is wrong', async () => {
    const cases: [string, unknown, number, string, RegExp][] = [
      ['getScore', { clientId: 'abc' }, 400, 'invalid_request', /clientId/],
      ['getScore', '{"clientId": 1', 400, 'invalid_request', /not valid JSON/],
      ['getScore', { clientId: 1 }, 404, 'not_found', /no client 1/],
      ['noSuchMethod', {}, 404, 'not_found', /noSuchMethod/],
      ['whatIf', { clientId, edits: { AMT_CREDIT: 1 } }, 422, 'out_of_range', /^AMT_CREDIT: /],
      [
        'recordDecision',
        { clientId: 100001 + 10 ** 9, finalDecision: 'granted', offer: {} },
        404,
        'not_found',
        /no client/,
      ],
    ];
    for (const [method, body, status, code, message] of cases) {
      const response = await post(method, body);
      expect(response.status, method).toBe(status);
      expect(response.json.error.code).toBe(code);
      expect(response.json.error.message).toMatch(message);
    }
    const get = await fetch(`${app.url}/api/getScore`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const big = await post('searchClients', JSON.stringify({ query: 'x'.repeat(MAX_BODY_BYTES + 10) }));
    expect(big.status).toBe(413);
  });

  it('never answers 5xx to generated requests, valid or not', async () => {
    const input = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record(
        {
          clientId: fc.oneof(fc.constant(clientId), fc.integer(), fc.string()),
          lang: fc.constantFrom('fr', 'en', 'xx'),
        },
        { requiredKeys: [] },
      ),
    );
    const readMethods = apiMethods.filter((m) => contract[m].readonly && m !== 'compare');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...readMethods), input, async (method, body) => {
        const { status, json } = await post(method, body);
        expect(status, JSON.stringify(json)).toBeLessThan(500);
        if (status !== 200) expect(typeof json.error.message).toBe('string');
      }),
      { numRuns: 150 },
    );
  });

  it('publishes a valid OpenAPI 3.1 document with every method', async () => {
    const response = await fetch(`${app.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        {
          post: {
            requestBody: { content: Record<string, { schema: { required: string[] } }> };
            responses: Record<string, unknown>;
          };
        }
      >;
    };
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(apiMethods.map((m) => `/api/${m}`).sort());
    const whatIf = document.paths['/api/whatIf']!.post;
    expect(whatIf.requestBody.content['application/json']?.schema.required).toEqual(['clientId', 'edits']);
    expect(whatIf.responses['422']).toEqual({ $ref: '#/components/responses/ApiError' });
  });
});

describe('HTTP server', () => {
  it('serves the renderer with its Content-Security-Policy, and nothing outside its folder', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`${app.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/nothing.js',
    ]) {
      const response = await raw(path, {});
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('not for the web');
    }
  });

  it('refuses requests naming another host (DNS rebinding)', async () => {
    expect((await raw('/api/openapi.json', { Host: 'attacker.example:80' })).status).toBe(421);
    expect((await raw('/api/openapi.json', { Host: `localhost:${new URL(app.url).port}` })).status).toBe(200);
  });

  it('will not listen beyond the loopback without --allow-remote and a long token', async () => {
    const base = { dbPath: fixture.dbPath, modelDir: fixture.modelDir, port: 0, log: () => {} };
    await expect(startAppServer({ ...base, host: '0.0.0.0' })).rejects.toThrow(ServeError);
    await expect(
      startAppServer({ ...base, host: '0.0.0.0', allowRemote: true, token: 'short' }),
    ).rejects.toThrow(/at least 32 characters/);
  });

  it('asks for the token when one is set: bearer header, or the cookie set by ?token=', async () => {
    const token = 'a'.repeat(40);
    const server = createHttpServer({ handlers: app.services.handlers, version: 't', token, anyHost: true });
    const { url } = await listen(server, 0, '127.0.0.1');
    try {
      const call = (headers: Record<string, string>) =>
        fetch(`${url}/api/getStatus`, {
          method: 'POST',
          headers: { ...API_HEADERS, ...headers },
          body: '{}',
        });
      const refused = await call({});
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
        /access token/,
      );
      expect((await call({ Authorization: `Bearer ${'b'.repeat(40)}` })).status).toBe(401);
      expect((await call({ Authorization: `Bearer ${token}` })).status).toBe(200);
      const login = await fetch(`${url}/?token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await call({ Cookie: cookie })).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
