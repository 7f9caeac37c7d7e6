// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  delete (window as { scoringDesk?: unknown }).scoringDesk;
});

describe('the API client over HTTP', () => {
  it('posts the input to api/<method> and returns the output', async () => {
    const calls: { url: string; body: unknown }[] = [];
    vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
      calls.push({ url: String(url), body: JSON.parse(String(init.body)) });
      return new Response(JSON.stringify({ threshold: 0.1 }), { status: 200 });
    });
    const { callApi, isDesktop } = await import('../../../src-renderer/api/client.ts');
    expect(isDesktop).toBe(false);
    await expect(callApi('getModelInfo', { lang: 'en' })).resolves.toEqual({ threshold: 0.1 });
    expect(calls[0]!.url).toMatch(/\/api\/getModelInfo$/);
    expect(calls[0]!.body).toEqual({ lang: 'en' });
  });

  it("throws the contract's error, and a clear one when the server sends none", async () => {
    vi.stubGlobal('fetch', async (url: URL) =>
      String(url).endsWith('getScore')
        ? new Response(JSON.stringify({ error: { code: 'not_found', message: 'no client 7' } }), {
            status: 404,
          })
        : new Response('gateway down', { status: 502 }),
    );
    const { callApi, ApiCallError } = await import('../../../src-renderer/api/client.ts');
    const failure = await callApi('getScore', { clientId: 7 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiCallError);
    expect((failure as InstanceType<typeof ApiCallError>).error).toEqual({
      code: 'not_found',
      message: 'no client 7',
    });
    await expect(callApi('getStatus', {})).rejects.toThrow(/502/);
  });
});

describe('the API client in the desktop app', () => {
  it('calls the preload bridge and never fetch', async () => {
    vi.stubGlobal('fetch', () => {
      throw new Error('fetch must not be called in the desktop app');
    });
    const seen: unknown[] = [];
    Object.defineProperty(window, 'scoringDesk', {
      configurable: true,
      value: {
        version: '1.0.0',
        api: {
          getStatus: async (input: unknown) => (seen.push(input), { ok: true, value: { version: '1.0.0' } }),
        },
        printToPdf: async () => ({ ok: true, value: { path: '/tmp/sheet.pdf', bytes: 10 } }),
      },
    });
    const { callApi, isDesktop, printToPdf } = await import('../../../src-renderer/api/client.ts');
    expect(isDesktop).toBe(true);
    await expect(callApi('getStatus', {})).resolves.toEqual({ version: '1.0.0' });
    expect(seen).toEqual([{}]);
    await expect(printToPdf('T-1')).resolves.toEqual({ path: '/tmp/sheet.pdf', bytes: 10 });
  });
});
