import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiMethods, contract, type ApiMethod, type ApiResult } from '../../../src-main/api/contract.ts';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { ipcChannels } from '../../../src-main/electron/bridge.ts';
import type { InvokeEvent } from '../../../src-main/electron/ipc.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';
import { electron, startMainProcess, stopMainProcess } from './support/fakeElectron.ts';

/**
 * The Electron binary cannot run on every machine, so the main process is loaded here against a stand-in for
 * the `electron` module, on a real client base and model: the window's security settings, the handlers it
 * installs, and that they route to the services.
 */
vi.mock('electron', async () =>
  (await import('./support/fakeElectron.ts')).fakeElectron({ packaged: false }),
);

let fixture: ApiFixture;
let pageUrl: string;
const printed = Buffer.from('%PDF-1.7 the sheet');

function event(
  frame: { url: string; parent: unknown } | null = { url: `${pageUrl}#/clients/1`, parent: null },
): InvokeEvent {
  return { senderFrame: frame, sender: { printToPDF: async () => printed } };
}

async function invoke<T = unknown>(
  channel: string,
  ev: InvokeEvent,
  ...args: unknown[]
): Promise<ApiResult<T>> {
  const handler = electron.ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(ev, ...args)) as ApiResult<T>;
}

function webContentsHandlers() {
  const handlers = new Map<string, (event: { preventDefault(): void }) => void>();
  let openHandler: (() => unknown) | undefined;
  const contents = {
    on: (name: string, handler: (event: { preventDefault(): void }) => void) => handlers.set(name, handler),
    setWindowOpenHandler: (handler: () => unknown) => (openHandler = handler),
  };
  electron.appHandlers.get('web-contents-created')?.({}, contents);
  return { handlers, openWindow: () => openHandler?.() };
}

beforeAll(async () => {
  fixture = await apiFixture();
  await startMainProcess(fixture);
  pageUrl = pathToFileURL(path.join(electron.paths.app, 'dist', 'renderer', 'index.html')).href;
  const named = await invoke(ipcChannels.api, event(), 'setDesk', {
    manager: { name: 'Test Manager', branch: null },
  });
  expect(named.ok).toBe(true);
});

afterAll(stopMainProcess);

