import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/**
 * The key that encrypts client bases: 256 random bits written as 64 hexadecimal digits. A raw key rather than a
 * passphrase, because SQLCipher derives a passphrase with 256,000 PBKDF2 rounds on every connection (~0.4 s here),
 * and the features and scoring runs open one connection per worker; a machine-made key needs no stretching.
 */
export type BaseKey = string;

/** The key itself, for servers and scripts that receive it from a secret store. */
export const keyEnvVar = 'SCORING_DESK_KEY';
/** A file holding the key, readable by its owner only. */
export const keyFileEnvVar = 'SCORING_DESK_KEY_FILE';

export class BaseKeyError extends Error {
  override name = 'BaseKeyError';
}

export function generateBaseKey(): BaseKey {
  return randomBytes(32).toString('hex');
}

/** Checks the text of a key; `origin` names where it came from, never the key itself. */
export function parseBaseKey(text: string, origin: string): BaseKey {
  const key = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(key)) {
    throw new BaseKeyError(
      `${origin} does not hold a client base key: expected 64 hexadecimal digits (make one with \`scoring-desk new-key --out <file>\`)`,
    );
  }
  return key;
}

/** Reads a key file, refusing one that other users of the machine can read (as ssh does with its keys). */
export function readBaseKeyFile(file: string): BaseKey {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      throw new BaseKeyError(
        `key file ${file} is readable by other users: restrict it with \`chmod 600 ${file}\``,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof BaseKeyError) throw error;
    throw new BaseKeyError(`cannot read the key file ${file}: ${(error as Error).message}`);
  }
  return parseBaseKey(text, `key file ${file}`);
}

/** The key the environment gives, if any: the key itself first, else a key file. */
export function baseKeyFromEnvironment(env: Record<string, string | undefined>): BaseKey | undefined {
  const direct = env[keyEnvVar];
  if (direct) return parseBaseKey(direct, `the ${keyEnvVar} environment variable`);
  const file = env[keyFileEnvVar];
  return file ? readBaseKeyFile(file) : undefined;
}

let processKey: BaseKey | undefined;

/**
 * Sets the key of every client base this process opens from now on (the app, once the operating system's key
 * store has unwrapped it). Without it, the environment decides.
 */
export function useBaseKey(key: BaseKey | undefined): void {
  processKey = key === undefined ? undefined : parseBaseKey(key, 'the key given to useBaseKey');
}

/** The key this process opens client bases with; undefined means unencrypted bases (development, tests). */
export function configuredBaseKey(): BaseKey | undefined {
  return processKey ?? baseKeyFromEnvironment(process.env);
}
