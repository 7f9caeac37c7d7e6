import type { Command } from 'commander';

export function registerImportCommand(program: Command): void {
  program.command('import').description('import Kaggle CSV files into a client base (in progress)');
}