describe('Electron main process', () => {
  it('opens one sandboxed, isolated window on the built renderer, with the preload bridge', () => {
    expect(electron.windows).toHaveLength(1);
    const [window] = electron.windows;
    expect(window?.options.webPreferences).toEqual({
      preload: path.join(electron.paths.app, 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      additionalArguments: ['--scoring-desk-version=9.8.7'],
    });
    expect(window?.loadFile).toHaveBeenCalledWith(
      path.join(electron.paths.app, 'dist', 'renderer', 'index.html'),
    );
  });

  it('refuses new windows, navigation away, redirects and embedded webviews', () => {
    const { handlers, openWindow } = webContentsHandlers();
    expect(openWindow()).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(name)?.({ preventDefault });
      expect(preventDefault, name).toHaveBeenCalled();
    }
  });

  it('grants no browser permission and loads nothing from the network', () => {
    const callback = vi.fn();
    electron.session.requestHandler?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(electron.session.checkHandler?.()).toBe(false);
    expect(electron.session.beforeRequest?.filter.urls).toEqual(['*://*/*']);
    const cancel = vi.fn();
    electron.session.beforeRequest?.listener({ url: 'https://cdn.example/x.js' }, cancel);
    expect(cancel).toHaveBeenCalledWith({ cancel: true });
  });

  it('answers every method of the contract on one channel, routed to the services of the configured base', async () => {
    expect([...electron.ipcHandlers.keys()].sort()).toEqual([ipcChannels.api, ipcChannels.printToPdf].sort());
    const status = await invoke<{ clients: number }>(ipcChannels.api, event(), 'getStatus', {});
    expect(status.ok).toBe(true);
    const db = openClientBase(fixture.dbPath, { readonly: true });
    const clientId = db
      .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL LIMIT 1')
      .pluck()
      .get() as number;
    expect(status.ok && status.value.clients).toBe(
      db.prepare('SELECT COUNT(*) FROM application').pluck().get(),
    );
    db.close();
    const inputs: Record<ApiMethod, unknown> = {
      getStatus: {},
      searchClients: { query: String(clientId) },
      getClientFile: { clientId },
      getScore: { clientId },
      getExplanation: { clientId },
      compare: { clientId },
      whatIf: { clientId, edits: {}, counterfactuals: false },
      getModelInfo: {},
      recordDecision: {
        clientId,
        finalDecision: 'refused',
        offer: {},
        overrideReason: 'test of the IPC route',
      },
      listDecisions: {},
      getClientHistory: { clientId },
      logEvent: { clientId, kind: 'view' },
      verifyAuditChain: {},
      exportAuditLog: {},
      getDesk: {},
      setDesk: { manager: { name: 'Jeanne Martin', branch: 'Lyon Part-Dieu' } },
    };
    for (const method of apiMethods) {
      const result = await invoke(ipcChannels.api, event(), method, inputs[method]);
      expect(result.ok ? 'ok' : result.error, method).toBe('ok');
      if (result.ok) expect(contract[method].output.safeParse(result.value).success, method).toBe(true);
    }
    const bad = await invoke(ipcChannels.api, event(), 'getScore', { clientId: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('answers nothing but the app’s own page in its main frame', async () => {
    const before = await invoke<{ entries: number }>(ipcChannels.api, event(), 'verifyAuditChain', {});
    const strangers = [
      event({ url: 'https://attacker.example/', parent: null }),
      event({ url: pageUrl, parent: { url: pageUrl } }),
      event(null),
    ];
    for (const stranger of strangers) {
      const clientId = 100001;
      const result = await invoke(ipcChannels.api, stranger, 'logEvent', { clientId, kind: 'view' });
      expect(result).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: expect.stringMatching(/page only/) },
      });
      expect(await invoke(ipcChannels.printToPdf, stranger, { traceId: crypto.randomUUID() })).toMatchObject({
        ok: false,
      });
    }
    const after = await invoke<{ entries: number }>(ipcChannels.api, event(), 'verifyAuditChain', {});
    expect(after.ok && after.value.entries).toBe(before.ok && before.value.entries);
  });

  it('prints a logged print’s sheet to PDF in the documents folder, and logs it', async () => {
    const page = await invoke<{ items: { clientId: number }[] }>(
      ipcChannels.api,
      event(),
      'searchClients',
      {},
    );
    const clientId = page.ok ? page.value.items[0]!.clientId : 0;
    const print = await invoke<{ traceId: string }>(ipcChannels.api, event(), 'logEvent', {
      clientId,
      kind: 'print',
    });
    const traceId = print.ok ? print.value.traceId : '';
    const result = await invoke<{ path: string; bytes: number }>(ipcChannels.printToPdf, event(), {
      traceId,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        path: path.join(electron.paths.user, 'documents', 'Scoring Desk', `scoring-desk-${traceId}.pdf`),
        bytes: printed.length,
      },
    });
    expect(result.ok && readFileSync(result.value.path)).toEqual(printed);
    const history = await invoke<{ events: { action: string; details: Record<string, unknown> }[] }>(
      ipcChannels.api,
      event(),
      'getClientHistory',
      { clientId },
    );
    expect(history.ok && history.value.events[0]).toMatchObject({
      action: 'print_pdf',
      details: { printTraceId: traceId },
    });

    const unknown = crypto.randomUUID();
    expect(await invoke(ipcChannels.printToPdf, event(), { traceId: unknown })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      existsSync(path.join(electron.paths.user, 'documents', 'Scoring Desk', `scoring-desk-${unknown}.pdf`)),
    ).toBe(false);
    expect(await invoke(ipcChannels.printToPdf, event(), { traceId: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/traceId/) },
    });
  });
});
