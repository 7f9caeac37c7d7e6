/**
 * Load test of `scoring-desk serve`: `npm run bench:load -- [--db <base>] [--model <dir>] [--clients N]
 * [--connections 50] [--duration 30]`. Starts the server on loopback (a child process, so that the load generator
 * does not share its event loop), then autocannon keeps 50 connections busy for 30 s with a mix of requests: what
 * a manager's screens ask (search, client file, score, explanation, comparison, what-if, history) and the writes
 * they make (views, decisions). Prints throughput, latency percentiles and the mix; exits 1 on any error, non-2xx
 * answer or timeout. Without --db it builds (once, cached in the temporary folder) a demo base of N clients.
 */
import { mkdirSync } from 'node:fs';
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
    clients: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
  },
});

interface Request {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface Result {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

let dbPath = args.db;
if (!dbPath) {
  const dir = join(tmpdir(), `scoring-desk-bench-load-${args.clients}`);
  mkdirSync(dir, { recursive: true });
  dbPath = join(dir, 'base.sqlite');
  console.log(`Demo base of ${args.clients} clients: ${dbPath} (built on first use) ...`);
  await ensureDemoBase({ dbPath, modelDir: args.model, clients: Number(args.clients) });
}

const db = openClientBase(dbPath);
const pending = db
  .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL')
  .pluck()
  .all() as number[];
const all = db.prepare('SELECT SK_ID_CURR FROM application').pluck().all() as number[];
db.close();
const pick = (ids: number[]) => ids[Math.floor(Math.random() * ids.length)]!;

/** The mix, by weight (out of 20); each request gets a random client at the moment it is sent. */
const mix: [weight: number, method: string, input: () => Record<string, unknown>][] = [
  [3, 'searchClients', () => ({ query: String(pick(all)).slice(0, 4), pageSize: 25 })],
  [4, 'getClientFile', () => ({ clientId: pick(all), lang: 'fr' })],
  [3, 'getScore', () => ({ clientId: pick(all) })],
  [3, 'getExplanation', () => ({ clientId: pick(all), lang: 'fr' })],
  [1, 'compare', () => ({ clientId: pick(all), lang: 'fr', group: { kind: 'similar', k: 50 } })],
  [1, 'whatIf', () => ({ clientId: pick(pending), lang: 'fr', edits: {}, counterfactuals: false })],
  [1, 'getClientHistory', () => ({ clientId: pick(all) })],
  [2, 'logEvent', () => ({ clientId: pick(all), kind: 'view', lang: 'fr', view: 'file' })],
  [
    1,
    'recordDecision',
    () => ({ clientId: pick(pending), finalDecision: 'refused', overrideReason: 'load test' }),
  ],
  [1, 'getStatus', () => ({})],
];

const server = await startServeChild(dbPath, args.model);
const { url } = server;
console.log(`Server at ${url}; ${args.connections} connections for ${args.duration} s ...`);
// Writes are recorded in a manager's name: the desk is named once, as a manager does at the start of a session.
const named = await fetch(`${url}/api/setDesk`, {
  method: 'POST',
  headers: API_HEADERS,
  body: JSON.stringify({ manager: { name: 'Load Test', branch: null } }),
});
if (!named.ok) throw new Error(`setDesk answered ${named.status}: ${await named.text()}`);

const statuses = new Map<string, number>();
const totalWeight = mix.reduce((sum, [weight]) => sum + weight, 0);
function pickMethod(): (typeof mix)[number] {
  let r = Math.random() * totalWeight;
  for (const entry of mix) if ((r -= entry[0]) < 0) return entry;
  return mix.at(-1)!;
}
// One request definition that draws its method by weight each time: every connection sees the whole mix.
const requests = [
  {
    setupRequest: (request: Request, context: { method?: string }) => {
      const [, method, input] = pickMethod();
      context.method = method;
      return {
        ...request,
        method: 'POST',
        path: `/api/${method}`,
        headers: API_HEADERS,
        body: JSON.stringify(input()),
      };
    },
    onResponse: (status: number, _body: string, context: { method?: string }) => {
      const key = `${context.method} ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    },
  },
];

let result: Result;
try {
  result = await autocannon({
    url,
    connections: Number(args.connections),
    duration: Number(args.duration),
    requests,
  });
} finally {
  server.stop();
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log(`\nRequests: ${result.requests.total} in ${result.duration.toFixed(1)} s`);
console.log(`Throughput: ${result.requests.average.toFixed(0)} req/s (p50 ${result.requests.p50}/s)`);
console.log(
  `Latency: p50 ${ms(result.latency.p50)}, p90 ${ms(result.latency.p90)}, p99 ${ms(result.latency.p99)}, max ${ms(result.latency.max)}`,
);
console.log(`Errors: ${result.errors}, timeouts: ${result.timeouts}, non-2xx: ${result.non2xx}`);
console.log('\nAnswers by method and status:');
for (const [key, count] of [...statuses].sort()) console.log(`  ${key.padEnd(28)} ${count}`);
process.exit(result.errors + result.timeouts + result.non2xx > 0 ? 1 : 0);
