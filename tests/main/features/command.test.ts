import { parse } from 'csv-parse/sync';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/support/runCli.ts';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { clientFeatures } from '../../../src-main/features/client.ts';
import { exportFeaturesCsv } from '../../../src-main/features/exportCsv.ts';
import { featureNames } from '../../../src-main/features/recipe.ts';
import { sampleBase } from './helpers.ts';

let sample: string;
beforeAll(async () => {
  sample = await sampleBase();
});
afterEach(() => vi.restoreAllMocks());

function copy(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'scoring-desk-cli-features-')), 'base.sqlite');
  copyFileSync(sample, path);
  return path;
}

const run = runCli;

describe('scoring-desk features', () => {
  it('computes every client, then only what changed, and writes the CSV', async () => {
    const base = copy();
    const out = join(mkdtempSync(join(tmpdir(), 'scoring-desk-csv-')), 'features.csv');
    const first = await run('features', '--db', base, '--out', out);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^Features: full \(first computation in this base\); 1000 clients computed, 1000 stored/,
    );
    expect(first.stdout).toMatch(/creditCard +\d+ clients/);
    expect(first.stdout).toContain(`Wrote 1000 clients to ${out}`);
    const again = await run('features', '--db', base);
    expect(again.stdout).toMatch(
      /^Features: current \(no data added since the last run\); 0 clients computed/,
    );

    const rows = parse(readFileSync(out)) as string[][];
    expect(rows[0]).toEqual(['SK_ID_CURR', 'TARGET', ...featureNames]);
    expect(rows).toHaveLength(1001);
    // the same doubles read back, empty where missing
    const db = openClientBase(base);
    try {
      for (const row of [rows[1]!, rows[500]!, rows[1000]!]) {
        const vector = clientFeatures(db, Number(row[0]));
        const read = row.slice(2).map((v) => (v === '' ? NaN : Number(v)));
        expect(read.every((v, k) => Object.is(v, vector[k]))).toBe(true);
      }
    } finally {
      db.close();
    }
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain(',"NAME_TYPE_SUITE_Spouse, partner",');
  });

  it('says why it cannot run', async () => {
    const missing = await run('features', '--db', join(tmpdir(), 'no-such-base.sqlite'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/client base not found: .*no-such-base\.sqlite/);
    expect((await run('features')).code).toBe(2);
  });

  it('refuses to export features that were never computed, and leaves no partial file', () => {
    const db = openClientBase(copy());
    const out = join(mkdtempSync(join(tmpdir(), 'scoring-desk-csv-')), 'features.csv');
    try {
      expect(() => exportFeaturesCsv(db, out)).toThrow(/no features computed in this client base/);
      expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
    } finally {
      db.close();
    }
  });
});
