import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureDemoBase } from '../../demo/demoBase.ts';
import { clientBaseEnvVar, demoClientBase } from '../../electron/clientBasePath.ts';
import { startAppServer } from '../../http/appServer.ts';
import { lenderEnvVar } from '../../services/lenderDetails.ts';
import { demoProgress } from '../demoProgress.ts';
import { wholeNumber } from '../numberOptions.ts';

/** Where the repository's own folders are: the demo base, models/ and the built renderer. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
export const TOKEN_ENV_VAR = 'SCORING_DESK_API_TOKEN';

interface ServeOptions {
  db?: string;
  model: string;
  port: number;
  host: string;
  allowRemote?: boolean;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  static: string;
  lender?: string;
}

function readToken(options: ServeOptions): string | undefined {
  if (options.tokenFile) return readFileSync(options.tokenFile, 'utf8').trim();
  return process.env[TOKEN_ENV_VAR]?.trim() || undefined;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the app to a browser and the JSON API (/api/<method>, /api/openapi.json) on localhost',
    )
    .option(
      '--db <file>',
      `the client base (default: $${clientBaseEnvVar}, else the demo base, built on first use)`,
    )
    .option('--model <dir>', 'the model folder', `${root}models`)
    .option('--port <n>', 'TCP port (0: any free one)', wholeNumber('--port', 0, 65535), 8080)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option(
      '--allow-remote',
      'allow a --host other than the loopback (then an access token, --tls-cert and --tls-key are required)',
    )
    .option('--token-file <file>', `access token for /api (default: $${TOKEN_ENV_VAR})`)
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM, its chain after it)')
    .option('--tls-key <file>', "the certificate's private key (PEM, readable by its owner only)")
    .option('--static <dir>', 'the built renderer', `${root}dist/renderer`)
    .option(
      '--lender <file>',
      `the lender's details printed on the client's sheet, as JSON (default: $${lenderEnvVar}, else data/lender/lender.json)`,
    )
    .addHelpText(
      'after',
      `
Every API method is a POST of its input as JSON to /api/<method>; errors come back with a 4xx or 5xx status and
{ "error": { "code", "message" } }. The server stops on Ctrl+C.`,
    )
    .action(async (options: ServeOptions) => {
      let dbPath = options.db ?? process.env[clientBaseEnvVar];
      if (!dbPath) {
        dbPath = `${root}${demoClientBase}`;
        const progress = demoProgress();
        const built = await ensureDemoBase({
          dbPath,
          modelDir: options.model,
          onProgress: progress.onProgress,
        });
        progress.stop();
        if (built.created) {
          process.stderr.write(
            `Demo client base built in ${(built.elapsedMs / 1000).toFixed(1)} s: ${dbPath}\n`,
          );
        }
      }
      const app = await startAppServer({
        dbPath,
        modelDir: options.model,
        lenderFile: options.lender ?? (process.env[lenderEnvVar] || undefined),
        host: options.host,
        port: options.port,
        staticDir: options.static,
        allowRemote: options.allowRemote,
        token: readToken(options),
        tlsCertFile: options.tlsCert,
        tlsKeyFile: options.tlsKey,
        log: (message) => process.stderr.write(`${message}\n`),
      });
      process.stdout.write(
        `Scoring Desk serves ${dbPath} on ${app.url}/ (API: ${app.url}/api/openapi.json)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await app.close();
    });
}
