import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsvFolder, type ImportSummary } from '../../../../src-main/data/import/importer.ts';

/**
 * What a hostile or broken input folder must not do to the importer: exhaust memory with one enormous record,
 * hang it on a pipe or a device, smuggle control or bidi characters into names, or bring in client number 0.
 */

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-limits-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(work, 'csv-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const base = () => join(mkdtempSync(join(work, 'base-')), 'base.sqlite');
const rejectsOf = (summary: ImportSummary) =>
  parse(readFileSync(summary.rejectsPath), { columns: true }) as Record<string, string>[];

const BUREAU_BALANCE = 'SK_ID_BUREAU,MONTHS_BALANCE,STATUS\n';

describe('importer resource limits', () => {
  it('rejects a record of millions of fields with its line, and imports the rest', async () => {
    const commas = ','.repeat(20_000_000);
    const dir = folder({ 'bureau_balance.csv': `${BUREAU_BALANCE}5001,-1,C\n5001,-2${commas}\n5001,-3,C\n` });
    const summary = await importCsvFolder({ dir, dbPath: base() });
    expect(rejectsOf(summary)).toEqual([
      expect.objectContaining({ file: 'bureau_balance.csv', line: '3', reason: 'more than 1024 fields' }),
    ]);
    expect(summary.tables.find((t) => t.table === 'bureau_balance')).toMatchObject({
      imported: 2,
      rejected: 1,
    });
  });

  it('refuses a named pipe at once, naming it, instead of waiting for a writer', async () => {
    const dir = folder({});
    execFileSync('mkfifo', [join(dir, 'bureau_balance.csv')]);
    await expect(importCsvFolder({ dir, dbPath: base() })).rejects.toThrow(
      'bureau_balance.csv is not a regular file (a pipe, a device or a folder): copy the data into a file',
    );
  });

  it('refuses a link to /dev/zero instead of reading it forever', async () => {
    const dir = folder({});
    symlinkSync('/dev/zero', join(dir, 'bureau.csv'));
    await expect(importCsvFolder({ dir, dbPath: base() })).rejects.toThrow(
      /bureau\.csv is not a regular file/,
    );
  });

  it('rejects a text holding a NUL, a control or a bidi character, spelling it out in the report', async () => {
    const dir = folder({
      'bureau_balance.csv': `${BUREAU_BALANCE}5001,-1,C\u0000\n5001,-2,\u202EX\n5001,-3,C\n`,
      'client_identity.csv':
        'SK_ID_CURR,FIRST_NAME,LAST_NAME,BRANCH,PHONE\n' +
        '100002,Jeanne,Dupont,Lyon,0601020304\n' +
        '100003,Paul,\u202Etnopud,Lyon,0601020305\n' +
        '100004,Marie\u0007,Durand,Lyon,0601020306\n',
    });
    const summary = await importCsvFolder({ dir, dbPath: base() });
    expect(rejectsOf(summary).map((r) => [r.file, r.line, r.column, r.value, r.reason])).toEqual([
      ['bureau_balance.csv', '2', 'STATUS', 'C<U+0000>', 'holds U+0000, a control character'],
      ['bureau_balance.csv', '3', 'STATUS', '<U+202E>X', 'holds U+202E, a bidirectional override'],
      ['client_identity.csv', '3', 'LAST_NAME', '<U+202E>tnopud', 'holds U+202E, a bidirectional override'],
      ['client_identity.csv', '4', 'FIRST_NAME', 'Marie<U+0007>', 'holds U+0007, a control character'],
    ]);
    expect(summary.tables.find((t) => t.table === 'bureau_balance')).toMatchObject({
      imported: 1,
      rejected: 2,
    });
  });

  it('rejects client, credit and application numbers below 1', async () => {
    const dir = folder({ 'bureau_balance.csv': `${BUREAU_BALANCE}0,-1,C\n-5,-2,C\n5001,-3,C\n` });
    const summary = await importCsvFolder({ dir, dbPath: base() });
    expect(rejectsOf(summary).map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      ['2', 'SK_ID_BUREAU', '0', 'below the minimum 1'],
      ['3', 'SK_ID_BUREAU', '-5', 'below the minimum 1'],
    ]);
  });
});
