import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
  const fd = openSync(path, 'r');
  try {
    const totalBytes = fstatSync(fd).size;
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
