import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configuredBaseKey, generateBaseKey, useBaseKey } from '../../../src-main/data/baseKey.ts';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { encryptClientBase } from '../../../src-main/data/encryptBase.ts';
import { ipcChannels } from '../../../src-main/electron/bridge.ts';
import { wrappedKeyFileName } from '../../../src-main/electron/baseKeyStore.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';
import { electron, startMainProcess, stopMainProcess } from './support/fakeElectron.ts';

/**
 * The installed app (app.isPackaged) opens its client base with the key the operating system's key store keeps
 * for this user: here the stand-in's key store (it wraps by reversing the bytes), and a fixture base encrypted
 * with the key it holds.
 */
vi.mock('electron', async () => (await import('./support/fakeElectron.ts')).fakeElectron({ packaged: true }));

let fixture: ApiFixture;
const key = generateBaseKey();

beforeAll(async () => {
  fixture = await apiFixture();
  encryptClientBase(fixture.dbPath, key);
  vi.stubEnv('SCORING_DESK_KEY', '');
  vi.stubEnv('SCORING_DESK_KEY_FILE', '');
  await startMainProcess(fixture, () =>
    writeFileSync(path.join(electron.paths.user, wrappedKeyFileName), Buffer.from(key).reverse()),
  );
});

afterAll(() => {
  stopMainProcess();
  useBaseKey(undefined);
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
