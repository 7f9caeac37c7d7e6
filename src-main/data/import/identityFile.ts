import type { ClientBase } from '../clientBase.ts';
import { readCsvFile } from '../csv/readCsvFile.ts';
import { IDENTITY_FILE } from '../demo/identity.ts';
import type { RejectsReport } from './rejectsReport.ts';
import { ImportError, parseDecimal, type Reject } from './rowConverter.ts';
import { forbiddenCharacter, visibleText } from './textCharacters.ts';

/**
 * client_identity.csv: the demo identities (SK_ID_CURR, FIRST_NAME, LAST_NAME, BRANCH, PHONE) that let managers
 * find clients by name. Kaggle has no such file; the demo generator writes one. Free text, so it does not go
 * through the typed Kaggle pipeline: a short synchronous pass inserts it, in one transaction, after the tables.
 * A row for a client who already has an identity replaces it (the folder's names are the newer ones).
 */

export { IDENTITY_FILE };

const REQUIRED = ['SK_ID_CURR', 'FIRST_NAME', 'LAST_NAME'] as const;
const OPTIONAL = ['BRANCH', 'PHONE'] as const;
const MAX_TEXT = 200;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
type Positions = Record<Column, number>;

export interface IdentityImportSummary {
  rowsRead: number;
  imported: number;
  rejected: number;
  /** Identities of clients not in the base. */
  orphans: number;
  unknownColumns: string[];
}

export function isIdentityFile(name: string): boolean {
  return name.toLowerCase() === IDENTITY_FILE;
}

export function loadIdentityFile(
  db: ClientBase,
  path: string,
  name: string,
  clients: ReadonlySet<number>,
  rejects: RejectsReport,
): IdentityImportSummary {
  const summary: IdentityImportSummary = {
    rowsRead: 0,
    imported: 0,
    rejected: 0,
    orphans: 0,
    unknownColumns: [],
  };
  const insert = db.prepare(
    'INSERT OR REPLACE INTO client_identity (SK_ID_CURR, FIRST_NAME, LAST_NAME, BRANCH, PHONE) VALUES (?, ?, ?, ?, ?)',
  );
  let position: Positions | undefined;
  let width = 0;
  const reject = (line: number, column: string, value: string, reason: string): void => {
    const entry: Reject = { file: name, line, column, value: visibleText(value.slice(0, MAX_TEXT)), reason };
    rejects.add([entry]);
    summary.rejected++;
  };
  db.exec('BEGIN');
  try {
    readCsvFile(path, ({ fields, line, error }) => {
      if (!position) {
        const header = fields.map((f) => f.trim());
        const missing = REQUIRED.filter((c) => !header.includes(c));
        if (missing.length > 0) {
          throw new ImportError(
            `${name}: required column${missing.length > 1 ? 's' : ''} missing from the header: ${missing.join(', ')}`,
          );
        }
        const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
        summary.unknownColumns = header.filter((h) => !known.has(h));
        position = Object.fromEntries(
          [...REQUIRED, ...OPTIONAL].map((c) => [c, header.indexOf(c)]),
        ) as Positions;
        width = header.length;
        return;
      }
      summary.rowsRead++;
      if (error) return reject(line, '', fields.join(','), error);
      if (fields.length !== width) {
        return reject(line, '', fields.join(','), `expected ${width} fields, found ${fields.length}`);
      }
      const idText = fields[position.SK_ID_CURR]!;
      const id = parseDecimal(idText);
      if (!Number.isSafeInteger(id) || id <= 0)
        return reject(line, 'SK_ID_CURR', idText, 'not a client number');
      const text = (column: Column) => {
        const at = position![column];
        return at < 0 ? '' : fields[at]!.trim();
      };
      for (const column of ['FIRST_NAME', 'LAST_NAME'] as const) {
        if (text(column) === '') return reject(line, column, '', 'missing value for a required column');
      }
      for (const column of [...REQUIRED.slice(1), ...OPTIONAL]) {
        if (text(column).length > MAX_TEXT)
          return reject(line, column, text(column), `longer than ${MAX_TEXT} characters`);
        const problem = forbiddenCharacter(text(column));
        if (problem !== undefined) return reject(line, column, text(column), problem);
      }
      insert.run(id, text('FIRST_NAME'), text('LAST_NAME'), text('BRANCH') || null, text('PHONE') || null);
      summary.imported++;
      if (!clients.has(id)) summary.orphans++;
    });
    if (!position) throw new ImportError(`${name}: the file is empty (no header line)`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return summary;
}
