import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { syncFile, syncFolder } from '../runtime/durableFiles.ts';

/**
 * Writes the files of a model folder (model.onnx, model-card.json, ...) so that no reader ever sees a half-written
 * one: `stage` writes them into a temporary folder beside `dir` (same file system), each is flushed to disk, then
 * renamed into `dir`, model.onnx last, so that the model the app loads comes with its card already in place. Files
 * of `dir` that are not rewritten (a README) stay. On failure nothing in `dir` changes. Returns the files written.
 */
export async function writeModelFolder(
  dir: string,
  stage: (staging: string) => void | Promise<void>,
): Promise<string[]> {
  const target = resolve(dir);
  const staging = join(dirname(target), `.${basename(target)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await stage(staging);
    const files = readdirSync(staging).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    for (const file of files) syncFile(join(staging, file));
    mkdirSync(target, { recursive: true });
    for (const file of files) renameSync(join(staging, file), join(target, file));
    syncFolder(target);
    return files.map((file) => join(target, file));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The model goes last: a reader that finds it finds its card. */
function rank(file: string): number {
  return file.endsWith('.onnx') ? 1 : 0;
}
