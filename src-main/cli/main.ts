import { Command, CommanderError } from 'commander';
import { registerDemoDataCommand } from './commands/demoData.ts';
import { registerExplainCommand } from './commands/explain.ts';
import { registerFeaturesCommand } from './commands/features.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerModelCommands } from './commands/modelCommands.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerRestoreCommand } from './commands/restore.ts';
import { registerServeCommand } from './commands/serve.ts';

/** Builds the `scoring-desk` program; each subcommand lives in its own module under `commands/`. */
export function buildProgram(): Command {
  const program = new Command('scoring-desk')
    .description(
      'Scoring Desk: the data-science side (demo data, import, features, train, score, explain, serve)',
    )
    .showHelpAfterError()
    .exitOverride();
  registerDemoDataCommand(program);
  registerImportCommand(program);
  registerFeaturesCommand(program);
  registerModelCommands(program);
  registerExplainCommand(program);
  registerRestoreCommand(program);
  registerServeCommand(program);
  registerKeyCommands(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns the process exit code: 0 on success, 1 on a failure, 2 on a usage error. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`scoring-desk: ${(error as Error).message}\n`);
    if (process.env.SCORING_DESK_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
