import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openClientBase } from '../data/clientBase.ts';
import { generateDemoData } from '../data/demo/generate.ts';
import { importCsvFolder } from '../data/import/importer.ts';
import { computeFeatures } from '../features/batch.ts';
import { scoreClientBase } from '../model/batchScoring.ts';
import { loadClientScorer } from '../model/clientScoring.ts';
import { MODEL_FILE } from '../model/onnxExport.ts';

/**
 * The demo client base the app opens when nothing else is configured: 20,000 generated clients (seed 1, the base
 * the demo model in models/ is trained on), imported, with their features and their scores under that model.
 * Built once, on first start, into a file beside the target that is renamed into place only when complete, so
 * an interrupted build is started again rather than reused half-made. Shared by `npm start`, `scoring-desk
 * serve` and the Electron main process.
 */

export const DEMO_CLIENTS = 20_000;
export const DEMO_SEED = 1;

export type DemoStep = 'generate' | 'import' | 'features' | 'scores';

export interface DemoBaseProgress {
  step: DemoStep;
  done: number;
  total: number;
}

export interface DemoBaseOptions {
  dbPath: string;
  /** The model whose scores are stored; without a model.onnx there the scores step is skipped. */
  modelDir: string;
  clients?: number;
  seed?: number;
  onProgress?: (progress: DemoBaseProgress) => void;
}

export interface DemoBaseResult {
  created: boolean;
  elapsedMs: number;
  /** False when the model folder had no model to score with. */
  scored: boolean;
}

/** Builds the demo base at `dbPath` unless a file is already there. */
export async function ensureDemoBase(options: DemoBaseOptions): Promise<DemoBaseResult> {
  const started = Date.now();
  if (existsSync(options.dbPath)) return { created: false, elapsedMs: 0, scored: true };
  const progress = options.onProgress ?? (() => {});
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const building = `${options.dbPath}.building`;
  for (const suffix of ['', '-wal', '-shm', '.rejects.csv']) rmSync(`${building}${suffix}`, { force: true });
  const csv = mkdtempSync(join(tmpdir(), 'scoring-desk-demo-'));
  let scored = false;
  try {
    const clients = options.clients ?? DEMO_CLIENTS;
    await generateDemoData({
      clients,
      seed: options.seed ?? DEMO_SEED,
      outDir: csv,
      onProgress: (done, total) => progress({ step: 'generate', done, total }),
    });
    await importCsvFolder({
      dir: csv,
      dbPath: building,
      onProgress: (p) => progress({ step: 'import', done: p.bytesDone, total: p.bytesTotal }),
    });
    const db = openClientBase(building);
    try {
      await computeFeatures(db, {
        onProgress: (event) => progress({ step: 'features', done: event.done, total: event.total }),
      });
      if (existsSync(join(options.modelDir, MODEL_FILE))) {
        const scorer = await loadClientScorer(options.modelDir);
        try {
          await scoreClientBase(db, building, scorer, {
            onProgress: (done, total) => progress({ step: 'scores', done, total }),
          });
          scored = true;
        } finally {
          await scorer.release();
        }
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    renameSync(building, options.dbPath);
    return { created: true, elapsedMs: Date.now() - started, scored };
  } finally {
    rmSync(csv, { recursive: true, force: true });
    rmSync(`${building}.rejects.csv`, { force: true });
  }
}
