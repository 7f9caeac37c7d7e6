import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type BaseKey, baseKeyFromEnvironment, generateBaseKey, parseBaseKey } from '../data/baseKey.ts';
import { writeFileAtomic } from '../runtime/durableFiles.ts';

/** What this module needs of Electron's `safeStorage`; kept free of Electron so it is tested under plain Node. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store wraps the key. */
  getSelectedStorageBackend?(): string;
}

export class KeyStoreError extends Error {
  override name = 'KeyStoreError';
}

/** The client base key, wrapped by the operating system's key store, in the app's userData folder. */
export const wrappedKeyFileName = 'client-base.key';

function checkKeyStore(safeStorage: SafeStorageLike, platform: NodeJS.Platform): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new KeyStoreError(
      'the operating system offers no key store to protect the client base key (on Linux: install and unlock GNOME Keyring or KWallet)',
    );
  }
  // Without a keyring, Electron on Linux "encrypts" with a password written in its own source code.
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    throw new KeyStoreError(
      'no keyring is running (GNOME Keyring or KWallet): the client base key would be stored in clear; start one, or give the key with SCORING_DESK_KEY_FILE',
    );
  }
}

/**
 * The key kept by the operating system for this user (Keychain, DPAPI, the Secret Service): unwrapped from
 * userData, or made and wrapped there on first start. The wrapped file is useless on another account or machine.
 */
export function loadOrCreateWrappedKey(
  safeStorage: SafeStorageLike,
  userDataPath: string,
  platform: NodeJS.Platform = process.platform,
): BaseKey {
  checkKeyStore(safeStorage, platform);
  const file = path.join(userDataPath, wrappedKeyFileName);
  if (existsSync(file)) {
    let text: string;
    try {
      text = safeStorage.decryptString(readFileSync(file));
    } catch (error) {
      throw new KeyStoreError(
        `cannot unwrap the client base key ${file} (made by another user account or machine?): ${(error as Error).message}`,
      );
    }
    return parseBaseKey(text, `the unwrapped key ${file}`);
  }
  const key = generateBaseKey();
  writeFileAtomic(file, safeStorage.encryptString(key), 0o600);
  return key;
}

export interface AppKeyContext {
  env: Record<string, string | undefined>;
  /** `app.isPackaged`. */
  packaged: boolean;
  /** `app.getPath('userData')`. */
  userDataPath: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
}

/**
 * The key the app opens client bases with. A key given by the environment wins (an administrator's choice, as
 * for the server). An installed app otherwise always encrypts, with the key store's key. In development (`npm
 * start`) there is none unless given, as for the CLI that made the demo base.
 */
export function appBaseKey(context: AppKeyContext): BaseKey | undefined {
  const fromEnv = baseKeyFromEnvironment(context.env);
  if (fromEnv || !context.packaged) return fromEnv;
  return loadOrCreateWrappedKey(context.safeStorage, context.userDataPath, context.platform);
}
