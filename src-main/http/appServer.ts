import { readFileSync, statSync } from 'node:fs';
import packageJson from '../../package.json' with { type: 'json' };
import { createServices, type Services } from '../services/index.ts';
import { createHttpServer, isLoopback, listen, type HttpServer } from './server.ts';

/**
 * `scoring-desk serve` and the browser fallback of `npm start`: the services over a client base and a model
 * folder, behind the HTTP server. Refuses a non-local bind without `allowRemote`, a token and TLS.
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
  /** PEM files of the certificate (its chain after it) and its private key: HTTPS, required beyond the loopback. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  log?: (message: string) => void;
}

export interface AppServer {
  url: string;
  server: HttpServer;
  services: Services;
  close(): Promise<void>;
}

export class ServeError extends Error {
  override name = 'ServeError';
}

/** An access token must be long enough not to be guessed: 32 characters (e.g. `openssl rand -hex 16`). */
export const MIN_TOKEN_LENGTH = 32;

/** The certificate and key, read before anything else starts; a key others can read is refused. */
function readTls(options: AppServerOptions): { cert: Buffer; key: Buffer } | undefined {
  const { tlsCertFile, tlsKeyFile } = options;
  if (tlsCertFile === undefined && tlsKeyFile === undefined) return undefined;
  if (tlsCertFile === undefined || tlsKeyFile === undefined) {
    throw new ServeError('HTTPS needs both --tls-cert <file> and --tls-key <file>');
  }
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ServeError(`${flag} ${file}: ${(error as Error).message}`);
    }
  };
  const [cert, key] = [read(tlsCertFile, '--tls-cert'), read(tlsKeyFile, '--tls-key')];
  if ((statSync(tlsKeyFile).mode & 0o077) !== 0) {
    throw new ServeError(
      `--tls-key ${tlsKeyFile}: the private key is readable by other users; make it private: chmod 600 ${tlsKeyFile}`,
    );
  }
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ServeError(`--tls-cert ${tlsCertFile}: not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(key.toString('latin1'))) {
    throw new ServeError(`--tls-key ${tlsKeyFile}: not a PEM private key (-----BEGIN PRIVATE KEY-----)`);
  }
  return { cert, key };
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const log = options.log ?? ((message: string) => console.info(message));
  const tls = readTls(options);
  if (!isLoopback(options.host)) {
    if (!options.allowRemote) {
      throw new ServeError(
        `--host ${options.host} would open the client base to the network: add --allow-remote (with an access token, --tls-cert and --tls-key) to mean it`,
      );
    }
    if (!options.token || options.token.length < MIN_TOKEN_LENGTH) {
      throw new ServeError(
        `a non-local server needs an access token of at least ${MIN_TOKEN_LENGTH} characters (--token-file or SCORING_DESK_API_TOKEN)`,
      );
    }
    if (!tls) {
      throw new ServeError(
        'a non-local server speaks HTTPS only, so that the token never crosses the network in clear: give its certificate and key with --tls-cert <file> --tls-key <file> (PEM; see README, "Serving beyond this machine")',
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
    tls,
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
