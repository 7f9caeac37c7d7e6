import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  configuredBaseKey,
  generateBaseKey,
  keyEnvVar,
  keyFileEnvVar,
  readBaseKeyFile,
  useBaseKey,
} from '../../data/baseKey.ts';
import { encryptClientBase, rekeyClientBase } from '../../data/encryptBase.ts';

/**
 * The key of encrypted client bases: `--key-file` on any command (before or after its name), `new-key` to make
 * one, `encrypt` to encrypt an existing base with it, `rekey` to change it.
 */
export function registerKeyCommands(program: Command): void {
  program
    .option(
      '--key-file <file>',
      `the key of the client base (default: the ${keyEnvVar} or ${keyFileEnvVar} environment variable; none: unencrypted)`,
    )
    .hook('preAction', (command) => {
      const { keyFile } = command.opts<{ keyFile?: string }>();
      if (keyFile) useBaseKey(readBaseKeyFile(keyFile));
    });

  program
    .command('new-key')
    .description(
      'write a new random client base key (256 bits, 64 hexadecimal digits) to a file only you can read',
    )
    .requiredOption('--out <file>', 'the key file to create (an existing file is never overwritten)')
    .action((options: { out: string }) => {
      try {
        writeFileSync(options.out, `${generateBaseKey()}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw new Error(`cannot create the key file ${options.out}: ${(error as Error).message}`);
      }
      process.stdout.write(
        `Wrote a new key to ${options.out}. Keep a copy in a safe place: a base encrypted with it cannot be read without it.\n`,
      );
    });

  program
    .command('encrypt')
    .description('encrypt an unencrypted client base, and its backups, with the configured key')
    .requiredOption('--db <file>', 'the client base (SQLite file)')
    .action((options: { db: string }) => {
      const key = configuredBaseKey();
      if (!key) throw new Error(`no key configured: give --key-file, ${keyEnvVar} or ${keyFileEnvVar}`);
      const files = encryptClientBase(options.db, key);
      process.stdout.write(
        files.length > 0
          ? `Encrypted ${files.join(', ')}\n`
          : `${options.db} and its backups were already encrypted with this key\n`,
      );
    });

  program
    .command('rekey')
    .description(
      'give an encrypted client base, and its backups, a new key (the current one: --key-file or the environment)',
    )
    .requiredOption('--db <file>', 'the client base (SQLite file)')
    .requiredOption('--new-key-file <file>', 'the new key (made with new-key)')
    .action((options: { db: string; newKeyFile: string }) => {
      const from = configuredBaseKey();
      if (!from)
        throw new Error(`no current key configured: give --key-file, ${keyEnvVar} or ${keyFileEnvVar}`);
      const to = readBaseKeyFile(options.newKeyFile);
      const files = rekeyClientBase(options.db, from, to);
      process.stdout.write(
        files.length > 0
          ? `Re-encrypted with the new key: ${files.join(', ')}. From now on give ${options.newKeyFile} as the key.\n`
          : `${options.db} and its backups already use the new key\n`,
      );
    });
}
