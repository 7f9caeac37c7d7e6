import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, e2eManager } from './support/app.ts';
import { launchChromium } from './support/browser.ts';

/**
 * The forgeries of issue 22 replayed in Chromium: a page the manager has open on another site, or on another port
 * of the same host, tries to record a decision and a print with the desk's session. Each attempt is made the way a
 * browser lets any page make it (a text/plain form, a no-cors fetch, a JSON fetch that needs a preflight); nothing
 * may be written. The same call from the app's own page is then accepted, so the check can fail.
 */

const baseUrl = inject('baseUrl');
let browser: Browser;
let attacker: Server;
let attackerPort: number;
let clientId: number;

/** The attacker's pages: each one tries its forgery on load and says when it is done. */
function attackPage(kind: string, target: string, body: string): string | undefined {
  const payload = JSON.stringify(body);
  const action = JSON.stringify(target);
  switch (kind) {
    case 'form': {
      // The classic: name + '=' + value makes the JSON body, sent as text/plain ('=' lands in the last string).
      const [name, value] = [body.slice(0, -2), body.slice(-2)];
      return `<!doctype html><form method="POST" enctype="text/plain" action=${action}>
        <input type="hidden" name='${name.replaceAll("'", '&#39;')}' value='${value}'></form>
        <script>document.forms[0].submit()</script>`;
    }
    case 'no-cors':
      return `<!doctype html><script>
        fetch(${action}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: ${payload} })
          .then(() => { document.title = 'sent'; }, (e) => { document.title = 'failed: ' + e; });
      </script>`;
    case 'json-fetch':
      return `<!doctype html><script>
        fetch(${action}, { method: 'POST', credentials: 'include', body: ${payload},
          headers: { 'content-type': 'application/json', 'x-scoring-desk': '1' } })
          .then((r) => { document.title = 'answered ' + r.status; }, (e) => { document.title = 'failed: ' + e; });
      </script>`;
    default:
      return undefined;
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  await api(baseUrl, 'setDesk', { manager: e2eManager });
  const pending = await api(baseUrl, 'searchClients', { status: ['pending'], pageSize: 1 });
  clientId = pending.items[0]!.clientId;
  attacker = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://attacker');
    const method = url.searchParams.get('method') ?? 'recordDecision';
    const body =
      method === 'logEvent'
        ? JSON.stringify({ clientId, kind: 'print', view: 'forged' })
        : JSON.stringify({ clientId, finalDecision: 'granted', offer: {}, overrideReason: 'forged' });
    const html = attackPage(url.pathname.slice(1), new URL(`api/${method}`, baseUrl).href, body);
    response.writeHead(html === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html ?? '');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

async function written(): Promise<{ decisions: number; events: number }> {
  const history = await api(baseUrl, 'getClientHistory', { clientId });
  return { decisions: history.decisions.length, events: history.events.length };
}

describe('a page on another site cannot drive the server', () => {
  // 127.0.0.1 on another port: the same host and the same site as the server, another origin. localhost on that
  // port: another site altogether.
  for (const host of ['127.0.0.1', 'localhost']) {
    for (const kind of ['form', 'no-cors', 'json-fetch']) {
      it(`${kind} from http://${host}:<another port>: nothing written`, async () => {
        const before = await written();
        const context = await browser.newContext();
        // The session the attacker would ride: the app opened in the same browser.
        const own = await context.newPage();
        await own.goto(baseUrl);
        const page = await context.newPage();
        for (const method of ['recordDecision', 'logEvent']) {
          const sent = page.waitForRequest((r) => r.url().includes(`/api/${method}`));
          const server = page.waitForResponse((r) => r.url().includes(`/api/${method}`)).catch(() => null);
          await page.goto(`http://${host}:${attackerPort}/${kind}?method=${method}`);
          if (kind === 'form') {
            const answer = await server;
            expect(answer?.status(), `${kind} ${method}`).toBe(403);
            await page.waitForLoadState();
            expect(await page.textContent('body')).toMatch(/forbidden.*another site/);
          } else {
            await page.waitForFunction("document.title !== ''", undefined, { timeout: 10_000 });
            if (kind === 'no-cors') {
              // The request goes out (the server refuses it; the browser then withholds even the opaque answer,
              // Cross-Origin-Resource-Policy: same-origin).
              expect((await sent).method()).toBe('POST');
            } else {
              // A JSON call with the mark needs a preflight, which the server never grants.
              expect(await page.title(), `${kind} ${method}`).toMatch(/^failed: TypeError/);
            }
          }
        }
        await context.close();
        expect(await written()).toEqual(before);
      });
    }
  }

  it('the same call from the app’s own page is accepted (the check above can fail)', async () => {
    const before = await written();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(baseUrl);
    const status = await page.evaluate(async (id) => {
      const response = await fetch('api/logEvent', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-scoring-desk': '1' },
        body: JSON.stringify({ clientId: id, kind: 'print' }),
      });
      return response.status;
    }, clientId);
    await context.close();
    expect(status).toBe(200);
    expect(await written()).toEqual({ ...before, events: before.events + 1 });
  });
});
