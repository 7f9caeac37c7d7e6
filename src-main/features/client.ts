import type { ClientBase } from '../data/clientBase.ts';
import { quoteIdent, tableSpec } from '../data/schema.ts';
import { applicationBlock, features, historyBlocks, recipe } from './recipe.ts';
import { blockStatement, boundApplicationStatement, storedApplicationStatement } from './statements.ts';

/** Features of one client on demand, and of an edited application (what-if), with the batch's own SQL. */

export class FeatureError extends Error {
  override name = 'FeatureError';
}

/** Copies `count` values of a result row, from column `from`, into the vector at `at`; missing becomes NaN. */
export function writeRow(
  vector: Float64Array,
  at: number,
  row: unknown[],
  from: number,
  count: number,
): void {
  for (let k = 0; k < count; k++) {
    const value = row[from + k];
    vector[at + k] = value === null ? NaN : (value as number);
  }
}

function checkClientId(clientId: number): void {
  if (!Number.isSafeInteger(clientId) || clientId <= 0) {
    throw new FeatureError(`a client number (SK_ID_CURR) is a positive integer, not ${String(clientId)}`);
  }
}

/** Why a client has no application row in the feature matrix. */
function absentClient(db: ClientBase, clientId: number): FeatureError {
  const { column, level } = recipe.application.excludeRows;
  const value = db
    .prepare(`SELECT ${quoteIdent(column)} FROM application WHERE SK_ID_CURR = ?`)
    .pluck()
    .get(clientId) as string | null | undefined;
  if (value === undefined) return new FeatureError(`no client ${clientId} in the client base`);
  return new FeatureError(
    `client ${clientId} has ${column} = '${level}': the recipe leaves such applications out of the feature matrix`,
  );
}

/** The 795 features of one client (NaN = missing), computed now from the client base. */
export function clientFeatures(db: ClientBase, clientId: number): Float64Array {
  checkClientId(clientId);
  const vector = new Float64Array(features.length).fill(NaN);
  const params = { client: clientId };
  const application = blockStatement(db, applicationBlock, { kind: 'one' }).get(params) as
    unknown[] | undefined;
  if (!application) throw absentClient(db, clientId);
  writeRow(vector, applicationBlock.start, application, 2, application.length - 2);
  for (const block of historyBlocks) {
    const row = blockStatement(db, block, { kind: 'one' }).get(params) as unknown[] | undefined;
    if (row) writeRow(vector, block.start, row, 1, row.length - 1);
  }
  return vector;
}

/** The application amounts a what-if may change; the ratios built on them follow. */
export const EDITABLE_FIELDS = ['AMT_CREDIT', 'AMT_ANNUITY', 'AMT_GOODS_PRICE'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type ApplicationEdits = Partial<Record<EditableField, number>>;

const applicationColumns = tableSpec('application').columns.map((c) => c.name);

/**
 * The application block's features (the first 245 of the vector) of a client's application with some amounts
 * changed, computed by the application SQL over the edited row bound as parameters: the stored client is not
 * touched.
 */
export function editedApplicationFeatures(
  db: ClientBase,
  clientId: number,
  edits: ApplicationEdits,
): Float64Array {
  checkClientId(clientId);
  for (const [field, value] of Object.entries(edits)) {
    if (!(EDITABLE_FIELDS as readonly string[]).includes(field)) {
      throw new FeatureError(`${field} cannot be edited; editable fields: ${EDITABLE_FIELDS.join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new FeatureError(`${field} must be a positive amount, not ${String(value)}`);
    }
  }
  const stored = storedApplicationStatement(db).get(clientId) as unknown[] | undefined;
  if (!stored) throw absentClient(db, clientId);
  for (const [field, value] of Object.entries(edits)) stored[applicationColumns.indexOf(field)] = value;
  const row = boundApplicationStatement(db).get(stored) as unknown[] | undefined;
  if (!row) throw absentClient(db, clientId);
  const vector = new Float64Array(applicationBlock.end - applicationBlock.start);
  writeRow(vector, 0, row, 2, row.length - 2);
  return vector;
}

/** `vector` (the client's full feature vector) with its application block recomputed for `edits`; none: as is. */
export function withApplicationEdits(
  db: ClientBase,
  clientId: number,
  vector: Float64Array,
  edits: ApplicationEdits,
): Float64Array {
  if (Object.keys(edits).length > 0) vector.set(editedApplicationFeatures(db, clientId, edits), 0);
  return vector;
}
