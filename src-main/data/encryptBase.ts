import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { listBackups } from './backups.ts';
import type { BaseKey } from './baseKey.ts';
import { baseInUse, ClientBaseError, openDatabaseFile } from './clientBase.ts';
import { syncFile, syncFolder } from '../runtime/durableFiles.ts';

/**
 * Encrypts one SQLite file in place with `to`, from unencrypted (`from` null) or from another key, atomically: a
 * copy beside it is re-encrypted, checked with the new key, then renamed over the original.
 */
function encryptFile(file: string, from: BaseKey | null, to: BaseKey): void {
  if (baseInUse(file, { key: from })) {
    throw new ClientBaseError(`${file} is in use by another program (its -wal file exists): close it first`);
  }
  const tmpPath = `${file}.encrypt-${process.pid}.tmp`;
  copyFileSync(file, tmpPath);
  try {
    const db = openDatabaseFile(tmpPath, { key: from });
    try {
      // SQLite3 Multiple Ciphers rewrites every page through the rollback journal; it cannot in WAL mode.
      db.pragma('journal_mode = DELETE');
      db.pragma(`cipher = 'sqlcipher'`);
      db.pragma('legacy = 4');
      db.rekey(Buffer.from(`x'${to}'`));
    } finally {
      db.close();
    }
    const check = openDatabaseFile(tmpPath, { key: to, readonly: true });
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok')
        throw new ClientBaseError(`${file}: the re-encrypted copy failed its check: ${result}`);
    } finally {
      check.close();
    }
    syncFile(tmpPath);
    renameSync(tmpPath, file);
  } catch (error) {
    rmSync(tmpPath, { force: true });
    throw error;
  }
  syncFolder(dirname(file));
}

function isEncryptedWith(file: string, key: BaseKey): boolean {
  try {
    openDatabaseFile(file, { key, readonly: true }).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Encrypts an unencrypted client base and its backups with `key`; returns the files it encrypted (those already
 * encrypted with the key are left as they are). The old unencrypted bytes may survive in free disk blocks: only
 * full-disk encryption covers those.
 */
export function encryptClientBase(dbPath: string, key: BaseKey): string[] {
  if (!existsSync(dbPath)) throw new ClientBaseError(`client base not found: ${dbPath}`);
  const files = [dbPath, ...listBackups(dbPath).map((b) => b.path)];
  const encrypted: string[] = [];
  for (const file of files) {
    if (isEncryptedWith(file, key)) continue;
    encryptFile(file, null, key);
    encrypted.push(file);
  }
  return encrypted;
}

/**
 * Changes the key of an encrypted client base and of its backups from `from` to `to` (a key thought exposed, a
 * routine rotation); returns the files it re-encrypted. Files already under `to` are left as they are, so an
 * interrupted rotation is finished by running it again. A file `from` does not open is refused, naming it, before
 * anything changes.
 */
export function rekeyClientBase(dbPath: string, from: BaseKey, to: BaseKey): string[] {
  if (!existsSync(dbPath)) throw new ClientBaseError(`client base not found: ${dbPath}`);
  const files = [dbPath, ...listBackups(dbPath).map((b) => b.path)].filter(
    (file) => !isEncryptedWith(file, to),
  );
  for (const file of files) {
    if (!isEncryptedWith(file, from)) {
      throw new ClientBaseError(`${file} does not open with the current key: nothing was changed`);
    }
  }
  for (const file of files) encryptFile(file, from, to);
  return files;
}
