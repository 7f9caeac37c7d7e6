import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';
import { exportFeaturesCsv } from '../../../src-main/features/exportCsv.ts';
import { REPO, demoBase, sampleBase } from './helpers.ts';

/**
 * The SQL recipe against an independent pandas implementation of the kernel (tests/oracle/kernel_features.py),
 * column by column: same names in the same order, same clients, every value within 1e-9 relative, missing where
 * missing. Needs Debian's python3-pandas (`apt-get install -y --no-install-recommends python3-pandas`).
 */

const PYTHON = '/usr/bin/python3';
const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
if (!hasPandas) {
  console.warn(
    `oracle.test.ts skipped: ${PYTHON} cannot import pandas (apt-get install -y --no-install-recommends python3-pandas)`,
  );
}

const RELATIVE = 1e-9;

function compare(ours: string[][], oracle: string[][]): string[] {
  const problems: string[] = [];
  const header = ours[0]!;
  if (JSON.stringify(header) !== JSON.stringify(oracle[0])) return ['the headers differ'];
  if (ours.length !== oracle.length)
    return [`${ours.length - 1} clients here, ${oracle.length - 1} in the oracle`];
  for (let r = 1; r < ours.length; r++) {
    for (let c = 0; c < header.length; c++) {
      const a = ours[r]![c]!;
      const b = oracle[r]![c]!;
      if (a === b) continue;
      const x = Number(a);
      const y = Number(b);
      const agree = a !== '' && b !== '' && Math.abs(x - y) <= RELATIVE * Math.max(Math.abs(x), Math.abs(y));
      if (!agree && problems.length < 20) problems.push(`client ${ours[r]![0]}, ${header[c]}: ${a} vs ${b}`);
    }
  }
  return problems;
}

describe.skipIf(!hasPandas)('the SQL recipe against the pandas oracle', () => {
  for (const [name, base] of [
    ['the real Kaggle sample', sampleBase],
    ['a demo base of 400 clients', () => demoBase(400)],
  ] as const) {
    it(`agrees on every feature of ${name}`, async () => {
      const path = await base();
      const work = mkdtempSync(join(tmpdir(), 'scoring-desk-oracle-'));
      const db = openClientBase(path);
      try {
        await computeFeatures(db);
        exportFeaturesCsv(db, join(work, 'ours.csv'));
      } finally {
        db.close();
      }
      const run = spawnSync(
        PYTHON,
        [join(REPO, 'tests/oracle/kernel_features.py'), path, join(work, 'oracle.csv')],
        {
          encoding: 'utf8',
        },
      );
      expect(run.status, run.stderr).toBe(0);
      const read = (file: string) => parse(readFileSync(join(work, file))) as string[][];
      const ours = read('ours.csv');
      expect(ours[0]).toHaveLength(2 + 795);
      expect(compare(ours, read('oracle.csv'))).toEqual([]);
    });
  }
});
