import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ApiError, ApiHandlers } from '../api/contract.ts';
import { dispatch, isApiMethod } from '../api/dispatch.ts';
import { statusOfError } from './errorStatus.ts';
import { openApiDocument } from './openApi.ts';
import { callRefusal, crossSiteRefusal } from './requestChecks.ts';
import { StaticFiles } from './staticFiles.ts';

/**
 * The HTTP transport: `POST /api/<method>` for every method of the contract (the route table is the contract's
 * method list, nothing per method here), `GET /api/openapi.json`, and the built renderer for a browser.
 *
 * Plain node:http rather than a framework: one generic route, a static folder and a few headers are all it
 * needs, and every dependency left out is one less in the installer and in `npm audit` (issue 8).
 *
 * Bound to the loopback interface by default, where it also refuses requests whose Host header names another
 * host (a web page cannot reach it through DNS rebinding). A non-local bind needs an access token and TLS
 * (the token never crosses a branch network in clear): requests to /api then carry
 * `Authorization: Bearer <token>`, or the cookie set by opening the page once with `?token=`.
 */

/** Largest request body: the largest input the contract takes is under 10 KB; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;
const TOKEN_COOKIE = 'scoring_desk_token';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface HttpServerOptions {
  handlers: ApiHandlers;
  version: string;
  /** The built renderer (dist/renderer); the API works without it. */
  staticDir?: string;
  /** When set, every /api request must present it (required for a non-local bind). */
  token?: string;
  /** Accept any Host header (a non-local bind, behind the token). Default false: loopback names only. */
  anyHost?: boolean;
  /** Where unexpected errors go (the server's log); their details never reach the client. */
  onInternalError?: (error: unknown) => void;
  /** The server's log, for what is not an error of the server (a request the client gave up). */
  log?: (message: string) => void;
  /** Serve HTTPS with this certificate (PEM, the chain after it) and key (PEM): required beyond the loopback. */
  tls?: { cert: Buffer; key: Buffer };
}

/** The server as either transport makes it: plain HTTP on the loopback, HTTPS beyond. */
export type HttpServer = Server | TlsServer;

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
}

function sendError(
  response: ServerResponse,
  status: number,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  sendJson(response, status, { error });
}

class BodyTooLarge extends Error {}

/** The client closed the connection before the end of its request's body. */
class RequestAborted extends Error {
  constructor(readonly bytes: number) {
    super('aborted');
  }
}

/** Past this, a body is not even read to the end: the connection is cut. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // A body a little too large is read to its end (and dropped), so the client gets its 413 answer.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        reject(new BodyTooLarge());
        request.destroy();
      }
    });
    request.on('end', () =>
      size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks)),
    );
    // An abort emits 'error' then 'close'; the promise settles on the first, so it is reported once.
    request.on('error', () => reject(new RequestAborted(size)));
    request.on('close', () => {
      if (!request.complete) reject(new RequestAborted(size));
    });
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const onInternalError = options.onInternalError ?? ((error) => console.error(error));
  const log = options.log ?? ((message: string) => console.info(message));
  const files = options.staticDir ? new StaticFiles(options.staticDir) : undefined;
  let openApi: string | undefined;

  const authorised = (request: IncomingMessage): boolean => {
    if (!options.token) return true;
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const given = bearer ?? cookieToken(request);
    return given !== undefined && sameSecret(given, options.token);
  };

  async function handleApi(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const crossSite = crossSiteRefusal(request, options.tls !== undefined);
    if (crossSite) {
      sendError(response, crossSite.status, crossSite.error);
      return;
    }
    if (!authorised(request)) {
      sendError(
        response,
        401,
        {
          code: 'invalid_request',
          message: 'this server needs an access token: Authorization: Bearer <token>',
        },
        { 'WWW-Authenticate': 'Bearer' },
      );
      return;
    }
    const method = path.slice('/api/'.length);
    if (method === 'openapi.json' && (request.method === 'GET' || request.method === 'HEAD')) {
      openApi ??= JSON.stringify(openApiDocument(options.version));
      send(response, 200, openApi, { 'Content-Type': 'application/json; charset=utf-8' });
      return;
    }
    if (!isApiMethod(method)) {
      sendError(response, 404, { code: 'not_found', message: `no API method named ${method.slice(0, 100)}` });
      return;
    }
    if (request.method !== 'POST') {
      sendError(
        response,
        405,
        { code: 'invalid_request', message: `${method} is called with POST and its input as a JSON body` },
        { Allow: 'POST' },
      );
      return;
    }
    const refusal = callRefusal(request, method);
    if (refusal) {
      sendError(response, refusal.status, refusal.error);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(
          response,
          413,
          {
            code: 'invalid_request',
            message: `the body of ${method} is larger than ${MAX_BODY_BYTES / 1024} KB; the API's inputs are a few hundred bytes`,
          },
          { Connection: 'close' },
        );
        return;
      }
      if (error instanceof RequestAborted) {
        log(`request aborted by the client: POST /api/${method} after ${error.bytes} bytes of its body`);
        return;
      }
      throw error;
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch (error) {
        sendError(response, 400, {
          code: 'invalid_request',
          message: `the body of ${method} is not valid JSON: ${(error as Error).message}`,
        });
        return;
      }
    }
    const result = await dispatch(options.handlers, method, input, onInternalError);
    if (result.ok) sendJson(response, 200, result.value);
    else sendError(response, statusOfError(result.error.code), result.error);
  }

  function handleStatic(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      return;
    }
    const token = url.searchParams.get('token');
    if (token !== null && options.token && sameSecret(token, options.token)) {
      // Once given in the address, the token lives in a cookie the page's own requests carry, not in the URL.
      const secure = options.tls ? '; Secure' : '';
      response.setHeader(
        'Set-Cookie',
        `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/${secure}`,
      );
      send(response, 303, '', { Location: '/' });
      return;
    }
    const file = files?.read(url.pathname);
    if (!file) {
      const hint =
        files?.available === false ? ' (the renderer is not built: run npm run build:renderer)' : '';
      send(response, 404, `Not found${hint}\n`, { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (files?.contentSecurityPolicy && file.contentType.startsWith('text/html')) {
      headers['Content-Security-Policy'] = files.contentSecurityPolicy;
    }
    send(response, 200, request.method === 'HEAD' ? Buffer.alloc(0) : file.body, headers);
  }

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const host = hostName(request.headers.host);
    if (!options.anyHost && (host === undefined || !LOOPBACK_HOSTS.has(host))) {
      sendError(response, 421, {
        code: 'invalid_request',
        message: 'this server answers on localhost only (the Host header names another host)',
      });
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      sendError(response, 400, { code: 'invalid_request', message: 'the request URL cannot be parsed' });
      return;
    }
    const work = url.pathname.startsWith('/api/')
      ? handleApi(request, response, url.pathname)
      : Promise.resolve(handleStatic(request, response, url));
    work.catch((error: unknown) => {
      onInternalError(error);
      if (!response.headersSent) {
        sendError(response, 500, {
          code: 'internal',
          message: 'an internal error occurred; the details are in the server log',
        });
      } else {
        response.destroy();
      }
    });
  };
  return options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, handle)
    : createServer(handle);
}

/** Starts listening; resolves with the address actually bound (port 0 picks a free one). */
export function listen(
  server: HttpServer,
  port: number,
  host: string,
): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const scheme = server instanceof TlsServer ? 'https' : 'http';
      resolve({ url: `${scheme}://${shown}:${address.port}`, port: address.port });
    });
  });
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
