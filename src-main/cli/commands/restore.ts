import type { Command } from 'commander';
import { KEPT_BACKUPS, backupFolder, listBackups, restoreBackup } from '../../data/backups.ts';

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description(
      `put back a backup of the client base (each import keeps the previous base; the last ${KEPT_BACKUPS})`,
    )
    .requiredOption('--db <file>', 'the client base (SQLite file)')
    .option('--backup <file>', 'the backup to restore (default: the newest)')
    .option('--list', 'list the backups, newest first, and restore nothing')
    .option('--force', 'restore even if the base holds decisions recorded after the backup')
    .addHelpText(
      'after',
      `
Backups are in the backups/ folder beside the base. The base being replaced becomes the newest backup, so a
restore can be undone by restoring again.`,
    )
    .action((options: { db: string; backup?: string; list?: boolean; force?: boolean }) => {
      if (options.list) {
        const backups = listBackups(options.db);
        if (backups.length === 0) {
          process.stdout.write(`No backup of ${options.db} in ${backupFolder(options.db)}\n`);
          return;
        }
        for (const backup of backups) {
          const mib = (backup.bytes / 2 ** 20).toFixed(1);
          process.stdout.write(`${backup.takenAt.toISOString()}  ${mib.padStart(9)} MiB  ${backup.path}\n`);
        }
        return;
      }
      const result = restoreBackup(options.db, { backup: options.backup, force: options.force });
      process.stdout.write(`Restored ${options.db} from ${result.restored}\n`);
      if (result.savedAs) process.stdout.write(`The base it replaced is kept as ${result.savedAs}\n`);
    });
}
