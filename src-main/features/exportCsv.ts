import type { ClientBase } from '../data/clientBase.ts';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { csvLine } from '../data/csv/csvCell.ts';
import { featureNames } from './recipe.ts';
import { assertCurrentFeatures, blockColumns, readStoredBlocks } from './store.ts';

const CHUNK_CHARS = 1 << 20;

/**
 * Writes the stored features as CSV: SK_ID_CURR, TARGET, then every feature in catalogue order; an empty field
 * is a missing value. Numbers are written in their shortest exact form, so reading the file back gives the same
 * doubles. The file appears complete or not at all.
 */
export function exportFeaturesCsv(db: ClientBase, path: string): number {
  assertCurrentFeatures(db);
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  const vector = new Float64Array(featureNames.length);
  let rows = 0;
  try {
    // Level names hold commas ("Spouse, partner"): csvLine quotes them.
    let chunk = csvLine(['SK_ID_CURR', 'TARGET', ...featureNames]) + '\n';
    const select = db
      .prepare(`SELECT SK_ID_CURR, TARGET, ${blockColumns} FROM client_features ORDER BY SK_ID_CURR`)
      .raw(true);
    for (const [id, target, ...blobs] of select.iterate() as Iterable<
      [number, number | null, ...(Buffer | null)[]]
    >) {
      readStoredBlocks(blobs, vector, 0);
      let line = `${id},${target ?? ''}`;
      for (let k = 0; k < vector.length; k++) {
        const value = vector[k]!;
        line += value === value ? `,${value}` : ',';
      }
      chunk += line + '\n';
      rows++;
      if (chunk.length >= CHUNK_CHARS) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, path);
  return rows;
}
