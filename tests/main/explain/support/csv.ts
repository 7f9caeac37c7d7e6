import { readFileSync } from 'node:fs';

/** The numbers of a fixture CSV (header skipped, empty field = NaN). */
export function readCsvNumbers(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((field) => (field === '' ? NaN : Number(field))));
}
