import type { Command } from 'commander';
import { importCsvFolder, type ImportSummary } from '../../data/import/importer.ts';
import { createProgress } from '../progress.ts';

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'import a folder of Kaggle-named Home Credit CSV files into a client base (atomic: all or nothing)',
    )
    .argument(
      '<dir>',
      'folder holding application_train.csv, application_test.csv, bureau.csv, ... (any subset)',
    )
    .requiredOption('--db <file>', 'the client base (SQLite file); created if missing, otherwise added to')
    .option('--rejects <file>', 'where to write the rejected rows (default: <db>.rejects.csv)')
    .addHelpText(
      'after',
      `
Bad rows (wrong field count, unparsable number, duplicate key) are written to the rejects report with their
file, line, column, value and reason; unknown categorical levels are kept and counted. A missing required
column stops the import. The base is replaced only when the whole import succeeded; the previous base is kept
in backups/ beside it (the last 3), for \`scoring-desk restore\`.`,
    )
    .action(async (dir: string, options: { db: string; rejects?: string }) => {
      const progress = createProgress();
      const phases = {
        prepare: 'Preparing the base',
        load: 'Importing',
        index: 'Indexing',
        check: 'Checking',
      } as const;
      let phase = '';
      const summary = await importCsvFolder({
        dir,
        dbPath: options.db,
        rejectsPath: options.rejects,
        onProgress(p) {
          if (p.phase !== phase) {
            if (phase) progress.stop();
            phase = p.phase;
            progress.start(phases[p.phase], p.phase === 'load' ? p.bytesTotal : 1);
          }
          if (p.phase === 'load')
            progress.update(p.bytesDone, `${p.file ?? ''} ${p.rowsDone.toLocaleString('en')} rows`);
        },
      }).catch((error: unknown) => {
        progress.stop('failed');
        throw error;
      });
      progress.stop();
      process.stdout.write(formatSummary(summary));
    });
}

export function formatSummary(summary: ImportSummary): string {
  const header = ['table', 'read', 'imported', 'rejected', 'warned', 'orphans'];
  const rows = summary.tables.map((t) =>
    [t.table, t.rowsRead, t.imported, t.rejected, t.warned, t.orphans].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') + '\n';
  let out = `Imported into ${summary.dbPath} in ${(summary.elapsedMs / 1000).toFixed(1)} s\n\n`;
  out += line(header) + rows.map(line).join('');
  for (const t of summary.tables) {
    for (const u of t.unknownColumns) out += `\n${u.file}: unknown columns ignored: ${u.columns.join(', ')}`;
    for (const l of t.unknownLevels)
      out += `\n${t.table}.${l.column}: unknown level "${l.level}" kept (${l.count} rows)`;
  }
  if (summary.ignoredFiles.length > 0)
    out += `\nFiles ignored (not Home Credit tables): ${summary.ignoredFiles.join(', ')}`;
  if (summary.backupPath) out += `\nThe previous base is kept as ${summary.backupPath}`;
  const rejected = summary.tables.reduce((n, t) => n + t.rejected, 0);
  out += `\n${rejected > 0 ? `${rejected} rejected rows listed in ${summary.rejectsPath}` : 'No row rejected.'}\n`;
  return out;
}
