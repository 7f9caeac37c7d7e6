import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { CsvParser, type CsvParserOptions, type CsvRecord } from './csvParser.ts';

export class CsvFileError extends Error {
  override name = 'CsvFileError';
}

const CHUNK_BYTES = 1 << 20;

/**
 * Streams a UTF-8 CSV file (with or without BOM, LF or CRLF) through the parser, one chunk at a time, so memory
 * stays bounded whatever the file size. `onChunk` reports progress in bytes after each chunk.
 */
export function readCsvFile(
  path: string,
  onRecord: (record: CsvRecord) => void,
  options: CsvParserOptions & { onChunk?: (bytesRead: number, totalBytes: number) => void } = {},
): void {
  // Non-blocking: opening a FIFO would otherwise wait for a writer forever. Checked on the opened file, not on
  // the name, so that nothing can be swapped in between.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new CsvFileError(
        `${path}: not a regular file (${kindOf(stats)}); copy the data into a file first`,
      );
    }
    const totalBytes = stats.size;
    // fatal: a file in another encoding (cp1252...) is refused rather than silently garbled.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const parser = new CsvParser(onRecord, options);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let bytesRead = 0;
    let lineHint = 1;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      let text: string;
      try {
        text = decoder.decode(buffer.subarray(0, n), { stream: n > 0 });
      } catch {
        throw new CsvFileError(`${path}: not valid UTF-8 (after line ${lineHint}); save the file as UTF-8`);
      }
      parser.push(text);
      lineHint = parser.currentLine;
      if (n === 0) break;
      bytesRead += n;
      options.onChunk?.(bytesRead, totalBytes);
    }
    parser.end();
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a file';
}
