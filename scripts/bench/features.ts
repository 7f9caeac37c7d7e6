/**
 * Feature benchmark: `npm run bench:features -- [--db <client base> | --clients N] [--keep]`.
 * Computes the features of every client (a full run), then times one client's features on demand and an edited
 * application, and prints the time per block, rows/s and peak RSS. `--db` works on that base (its stored
 * features are rewritten); `--clients N` generates and imports a demo base of N clients first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openClientBase } from '../../src-main/data/clientBase.ts';
import { importCsvFolder } from '../../src-main/data/import/importer.ts';
import { computeFeatures } from '../../src-main/features/batch.ts';
import { clientFeatures, editedApplicationFeatures } from '../../src-main/features/client.ts';
import { loadFeatureMatrix } from '../../src-main/features/store.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    clients: { type: 'string', default: '20000' },
    keep: { type: 'boolean', default: false },
    samples: { type: 'string', default: '300' },
    workers: { type: 'string' },
  },
});
const repo = resolve(import.meta.dirname, '../..');
const work = args.db ? undefined : mkdtempSync(join(tmpdir(), 'bench-features-'));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

let dbPath = args.db;
if (!dbPath) {
  const csv = join(work!, 'csv');
  console.log(`Generating and importing a demo base of ${args.clients} clients in ${work} ...`);
  execFileSync(
    process.execPath,
    [join(repo, 'bin/scoring-desk.js'), 'demo-data', '--clients', args.clients, '--seed', '1', '--out', csv],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  dbPath = join(work!, 'base.sqlite');
  await importCsvFolder({ dir: csv, dbPath });
}

const db = openClientBase(dbPath);
console.log(`\nBatch: every client of ${dbPath}`);
const cpu0 = process.cpuUsage();
const summary = await computeFeatures(db, {
  full: true,
  ...(args.workers ? { workers: Number(args.workers) } : {}),
});
const row = (cells: (string | number)[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(16) : String(c).padStart(14))).join('') + '\n';
let report = row(['block', 'source rows', 'clients', 'seconds', 'rows/s']);
let sourceRows = 0;
for (const b of summary.blocks) {
  sourceRows += b.sourceRows;
  report += row([b.name, b.sourceRows, b.clients, seconds(b.ms), Math.round(b.sourceRows / (b.ms / 1000))]);
}
report += row(['storing', '', summary.written, seconds(summary.writeMs), '']);
process.stdout.write(report);
const cpu = process.cpuUsage(cpu0);
const batchRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  `CPU time (every thread): ${seconds((cpu.user + cpu.system) / 1000)} s; peak RSS ${batchRssMiB.toFixed(0)} MiB; machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(
  `total ${seconds(summary.elapsedMs)} s for ${summary.written} clients, ${sourceRows} source rows (${Math.round(sourceRows / (summary.elapsedMs / 1000))} rows/s)`,
);

const t0 = performance.now();
const matrix = loadFeatureMatrix(db);
console.log(
  `loading the matrix: ${matrix.ids.length} × ${matrix.names.length} in ${seconds(performance.now() - t0)} s`,
);

function timings(label: string, run: (id: number) => unknown): void {
  const samples = Math.min(Number(args.samples), matrix.ids.length);
  const step = Math.max(1, Math.floor(matrix.ids.length / samples));
  run(matrix.ids[0]!); // prepares the statements
  const ms: number[] = [];
  for (let k = 0; k < samples; k++) {
    const id = matrix.ids[(k * step + 17) % matrix.ids.length]!;
    const t = performance.now();
    run(id);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
  console.log(
    `${label}: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${ms.at(-1)!.toFixed(2)} ms (${samples} clients)`,
  );
}
timings('one client', (id) => clientFeatures(db, id));
timings('edited application', (id) =>
  editedApplicationFeatures(db, id, { AMT_CREDIT: 250000, AMT_ANNUITY: 12500 }),
);
db.close();
console.log(`peak RSS with the matrix loaded: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

if (work && args.keep) console.log(`\nKept: ${work}`);
else if (work) rmSync(work, { recursive: true, force: true });
