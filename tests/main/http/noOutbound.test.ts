import dns from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../../src-main/http/appServer.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { apiFixture } from '../services/support/apiFixture.ts';

/**
 * The app works offline: during a whole API session (start, search, client file, score, explanation,
 * comparison, what-if with counterfactuals, model information, decision, print, export), the process opens no
 * connection and resolves no name but the loopback's. Every TCP connection in Node goes through
 * net.Socket#connect (fetch and http included), and every name through dns.lookup: both are watched.
 */

const connections: string[] = [];
const lookups: string[] = [];
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;
let app: AppServer;

function destination(args: unknown[]): string {
  const [first, second] = args;
  // net.connect hands Socket#connect its arguments already normalised, as one array.
  if (Array.isArray(first)) return destination(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string | null; port?: number | string };
    return options.path != null ? `unix:${options.path}` : `${options.host ?? 'localhost'}:${options.port}`;
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return `unix:${first}`;
  return `${typeof second === 'string' ? second : 'localhost'}:${String(first)}`;
}

beforeAll(async () => {
  const fixture = await apiFixture();
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    connections.push(destination(args));
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    lookups.push(hostname);
    return (originalLookup as (...a: unknown[]) => void)(hostname, ...rest);
  }) as typeof dns.lookup;
  app = await startAppServer({
    dbPath: fixture.dbPath,
    modelDir: fixture.modelDir,
    host: '127.0.0.1',
    port: 0,
    log: () => {},
  });
  await app.services.handlers.setDesk({ manager: { name: 'Test Manager', branch: null } });
});

afterAll(async () => {
  net.Socket.prototype.connect = originalConnect;
  dns.lookup = originalLookup;
  await app?.close();
});

describe('no outbound network', () => {
  it('sees a connection made through net.connect (the watch itself works)', () => {
    // 192.0.2.0/24 is reserved for documentation: nothing answers there.
    const socket = net.connect({ host: '192.0.2.1', port: 9 });
    socket.on('error', () => {});
    socket.destroy();
    expect(connections.pop()).toBe('192.0.2.1:9');
  });

  it('connects to nothing but the loopback during an API session', async () => {
    const call = async (method: string, input: unknown) => {
      const response = await fetch(`${app.url}/api/${method}`, {
        method: 'POST',
        headers: API_HEADERS,
        body: JSON.stringify(input),
      });
      expect(response.status, method).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const page = (await call('searchClients', { status: ['pending'], pageSize: 1 })) as {
      items: { clientId: number }[];
    };
    const clientId = page.items[0]!.clientId;
    await call('getClientFile', { clientId });
    const score = (await call('getScore', { clientId })) as { decision: string };
    await call('getExplanation', { clientId });
    await call('compare', { clientId, group: { kind: 'similar' } });
    await call('whatIf', { clientId, edits: {}, counterfactuals: true });
    await call('getModelInfo', {});
    await call('recordDecision', { clientId, finalDecision: score.decision, offer: {} });
    await call('logEvent', { clientId, kind: 'print' });
    await call('exportAuditLog', {});
    await fetch(`${app.url}/api/openapi.json`);

    expect(connections.length).toBeGreaterThan(0);
    const local = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\]):\d+$|^unix:/;
    expect(connections.filter((c) => !local.test(c))).toEqual([]);
    expect(lookups.filter((h) => !/^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(h))).toEqual([]);
  });
});
