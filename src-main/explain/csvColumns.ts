import type { CsvRecord } from '../data/csv/csvParser.ts';

/** Input that cannot be explained: a missing column, a wrong field count, a value that is not a number. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Where each of the model's features is read from in the rows of a CSV file. */
export interface ColumnLayout {
  hasHeader: boolean;
  /** Fields in every record. */
  width: number;
  /** Per feature, the index of its field. */
  source: Int32Array;
  /** How the columns were matched, for the user. */
  description: string;
}

const MISSING = /^(|nan|na)$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

/** A CSV field as a number: empty, NaN or NA is missing (NaN); undefined when it is not a number. */
export function parseValue(field: string): number | undefined {
  const text = field.trim();
  if (MISSING.test(text)) return NaN;
  if (DECIMAL.test(text)) return Number(text);
  const infinity = INFINITY.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * Decides from the first record how columns map to features: by name when the header names every feature (other
 * columns are ignored), by position when it names none, or when the first record is all numbers (no header).
 */
export function layoutColumns(file: string, first: CsvRecord, featureNames: readonly string[]): ColumnLayout {
  if (first.error) throw new InputError(`${file}: line ${first.line}: ${first.error}`);
  const n = featureNames.length;
  const fields = first.fields.map((field) => field.trim());
  const positional = (hasHeader: boolean, why: string): ColumnLayout => {
    if (fields.length !== n) {
      throw new InputError(
        `${file}: line ${first.line} has ${fields.length} columns but the model has ${n} features (${why}, so columns are taken by position)`,
      );
    }
    return {
      hasHeader,
      width: n,
      source: Int32Array.from({ length: n }, (_, j) => j),
      description: `${why}: columns taken by position as the model's ${n} features`,
    };
  };
  if (fields.every((field) => parseValue(field) !== undefined)) return positional(false, 'no header line');

  const column = new Map<string, number>();
  fields.forEach((name, index) => {
    if (column.has(name) && featureNames.includes(name)) {
      throw new InputError(`${file}: column ${name} appears twice in the header`);
    }
    column.set(name, index);
  });
  const missing = featureNames.filter((name) => !column.has(name));
  if (missing.length === n) return positional(true, "the header names none of the model's features");
  if (missing.length > 0) {
    const shown =
      missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, and ${missing.length - 10} more` : '');
    throw new InputError(
      `${file}: missing column${missing.length > 1 ? 's' : ''} for the model's features: ${shown}`,
    );
  }
  const features = new Set(featureNames);
  const ignored = fields.filter((name) => !features.has(name));
  return {
    hasHeader: true,
    width: fields.length,
    source: Int32Array.from(featureNames, (name) => column.get(name)!),
    description:
      `columns matched by name to the model's ${n} features` +
      (ignored.length > 0 ? ` (ignored: ${ignored.join(', ')})` : ''),
  };
}

/** Writes a record's feature values at `out[offset ..]`, or throws naming the line and column. */
export function readRecord(
  file: string,
  layout: ColumnLayout,
  featureNames: readonly string[],
  record: CsvRecord,
  out: Float64Array,
  offset: number,
): void {
  if (record.error) throw new InputError(`${file}: line ${record.line}: ${record.error}`);
  if (record.fields.length !== layout.width) {
    throw new InputError(
      `${file}: line ${record.line} has ${record.fields.length} fields, expected ${layout.width}`,
    );
  }
  const { source } = layout;
  for (let j = 0; j < source.length; j++) {
    const field = record.fields[source[j]!]!;
    const value = parseValue(field);
    if (value === undefined) {
      throw new InputError(
        `${file}: line ${record.line}, column ${featureNames[j]}: "${field}" is not a number`,
      );
    }
    out[offset + j] = value;
  }
}
