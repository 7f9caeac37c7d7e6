import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flushes a file's content to the disk (it must be writable: Windows flushes only through a writable handle). */
export function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a folder's entries to the disk, so that a rename into it survives a power cut. Windows cannot open a
 * folder as a file, and its renames are durable without it.
 */
export function syncFolder(path: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file so that no reader ever sees half of it: a temporary file in the same folder (same file system),
 * flushed to disk, then renamed over the target. On failure the target is unchanged and the temporary file gone.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o644): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w', mode);
    try {
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
}
