/**
 * Cost of encryption at rest: `npm run bench:encryption -- [--clients N | --dir <folder>] [--rounds R]`.
 * Imports the same CSV files into an unencrypted and an encrypted client base, computes every client's features
 * in each, and reads client files one at a time, alternating the two bases over R rounds; prints the median wall
 * and CPU time of each step, the ratio, and the file sizes. CPU time includes the feature workers' threads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBaseKey, useBaseKey } from '../../src-main/data/baseKey.ts';
import { openClientBase } from '../../src-main/data/clientBase.ts';
import { importCsvFolder } from '../../src-main/data/import/importer.ts';
import { computeFeatures } from '../../src-main/features/batch.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    dir: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    lookups: { type: 'string', default: '2000' },
  },
});
const work = mkdtempSync(join(tmpdir(), 'bench-encryption-'));
const repo = resolve(import.meta.dirname, '../..');

let dir = args.dir;
if (!dir) {
  dir = join(work, 'csv');
  console.log(`Generating demo data for ${args.clients} clients ...`);
  execFileSync(
    process.execPath,
    [join(repo, 'bin/scoring-desk.js'), 'demo-data', '--clients', args.clients, '--seed', '1', '--out', dir],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(run: () => Promise<unknown> | unknown): Promise<Timing> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 };
}

/** The queries of opening a client's file: the application, its bureau credits and previous applications. */
function readClientFiles(dbPath: string, lookups: number): void {
  const db = openClientBase(dbPath);
  const ids = db.prepare('SELECT SK_ID_CURR FROM application').pluck().all() as number[];
  const queries = [
    db.prepare('SELECT * FROM application WHERE SK_ID_CURR = ?'),
    db.prepare('SELECT * FROM bureau WHERE SK_ID_CURR = ?'),
    db.prepare('SELECT * FROM previous_application WHERE SK_ID_CURR = ?'),
    db.prepare('SELECT * FROM client_features WHERE SK_ID_CURR = ?'),
  ];
  let seed = 1;
  for (let i = 0; i < lookups; i++) {
    seed = (seed * 48271) % 2147483647;
    const id = ids[seed % ids.length];
    for (const query of queries) query.all(id);
  }
  db.close();
}

const key = generateBaseKey();
const steps = ['import', 'features', 'client files'] as const;
const results: Record<string, Record<(typeof steps)[number], Timing[]>> = {};
const sizes: Record<string, number> = {};

for (let round = 0; round < Number(args.rounds); round++) {
  for (const mode of round % 2 === 0 ? ['plain', 'encrypted'] : ['encrypted', 'plain']) {
    useBaseKey(mode === 'encrypted' ? key : undefined);
    const dbPath = join(work, `${mode}-${round}.sqlite`);
    const r = (results[mode] ??= { import: [], features: [], 'client files': [] });
    r.import.push(await timed(() => importCsvFolder({ dir: dir!, dbPath })));
    const db = openClientBase(dbPath);
    r.features.push(await timed(() => computeFeatures(db)));
    db.close();
    r['client files'].push(await timed(() => readClientFiles(dbPath, Number(args.lookups))));
    sizes[mode] = statSync(dbPath).size;
    rmSync(dbPath, { force: true });
    console.log(`round ${round + 1}: ${mode} done`);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cell = (text: string, width = 14) => text.padStart(width);
console.log(
  `\n${'step'.padEnd(14)}${cell('plain wall')}${cell('enc. wall')}${cell('ratio', 8)}${cell('plain CPU')}${cell('enc. CPU')}${cell('ratio', 8)}`,
);
for (const step of steps) {
  const plain = results.plain![step];
  const enc = results.encrypted![step];
  const pw = median(plain.map((t) => t.wallMs));
  const ew = median(enc.map((t) => t.wallMs));
  const pc = median(plain.map((t) => t.cpuMs));
  const ec = median(enc.map((t) => t.cpuMs));
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `${step.padEnd(14)}${cell(s(pw))}${cell(s(ew))}${cell((ew / pw).toFixed(2), 8)}${cell(s(pc))}${cell(s(ec))}${cell((ec / pc).toFixed(2), 8)}`,
  );
}
console.log(
  `\nbase size: plain ${(sizes.plain! / 2 ** 20).toFixed(1)} MiB, encrypted ${(sizes.encrypted! / 2 ** 20).toFixed(1)} MiB (${args.lookups} client files read per round)`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
