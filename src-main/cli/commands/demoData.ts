import type { Command } from 'commander';

export function registerDemoDataCommand(program: Command): void {
  program.command('demo-data').description('write a realistic Kaggle-shaped demo data set (in progress)');
}
