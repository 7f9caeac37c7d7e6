import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBaseKey } from '../../../src-main/data/baseKey.ts';
import {
  KeyStoreError,
  type SafeStorageLike,
  appBaseKey,
  loadOrCreateWrappedKey,
  wrappedKeyFileName,
} from '../../../src-main/electron/baseKeyStore.ts';

/** A stand-in for Electron's safeStorage: AES-GCM under a secret of its own, like one user account's keyring. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const secret = randomBytes(32);
  return {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', secret, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-keystore-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the key kept by the operating system', () => {
  it('is made on first start, stored wrapped (never in clear), and the same at the next start', () => {
    const userData = mkdtempSync(join(work, 'user-'));
    const store = fakeSafeStorage();
    const key = loadOrCreateWrappedKey(store, userData, 'linux');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const file = join(userData, wrappedKeyFileName);
    expect(readFileSync(file).includes(key)).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(userData)).toEqual([wrappedKeyFileName]);
    expect(loadOrCreateWrappedKey(store, userData, 'linux')).toBe(key);
  });

  it('cannot be unwrapped by another account or machine, which is told so', () => {
    const userData = mkdtempSync(join(work, 'user-'));
    loadOrCreateWrappedKey(fakeSafeStorage(), userData, 'darwin');
    expect(() => loadOrCreateWrappedKey(fakeSafeStorage(), userData, 'darwin')).toThrow(
      /cannot unwrap the client base key .*client-base\.key \(made by another user account or machine\?\)/,
    );
  });

  it('is refused when the operating system has no key store, or only Linux clear-text fallback', () => {
    const userData = mkdtempSync(join(work, 'user-'));
    expect(() => loadOrCreateWrappedKey(fakeSafeStorage({ available: false }), userData, 'win32')).toThrow(
      KeyStoreError,
    );
    expect(() =>
      loadOrCreateWrappedKey(fakeSafeStorage({ backend: 'basic_text' }), userData, 'linux'),
    ).toThrow(/no keyring is running/);
    expect(readdirSync(userData)).toEqual([]);
  });

  it('refuses a wrapped file that does not hold a key', () => {
    const userData = mkdtempSync(join(work, 'user-'));
    const store = fakeSafeStorage();
    writeFileSync(join(userData, wrappedKeyFileName), store.encryptString('not a key'));
    expect(() => loadOrCreateWrappedKey(store, userData, 'linux')).toThrow(/does not hold a client base key/);
  });
});

describe('the key of the app', () => {
  it("is the environment's when given, else the key store's once packaged, else none in development", () => {
    const userData = mkdtempSync(join(work, 'user-'));
    const safeStorage = fakeSafeStorage();
    const given = generateBaseKey();
    const base = { userDataPath: userData, safeStorage, platform: 'linux' as const };
    expect(appBaseKey({ ...base, env: { SCORING_DESK_KEY: given }, packaged: true })).toBe(given);
    expect(readdirSync(userData)).toEqual([]);
    expect(appBaseKey({ ...base, env: {}, packaged: false })).toBeUndefined();
    const stored = appBaseKey({ ...base, env: {}, packaged: true });
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(appBaseKey({ ...base, env: {}, packaged: true })).toBe(stored);
  });
});
