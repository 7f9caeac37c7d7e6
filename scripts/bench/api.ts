/**
 * Speed of the API as a browser or another system sees it: `npm run bench:api -- [--db <base>] [--model <dir>]
 * [--clients N] [--connections 1] [--duration 10]`. Starts `scoring-desk serve` on loopback (a child process, so
 * the load generator does not share its event loop), then runs autocannon on one scenario at a time, each request
 * on a different client: search, client file + score + explanation, comparison with similar clients, what-if
 * (live, then with the counterfactual options). Prints p50 / p95 / p99 latency (from every response's time),
 * throughput, and the server's resident memory (peak). One connection by default: the latency of a request, not of
 * a queue (the server answers on one thread; `npm run bench:load` measures it under 50 connections). Without --db it builds, once, a demo base of N clients
 * (default 20,000, seed 1) in the temporary folder. Targets at 307,000 clients (issue 6): search ≤ 30 ms, client
 * file with score and explanation ≤ 50 ms, comparison ≤ 100 ms, what-if ≤ 50 ms at p95; memory < 1 GB.
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openClientBase } from '../../src-main/data/clientBase.ts';
import { ensureDemoBase } from '../../src-main/demo/demoBase.ts';
import { API_HEADERS } from '../../src-main/http/requestChecks.ts';
import { startServeChild } from './support/serveChild.ts';

const repo = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    model: { type: 'string', default: join(repo, 'models') },
    clients: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
  },
});

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Instance extends Promise<{
  requests: { total: number };
  duration: number;
  errors: number;
  non2xx: number;
}> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => Instance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

let dbPath = args.db;
if (!dbPath) {
  dbPath = join(tmpdir(), `scoring-desk-bench-api-${args.clients}.sqlite`);
  console.log(`Demo base of ${args.clients} clients: ${dbPath} (built on first use) ...`);
  const built = await ensureDemoBase({ dbPath, modelDir: args.model, clients: Number(args.clients) });
  if (built.created) console.log(`  built in ${(built.elapsedMs / 1000).toFixed(1)} s`);
}

const db = openClientBase(dbPath, { readonly: true });
const clients = db.prepare('SELECT COUNT(*) FROM application').pluck().get() as number;
const pending = db
  .prepare(
    'SELECT SK_ID_CURR, AMT_CREDIT FROM application WHERE TARGET IS NULL AND AMT_ANNUITY IS NOT NULL AND AMT_GOODS_PRICE IS NOT NULL',
  )
  .raw(true)
  .all() as [number, number][];
const names = db.prepare('SELECT LAST_NAME FROM client_identity LIMIT 2000').pluck().all() as string[];
db.close();

const server = await startServeChild(dbPath, args.model);
const { url } = server;

let turn = 0;
const next = <T>(items: readonly T[]): T => items[turn++ % items.length]!;

/** A scenario: the requests one client visit makes, each scenario request on the next client in turn. */
const scenarios: { name: string; calls: ((clientId: number, credit: number) => [string, unknown])[] }[] = [
  {
    name: 'search (names, numbers, filters)',
    calls: [
      () => ['searchClients', { query: next(names).slice(0, 3) }],
      (id) => ['searchClients', { query: String(id).slice(0, 4), status: ['pending'] }],
      () => ['searchClients', { riskBand: ['high', 'very_high'], sortBy: 'probability', order: 'desc' }],
    ],
  },
  {
    name: 'client file + score + explanation',
    calls: [
      (id) => ['getClientFile', { clientId: id }],
      (id) => ['getScore', { clientId: id }],
      (id) => ['getExplanation', { clientId: id }],
    ],
  },
  {
    name: 'comparison (50 similar clients)',
    calls: [(id) => ['compare', { clientId: id, group: { kind: 'similar' } }]],
  },
  {
    name: 'comparison (segment)',
    calls: [(id) => ['compare', { clientId: id, group: { kind: 'segment', contractType: 'Cash loans' } }]],
  },
  {
    name: 'what-if (live)',
    calls: [
      (id, credit) => [
        'whatIf',
        { clientId: id, edits: { AMT_CREDIT: Math.round(credit * 0.8) }, counterfactuals: false },
      ],
    ],
  },
  {
    name: 'what-if + counterfactual options',
    calls: [(id, credit) => ['whatIf', { clientId: id, edits: { AMT_CREDIT: Math.round(credit * 0.9) } }]],
  },
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const rows: string[][] = [];
try {
  for (const scenario of scenarios) {
    const requests = scenario.calls.map((call) => ({
      setupRequest: (request: Request) => {
        const [id, credit] = next(pending);
        const [method, input] = call(id, credit);
        return {
          ...request,
          method: 'POST',
          path: `/api/${method}`,
          headers: API_HEADERS,
          body: JSON.stringify(input),
        };
      },
    }));
    const latencies: number[] = [];
    const instance = autocannon({
      url,
      connections: Number(args.connections),
      duration: Number(args.duration),
      requests,
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
    const result = await instance;
    latencies.sort((a, b) => a - b);
    rows.push([
      scenario.name,
      String(result.requests.total),
      (result.requests.total / result.duration).toFixed(0),
      ...[50, 95, 99].map((p) => (latencies.length ? percentile(latencies, p).toFixed(1) : '-')),
      String(result.errors + result.non2xx),
    ]);
    console.log(`  ${scenario.name}: done`);
  }
} finally {
  const memory = server.memory();
  server.stop();
  const header = ['scenario', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\n${clients.toLocaleString('en')} clients, ${args.connections} connections, ${args.duration} s per scenario, on ${url}`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (memory)
    console.log(`Server memory: ${memory.rss.toFixed(0)} MiB resident, ${memory.peak.toFixed(0)} MiB peak`);
}
