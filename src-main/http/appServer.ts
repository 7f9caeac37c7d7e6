import type { Server } from 'node:http';
import packageJson from '../../package.json' with { type: 'json' };
import { createServices, type Services } from '../services/index.ts';
import { createHttpServer, isLoopback, listen } from './server.ts';

/**
 * `scoring-desk serve` and the browser fallback of `npm start`: the services over a client base and a model
 * folder, behind the HTTP server. Refuses a non-local bind without `allowRemote` and a token.
 */

export interface AppServerOptions {
  dbPath: string;
  modelDir: string;
  /** The lender details file (default: data/lender/lender.json). */
  lenderFile?: string;
  host: string;
  port: number;
  staticDir?: string;
  allowRemote?: boolean;
  token?: string;
  log?: (message: string) => void;
}

export interface AppServer {
  url: string;
  server: Server;
  services: Services;
  close(): Promise<void>;
}

export class ServeError extends Error {
  override name = 'ServeError';
}

/** An access token must be long enough not to be guessed: 32 characters (e.g. `openssl rand -hex 16`). */
export const MIN_TOKEN_LENGTH = 32;

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const log = options.log ?? ((message: string) => console.info(message));
  if (!isLoopback(options.host)) {
    if (!options.allowRemote) {
      throw new ServeError(
        `--host ${options.host} would open the client base to the network: add --allow-remote (and an access token) to mean it`,
      );
    }
    if (!options.token || options.token.length < MIN_TOKEN_LENGTH) {
      throw new ServeError(
        `a non-local server needs an access token of at least ${MIN_TOKEN_LENGTH} characters (--token-file or SCORING_DESK_API_TOKEN)`,
      );
    }
  }
  const services = await createServices({
    dbPath: options.dbPath,
    modelDir: options.modelDir,
    lenderFile: options.lenderFile,
    onWarning: log,
  });
  try {
    log('Preparing the name search and the comparison data (past clients’ features)…');
    services.warmUp();
  } catch (error) {
    log(`Comparisons will not be available: ${(error as Error).message}`);
  }
  const server = createHttpServer({
    handlers: services.handlers,
    version: packageJson.version,
    staticDir: options.staticDir,
    token: options.token,
    anyHost: !isLoopback(options.host),
    onInternalError: (error) => console.error('scoring-desk serve: internal error:', error),
    log,
  });
  let address: { url: string };
  try {
    address = await listen(server, options.port, options.host);
  } catch (error) {
    await services.close();
    throw new ServeError(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
  }
  return {
    url: address.url,
    server,
    services,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold close() open until they time out.
      server.closeAllConnections();
      await closed;
      await services.close();
    },
  };
}
