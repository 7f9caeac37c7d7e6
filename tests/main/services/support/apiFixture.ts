import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClientBase } from '../../../../src-main/data/clientBase.ts';
import { migrations } from '../../../../src-main/data/migrations.ts';
import { generateDemoData } from '../../../../src-main/data/demo/generate.ts';
import { importCsvFolder } from '../../../../src-main/data/import/importer.ts';
import { computeFeatures } from '../../../../src-main/features/batch.ts';
import { featureFingerprint } from '../../../../src-main/features/store.ts';
import { createServices, type Services } from '../../../../src-main/services/index.ts';
import { demoModels } from '../../explain/support/demoModel.ts';

/**
 * What the API, services, HTTP and Electron tests run on: a small demo base of their own (generated with its
 * identities, imported, features computed; built once per machine under the temporary folder and copied for each
 * test, since tests record decisions) and the small model the explain tests train (tests/main/explain/support).
 */

const CLIENTS = 600;
const SEED = 2;
// Keyed by the schema too: worktrees with other migrations share this temporary folder.
const SCHEMA = createHash('sha256')
  .update(migrations.map((m) => `${m.version} ${m.description}`).join('\n'))
  .digest('hex')
  .slice(0, 8);
const ROOT = join(
  tmpdir(),
  `scoring-desk-api-base-${CLIENTS}-${SEED}-${featureFingerprint.slice(0, 12)}-${SCHEMA}`,
);
const BASE = join(ROOT, 'base.sqlite');

async function sharedBase(): Promise<string> {
  if (existsSync(BASE)) return BASE;
  const work = mkdtempSync(`${ROOT}-building-`);
  try {
    await generateDemoData({ clients: CLIENTS, seed: SEED, outDir: join(work, 'csv') });
    await importCsvFolder({ dir: join(work, 'csv'), dbPath: join(work, 'base.sqlite') });
    const db = openClientBase(join(work, 'base.sqlite'));
    try {
      await computeFeatures(db, { workers: 1 });
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    rmSync(join(work, 'csv'), { recursive: true, force: true });
    try {
      renameSync(work, ROOT);
    } catch (error) {
      // Another test process finished first: its base is the same.
      if (!existsSync(BASE)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return BASE;
}

export interface ApiFixture {
  /** A copy of the shared base, for this test only. */
  dbPath: string;
  modelDir: string;
  dir: string;
}

export async function apiFixture(): Promise<ApiFixture> {
  const [base, models] = await Promise.all([sharedBase(), demoModels()]);
  const dir = mkdtempSync(join(tmpdir(), 'scoring-desk-api-test-'));
  const dbPath = join(dir, 'base.sqlite');
  const source = openClientBase(base, { readonly: true });
  try {
    source.prepare('VACUUM INTO ?').run(dbPath);
  } finally {
    source.close();
  }
  return { dbPath, modelDir: models.model, dir };
}

export async function fixtureServices(fixture: ApiFixture, manager = 'Test Manager'): Promise<Services> {
  return createServices({
    dbPath: fixture.dbPath,
    modelDir: fixture.modelDir,
    deskManager: { name: manager, branch: null },
    onWarning: () => {},
  });
}
