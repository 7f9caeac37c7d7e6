import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServeError, startAppServer, type AppServerOptions } from '../../../src-main/http/appServer.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { apiFixture, type ApiFixture } from '../services/support/apiFixture.ts';

/** A non-local server speaks HTTPS only: tested with a self-signed certificate made here for 127.0.0.1. */

let fixture: ApiFixture;
let cert: string;
let key: string;
const token = 'f'.repeat(48);

beforeAll(async () => {
  fixture = await apiFixture();
  cert = join(fixture.dir, 'server.crt');
  key = join(fixture.dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
});

const base = (): AppServerOptions => ({
  dbPath: fixture.dbPath,
  modelDir: fixture.modelDir,
  host: '0.0.0.0',
  port: 0,
  allowRemote: true,
  token,
  log: () => {},
});

function call(
  port: number,
  headers: Record<string, string>,
  ca?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: '127.0.0.1', port, path: '/api/getStatus', method: 'POST', headers, ca },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

describe('beyond the loopback, HTTPS only', () => {
  it('refuses to start remote without a certificate and key, naming the flags', async () => {
    await expect(startAppServer(base())).rejects.toThrow(/--tls-cert <file> --tls-key <file>/);
    await expect(startAppServer({ ...base(), tlsCertFile: cert })).rejects.toThrow(
      /both --tls-cert <file> and --tls-key <file>/,
    );
    await expect(
      startAppServer({ ...base(), tlsCertFile: join(fixture.dir, 'none.crt'), tlsKeyFile: key }),
    ).rejects.toThrow(/--tls-cert .*none\.crt: ENOENT/);
    await expect(startAppServer({ ...base(), tlsCertFile: key, tlsKeyFile: key })).rejects.toThrow(
      /not a PEM certificate/,
    );
  });

  it('refuses a private key other users can read', async () => {
    const open = join(fixture.dir, 'open.key');
    writeFileSync(open, readFileSync(key));
    chmodSync(open, 0o644);
    await expect(startAppServer({ ...base(), tlsCertFile: cert, tlsKeyFile: open })).rejects.toThrow(
      ServeError,
    );
    await expect(startAppServer({ ...base(), tlsCertFile: cert, tlsKeyFile: open })).rejects.toThrow(
      /chmod 600/,
    );
  });

  it('serves HTTPS with the certificate given, the token still required, and never plain HTTP', async () => {
    const app = await startAppServer({ ...base(), tlsCertFile: cert, tlsKeyFile: key });
    try {
      expect(app.url).toMatch(/^https:\/\//);
      const port = Number(new URL(app.url).port);
      const ca = readFileSync(cert, 'utf8');
      const own = { ...API_HEADERS, Origin: `https://127.0.0.1:${port}` };
      const answered = await call(port, { ...own, Authorization: `Bearer ${token}` }, ca);
      expect(answered.status, answered.body).toBe(200);
      expect((await call(port, own, ca)).status).toBe(401);
      // The page's origin is https://…: the same page over http would be another origin.
      const plainOrigin = {
        ...API_HEADERS,
        Origin: `http://127.0.0.1:${port}`,
        Authorization: `Bearer ${token}`,
      };
      expect((await call(port, plainOrigin, ca)).status).toBe(403);
      // A client that does not trust the certificate does not talk to it.
      await expect(call(port, own)).rejects.toThrow(/self-signed|self signed/);
      // Plain HTTP on the same port gets no answer from the API.
      const plain = await new Promise<number | string>((resolve) => {
        const request = httpRequest(
          { host: '127.0.0.1', port, path: '/api/getStatus', method: 'POST', headers: API_HEADERS },
          (response) => resolve(response.statusCode!),
        );
        request.on('error', (error) => resolve(error.message));
        request.end('{}');
      });
      expect(plain).not.toBe(200);
      // The cookie set from ?token= travels only over HTTPS.
      const login = await new Promise<string | undefined>((resolve, reject) => {
        const request = httpsRequest(
          { host: '127.0.0.1', port, path: `/?token=${token}`, ca },
          (response) => {
            response.resume();
            resolve(response.headers['set-cookie']?.[0]);
          },
        );
        request.on('error', reject);
        request.end();
      });
      expect(login).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Secure$/);
    } finally {
      await app.close();
    }
  });
});
