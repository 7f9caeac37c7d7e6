import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import type { ApiFixture } from '../../services/support/apiFixture.ts';

/**
 * A stand-in for the `electron` module, for loading the main process under plain Node: it records what the main
 * process installs (app and IPC handlers, windows, session handlers, error dialogs) in `electron` below. A test
 * file mocks the module with `vi.mock('electron', async () => (await import('./support/fakeElectron.ts'))
 * .fakeElectron({ packaged }))` and reads `electron` from the same module.
 */
export const electron = {
  appHandlers: new Map<string, (...args: unknown[]) => void>(),
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  windows: [] as {
    options: Electron.BrowserWindowConstructorOptions;
    loadFile: (file: string) => Promise<void>;
  }[],
  session: {
    requestHandler: undefined as undefined | ((...args: unknown[]) => void),
    checkHandler: undefined as undefined | (() => boolean),
    beforeRequest: undefined as
      undefined | { filter: { urls: string[] }; listener: (...args: unknown[]) => void },
  },
  paths: { app: '', user: '' },
  /** Messages of the error dialogs shown. */
  errors: [] as string[],
};

export function fakeElectron(options: { packaged: boolean }) {
  return {
    app: {
      on: (event: string, handler: (...args: unknown[]) => void) => electron.appHandlers.set(event, handler),
      getAppPath: () => electron.paths.app,
      getVersion: () => '9.8.7',
      getPath: (name: string) =>
        name === 'userData' ? electron.paths.user : path.join(electron.paths.user, name),
      isPackaged: options.packaged,
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
      show(): void {}
      setTitle(): void {}
      setProgressBar(): void {}
    },
    dialog: { showErrorBox: (_title: string, message: string) => electron.errors.push(message) },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
        electron.ipcHandlers.set(channel, handler),
    },
    // A key store that wraps by reversing the bytes: the wrapped file is not the key, and unwraps only here.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(text).reverse(),
      decryptString: (data: Buffer) => Buffer.from(data).reverse().toString(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: (...args: unknown[]) => void) =>
          (electron.session.requestHandler = handler),
        setPermissionCheckHandler: (handler: () => boolean) => (electron.session.checkHandler = handler),
        webRequest: {
          onBeforeRequest: (filter: { urls: string[] }, listener: (...args: unknown[]) => void) =>
            (electron.session.beforeRequest = { filter, listener }),
        },
      },
    },
  };
}

/**
 * Loads the main process on a fixture's base and model, with fresh app and userData folders; `prepare` runs once
 * the folders exist, before the main process starts (to place files in userData).
 */
export async function startMainProcess(fixture: ApiFixture, prepare: () => void = () => {}): Promise<void> {
  electron.paths.app = mkdtempSync(path.join(tmpdir(), 'scoring-desk-app-'));
  electron.paths.user = mkdtempSync(path.join(tmpdir(), 'scoring-desk-user-'));
  prepare();
  vi.stubEnv('SCORING_DESK_DB', fixture.dbPath);
  vi.stubEnv('SCORING_DESK_MODEL', fixture.modelDir);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  await import('../../../../src-main/electron/main.ts');
}

/** Lets the main process quit, as Electron does on the last window's close. */
export function stopMainProcess(): void {
  electron.appHandlers.get('will-quit')?.();
  vi.unstubAllEnvs();
}
