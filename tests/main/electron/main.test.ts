import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The Electron binary cannot run on every machine, so the main process is loaded here against a stand-in for
 * the `electron` module, to check the window's security settings and the handlers it installs.
 */
const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const windows: { options: Electron.BrowserWindowConstructorOptions; loadFile: ReturnType<typeof vi.fn> }[] =
    [];
  const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
  return { appHandlers, windows, session };
});

vi.mock('electron', () => ({
  app: {
    on: (event: string, handler: (...args: unknown[]) => void) => electron.appHandlers.set(event, handler),
    getAppPath: () => '/opt/scoring-desk',
    getVersion: () => '9.8.7',
    getPath: () => '/home/anne/.config/Scoring Desk',
    isPackaged: false,
    whenReady: async () => undefined,
    requestSingleInstanceLock: () => true,
    quit: vi.fn(),
    exit: vi.fn(),
  },
  BrowserWindow: class {
    loadFile = vi.fn(async () => undefined);
    constructor(public options: Electron.BrowserWindowConstructorOptions) {
      electron.windows.push(this);
    }
    once(): void {}
  },
  dialog: { showErrorBox: vi.fn() },
  session: { defaultSession: electron.session },
}));

function webContentsHandlers() {
  const handlers = new Map<string, (event: { preventDefault(): void }) => void>();
  let openHandler: (() => unknown) | undefined;
  const contents = {
    on: (event: string, handler: (event: { preventDefault(): void }) => void) => handlers.set(event, handler),
    setWindowOpenHandler: (handler: () => unknown) => (openHandler = handler),
  };
  electron.appHandlers.get('web-contents-created')?.({}, contents);
  return { handlers, openWindow: () => openHandler?.() };
}

describe('Electron main process', () => {
  beforeAll(async () => {
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    await import('../../../src-main/electron/main.ts');
  });

  it('opens one sandboxed, isolated window on the built renderer, with the preload bridge', () => {
    expect(electron.windows).toHaveLength(1);
    const [window] = electron.windows;
    expect(window?.options.webPreferences).toEqual({
      preload: path.join('/opt/scoring-desk', 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      additionalArguments: ['--scoring-desk-version=9.8.7'],
    });
    expect(window?.loadFile).toHaveBeenCalledWith(
      path.join('/opt/scoring-desk', 'dist', 'renderer', 'index.html'),
    );
  });

  it('refuses new windows, navigation away and embedded webviews', () => {
    const { handlers, openWindow } = webContentsHandlers();
    expect(openWindow()).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(event)?.({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
  });

  it('grants no browser permission', () => {
    const requestHandler = electron.session.setPermissionRequestHandler.mock.lastCall?.[0];
    const callback = vi.fn();
    requestHandler?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    const checkHandler = electron.session.setPermissionCheckHandler.mock.lastCall?.[0];
    expect(checkHandler?.()).toBe(false);
  });

  it('says which client base it opens', () => {
    expect(console.info).toHaveBeenCalledWith(
      expect.stringContaining(path.join('/opt/scoring-desk', 'data', 'demo', 'client-base.sqlite')),
    );
  });
});
