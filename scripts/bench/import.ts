/**
 * Import benchmark: `npm run bench:import -- [--clients N | --dir <folder>] [--keep]`.
 * Generates a demo data set (or takes a folder of Kaggle CSVs), imports it into a fresh client base and prints
 * rows/s per table, peak RSS, and the ratio to the sqlite3 shell's `.import` of the same files into tables of the
 * same column types, when the `sqlite3` command is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importCsvFolder } from '../../src-main/data/import/importer.ts';
import { createIndexSql, fileSpecFor, quoteIdent, sqlType, tables } from '../../src-main/data/schema.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const work = mkdtempSync(join(tmpdir(), 'bench-import-'));
const repo = resolve(import.meta.dirname, '../..');

let dir = args.dir;
if (!dir) {
  dir = join(work, 'csv');
  console.log(`Generating demo data for ${args.clients} clients in ${dir} ...`);
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [join(repo, 'bin/scoring-desk.js'), 'demo-data', '--clients', args.clients, '--seed', '1', '--out', dir],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const files = readdirSync(dir)
  .filter((name) => fileSpecFor(name))
  .map((name) => ({
    name,
    path: join(dir, name),
    table: fileSpecFor(name)!.table.name,
    bytes: statSync(join(dir, name)).size,
  }));
const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
console.log(`\nImporting ${files.length} files, ${(totalBytes / 2 ** 20).toFixed(0)} MiB`);

const dbPath = join(work, 'base.sqlite');
const phases: Record<string, number> = {};
let phase = '';
let phaseStart = performance.now();
const t0 = performance.now();
const summary = await importCsvFolder({
  dir,
  dbPath,
  onProgress(p) {
    if (p.phase === phase) return;
    if (phase) phases[phase] = performance.now() - phaseStart;
    phase = p.phase;
    phaseStart = performance.now();
  },
});
phases[phase] = performance.now() - phaseStart;
const totalMs = performance.now() - t0;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

const row = (cells: (string | number)[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(24) : String(c).padStart(14))).join('') + '\n';
let report = row(['table', 'rows', 'seconds', 'rows/s']);
let totalRows = 0;
for (const t of summary.tables) {
  totalRows += t.imported;
  report += row([
    t.table,
    t.imported,
    (t.elapsedMs / 1000).toFixed(2),
    Math.round(t.imported / (t.elapsedMs / 1000 || 1)),
  ]);
}
process.stdout.write(report);
const phaseText = Object.entries(phases)
  .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
  .join(', ');
console.log(
  `\nscoring-desk import: ${totalRows} rows in ${(totalMs / 1000).toFixed(1)} s (${Math.round(totalRows / (totalMs / 1000))} rows/s; ${phaseText}); peak RSS ${peakRssMiB.toFixed(0)} MiB`,
);

const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;
if (!hasSqlite3) {
  console.log('sqlite3 shell not installed (apt-get install sqlite3): no comparison.');
} else {
  // Same column types, without STRICT: the shell's .import writes empty fields as '' text, which STRICT refuses.
  const shellDb = join(work, 'shell.sqlite');
  const ddl = tables
    .map(
      (t) =>
        `CREATE TABLE ${quoteIdent(t.name)} (${t.columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c)}${c.name === t.primaryKey ? ' PRIMARY KEY' : ''}`).join(', ')});`,
    )
    .join('\n');
  writeFileSync(join(work, 'ddl.sql'), ddl);
  execFileSync('sqlite3', [shellDb, `.read ${join(work, 'ddl.sql')}`]);
  let shellMs = 0;
  let shellReport = row(['table', 'sqlite3 s', 'ours s', 'ratio']);
  for (const t of summary.tables) {
    const tableFiles = files.filter((f) => f.table === t.table);
    const t1 = performance.now();
    const commands = ['.mode csv', ...tableFiles.map((f) => `.import --skip 1 '${f.path}' ${t.table}`)];
    execFileSync('sqlite3', [shellDb, ...commands], { stdio: ['ignore', 'ignore', 'ignore'] });
    const ms = performance.now() - t1;
    shellMs += ms;
    shellReport += row([
      t.table,
      (ms / 1000).toFixed(2),
      (t.elapsedMs / 1000).toFixed(2),
      (t.elapsedMs / ms).toFixed(2),
    ]);
  }
  const t2 = performance.now();
  execFileSync('sqlite3', [shellDb, tables.flatMap((t) => createIndexSql(t)).join(';\n') + ';']);
  const indexMs = performance.now() - t2;
  shellMs += indexMs;
  process.stdout.write('\n' + shellReport);
  console.log(
    `sqlite3 .import + the same indexes: ${(shellMs / 1000).toFixed(1)} s (indexes ${(indexMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `ratio, whole import (ours includes the copy, the integrity check and the atomic rename): ${(totalMs / shellMs).toFixed(2)}`,
  );
}

if (args.keep) console.log(`\nKept: ${work}`);
else rmSync(work, { recursive: true, force: true });
