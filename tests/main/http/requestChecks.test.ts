import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiError } from '../../../src-main/api/contract.ts';
import { startAppServer, type AppServer } from '../../../src-main/http/appServer.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { MAX_BODY_BYTES } from '../../../src-main/http/server.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';

/**
 * The forgeries a web page on another site can make, replayed at the HTTP level (the browser replays them in
 * tests/e2e/forgery.e2e.ts): each is refused before anything is read, and nothing is written.
 */

let fixture: ApiFixture;
let app: AppServer;
let clientId: number;
let decision: string;
const logged: string[] = [];
const internalErrors: unknown[] = [];

beforeAll(async () => {
  fixture = await apiFixture();
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => internalErrors.push(args));
  app = await startAppServer({
    dbPath: fixture.dbPath,
    modelDir: fixture.modelDir,
    host: '127.0.0.1',
    port: 0,
    log: (line) => logged.push(line),
  });
  await app.services.handlers.setDesk({ manager: { name: 'Test Manager', branch: null } });
  clientId = app.services.context.db
    .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL LIMIT 1')
    .pluck()
    .get() as number;
  decision = (await app.services.handlers.getScore({ clientId, lang: 'en' })).decision;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await app?.close();
});

const own = () => `http://${new URL(app.url).host}`;
const decisionCount = () =>
  app.services.context.db.prepare('SELECT COUNT(*) FROM decision').pluck().get() as number;

async function call(
  headers: Record<string, string>,
  body = JSON.stringify({ clientId, finalDecision: decision, offer: {} }),
  method = 'recordDecision',
): Promise<{ status: number; error: ApiError | undefined }> {
  const response = await fetch(`${app.url}/api/${method}`, { method: 'POST', headers, body });
  const json = (await response.json()) as { error?: ApiError };
  return { status: response.status, error: json.error };
}

describe('writes only from our own page', () => {
  it('refuses the forgeries of a page on another site, and writes nothing', async () => {
    const before = decisionCount();
    const forgeries: [string, Record<string, string>, number, RegExp][] = [
      // An HTML form: text/plain, the browser's Origin and Sec-Fetch-Site.
      [
        'form',
        { 'Content-Type': 'text/plain', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
        403,
        /another site/,
      ],
      ['curl with a text body', { 'Content-Type': 'text/plain' }, 415, /Content-Type: application\/json/],
      ['a body without a type', {}, 415, /Content-Type: application\/json/],
      ['urlencoded form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, /JSON/],
      [
        'JSON in another charset',
        { ...API_HEADERS, 'content-type': 'application/json; charset=utf-16' },
        415,
        /UTF-8/,
      ],
      // A no-cors fetch may not set a JSON type nor a custom header: even with the right Origin, no mark.
      ['no-cors fetch', { 'Content-Type': 'text/plain;charset=UTF-8', Origin: own() }, 415, /JSON/],
      ['JSON without the mark', { 'Content-Type': 'application/json' }, 403, /X-Scoring-Desk: 1/],
      ['a wrong mark', { ...API_HEADERS, 'x-scoring-desk': 'yes' }, 403, /X-Scoring-Desk: 1/],
      ['another origin', { ...API_HEADERS, Origin: 'https://evil.example' }, 403, /evil\.example/],
      // Another port of the same host is the same site, not the same origin.
      [
        'another port',
        { ...API_HEADERS, Origin: 'http://localhost:1', 'Sec-Fetch-Site': 'same-site' },
        403,
        /Sec-Fetch-Site: "same-site"/,
      ],
      ['another port, Origin alone', { ...API_HEADERS, Origin: 'http://localhost:1' }, 403, /localhost:1/],
      ['a null origin (sandboxed frame)', { ...API_HEADERS, Origin: 'null' }, 403, /"null"/],
    ];
    for (const [name, headers, status, message] of forgeries) {
      const answer = await call(headers);
      expect(answer.status, name).toBe(status);
      expect(answer.error?.message, name).toMatch(message);
    }
    expect(decisionCount()).toBe(before);
  });

  it('answers its own page and programs: same origin, the JSON type and the mark', async () => {
    const before = decisionCount();
    const url = new URL(app.url);
    const answer = await call({
      ...API_HEADERS,
      Origin: `http://${url.host}`,
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(answer.status).toBe(200);
    expect((await call({ ...API_HEADERS, 'content-type': 'Application/JSON; charset=UTF-8' })).status).toBe(
      200,
    );
    expect(decisionCount()).toBe(before + 2);
  });

  it('refuses every content type but JSON and every origin but its own (generated)', async () => {
    const before = decisionCount();
    const notJson = fc
      .string({ maxLength: 40 })
      .filter((type) => type.split(';')[0]!.trim().toLowerCase() !== 'application/json')
      .filter((type) => /^[\t\x20-\x7e]*$/.test(type));
    const origin = fc
      .webUrl({ withQueryParameters: false, withFragments: false })
      .map((u) => new URL(u).origin)
      .filter((o) => o !== `http://${new URL(app.url).host}`);
    await fc.assert(
      fc.asyncProperty(notJson, async (type) => {
        expect((await call({ 'X-Scoring-Desk': '1', 'Content-Type': type })).status).toBe(415);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(origin, async (from) => {
        expect((await call({ ...API_HEADERS, Origin: from })).status).toBe(403);
      }),
      { numRuns: 60 },
    );
    expect(decisionCount()).toBe(before);
  });
});

describe('bodies and aborted requests', () => {
  it('takes a body up to 64 KB and answers 413 beyond', async () => {
    const padded = (size: number) => {
      const start = JSON.stringify({ query: 'Dupont' });
      return start.slice(0, -1) + ' '.repeat(size - start.length) + '}';
    };
    expect((await call(API_HEADERS, padded(MAX_BODY_BYTES), 'searchClients')).status).toBe(200);
    const big = await call(API_HEADERS, padded(MAX_BODY_BYTES + 1), 'searchClients');
    expect(big.status).toBe(413);
    expect(big.error?.message).toMatch(/larger than 64 KB/);
  });

  it('logs a request the client abandons once, as aborted, not as an internal error', async () => {
    const errorsBefore = internalErrors.length;
    const url = new URL(`${app.url}/api/recordDecision`);
    await new Promise<void>((resolve) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: { ...API_HEADERS, 'Content-Length': '1000' },
      });
      request.on('error', () => resolve());
      request.write('{"clientId":', () => setTimeout(() => request.destroy(), 50));
    });
    await expect.poll(() => logged.filter((line) => /aborted/.test(line)).length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged.filter((line) => /aborted/.test(line))).toEqual([
      'request aborted by the client: POST /api/recordDecision after 12 bytes of its body',
    ]);
    expect(internalErrors.length).toBe(errorsBefore);
  });
});

describe('search', () => {
  it('needs something to search for: not a leading 0, not punctuation or accents alone', async () => {
    for (const query of ['0', '007', '\u0301', '\u0301\u0308', '-', '.. ,']) {
      const answer = await call(API_HEADERS, JSON.stringify({ query }), 'searchClients');
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(answer.error?.message).toMatch(/query/);
    }
    for (const query of ['', String(clientId), 'é', "o'neil"]) {
      expect((await call(API_HEADERS, JSON.stringify({ query }), 'searchClients')).status).toBe(200);
    }
  });
});
