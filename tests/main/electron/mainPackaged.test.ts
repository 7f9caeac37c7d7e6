import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configuredBaseKey, generateBaseKey, useBaseKey } from '../../../src-main/data/baseKey.ts';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { encryptClientBase } from '../../../src-main/data/encryptBase.ts';
import { ipcChannels } from '../../../src-main/electron/bridge.ts';
import { wrappedKeyFileName } from '../../../src-main/electron/baseKeyStore.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';

/**
 * The installed app (app.isPackaged) opens its client base with the key the operating system's key store keeps
 * for this user: here a stand-in key store that wraps by reversing the bytes, and a fixture base encrypted with
 * the key it holds.
 */
const electron = vi.hoisted(() => ({
  appHandlers: new Map<string, (...args: unknown[]) => void>(),
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  paths: { app: '', user: '' },
  errors: [] as string[],
}));

vi.mock('electron', () => ({
  app: {
    on: (event: string, handler: (...args: unknown[]) => void) => electron.appHandlers.set(event, handler),
    getAppPath: () => electron.paths.app,
    getVersion: () => '1.0.0',
    getPath: (name: string) =>
      name === 'userData' ? electron.paths.user : path.join(electron.paths.user, name),
    isPackaged: true,
    whenReady: async () => undefined,
    requestSingleInstanceLock: () => true,
    quit: vi.fn(),
    exit: vi.fn(),
  },
  BrowserWindow: class {
    loadFile = vi.fn(async () => undefined);
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
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text: string) => Buffer.from(text).reverse(),
    decryptString: (data: Buffer) => Buffer.from(data).reverse().toString(),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      webRequest: { onBeforeRequest: () => undefined },
    },
  },
}));

let fixture: ApiFixture;
const key = generateBaseKey();

beforeAll(async () => {
  fixture = await apiFixture();
  encryptClientBase(fixture.dbPath, key);
  electron.paths.app = mkdtempSync(path.join(tmpdir(), 'scoring-desk-app-'));
  electron.paths.user = mkdtempSync(path.join(tmpdir(), 'scoring-desk-user-'));
  writeFileSync(path.join(electron.paths.user, wrappedKeyFileName), Buffer.from(key).reverse());
  vi.stubEnv('SCORING_DESK_KEY', '');
  vi.stubEnv('SCORING_DESK_KEY_FILE', '');
  vi.stubEnv('SCORING_DESK_DB', fixture.dbPath);
  vi.stubEnv('SCORING_DESK_MODEL', fixture.modelDir);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  await import('../../../src-main/electron/main.ts');
});

afterAll(() => {
  electron.appHandlers.get('will-quit')?.();
  useBaseKey(undefined);
  vi.unstubAllEnvs();
});

describe('the installed app', () => {
  it('opens the encrypted client base with the key unwrapped by the operating system', async () => {
    expect(electron.errors).toEqual([]);
    expect(configuredBaseKey()).toBe(key);
    const handler = electron.ipcHandlers.get(ipcChannels.api)!;
    const page = path.join(electron.paths.app, 'dist', 'renderer', 'index.html');
    const event = { senderFrame: { url: `file://${page}`, parent: null }, sender: {} };
    const status = (await handler(event, 'getStatus', {})) as { ok: boolean; value: { clients: number } };
    expect(status.ok).toBe(true);
    expect(status.value.clients).toBeGreaterThan(0);
    expect(() => openClientBase(fixture.dbPath, { key: null, readonly: true })).toThrow(/key/i);
  });

  it('keeps the key wrapped on disk, never in clear', () => {
    const wrapped = readFileSync(path.join(electron.paths.user, wrappedKeyFileName));
    expect(wrapped.toString()).not.toContain(key);
    expect(existsSync(path.join(electron.paths.user, 'client-base.sqlite'))).toBe(false);
  });
});
