import type { ClientBase, Statement } from '../data/clientBase.ts';
import { quoteIdent, tableSpec } from '../data/schema.ts';
import { applicationBlock, type Block } from './recipe.ts';
import { applicationSql, boundApplicationSql, historySql, type ClientFilter } from './sql.ts';
import { registerVarSamp } from './varSamp.ts';

/**
 * Prepared statements of the recipe, per connection: preparing the 795-feature SQL takes milliseconds, more
 * than running it for one client, so each connection prepares each statement once (after registering the
 * `var_samp` aggregate the statements use).
 */
const cache = new WeakMap<ClientBase, Map<string, Statement>>();

function prepared(db: ClientBase, key: string, sql: () => string): Statement {
  let statements = cache.get(db);
  if (!statements) {
    registerVarSamp(db);
    cache.set(db, (statements = new Map()));
  }
  let statement = statements.get(key);
  if (!statement) {
    statement = db.prepare(sql()).raw(true);
    statements.set(key, statement);
  }
  return statement;
}

/** The block's statement: rows of `SK_ID_CURR`, (`TARGET` for the application), then the block's features. */
export function blockStatement(db: ClientBase, block: Block, filter: ClientFilter): Statement {
  return prepared(db, `${block.name}:${filter.kind}`, () =>
    block === applicationBlock ? applicationSql(filter) : historySql(block, filter),
  );
}

/** The application block over one application bound as parameters (schema column order). */
export function boundApplicationStatement(db: ClientBase): Statement {
  return prepared(db, 'application:bound', boundApplicationSql);
}

/** One stored application row, every column in schema order: the input of an edited application. */
export function storedApplicationStatement(db: ClientBase): Statement {
  const columns = tableSpec('application').columns.map((c) => quoteIdent(c.name));
  return prepared(
    db,
    'application:stored',
    () => `SELECT ${columns.join(', ')} FROM application WHERE SK_ID_CURR = ?`,
  );
}
