import type { Command } from 'commander';
import { registerScoreCommand } from './score.ts';
import { registerTrainCommand } from './train.ts';

/** The model's commands: `train` (a model folder from a client base) and `score` (a base with a model). */
export function registerModelCommands(program: Command): void {
  registerTrainCommand(program);
  registerScoreCommand(program);
}
