import { quoteIdent, tableSpec } from '../data/schema.ts';
import { VAR_SAMP } from './varSamp.ts';
import {
  applicationBlock,
  features,
  inputName,
  recipe,
  type Agg,
  type Block,
  type Feature,
  type GroupFilter,
  type Input,
} from './recipe.ts';

/**
 * The recipe as SQL. Each block is one statement whose client filter is the only thing that varies between the
 * batch (every client, or a set of clients), one client on demand, and an edited application: the same text, so
 * training and serving cannot drift apart.
 *
 * pandas semantics kept here (docs/features.md): SUM is TOTAL (0 over all-missing values, NULL when the group
 * has no row), VAR is `var_samp` (pandas' own one-pass update, see varSamp.ts), a division by zero is missing
 * (pandas gives ±inf/NaN).
 */

export type ClientFilter =
  | { kind: 'all' }
  /** One client, bound as the named parameter `@client`. */
  | { kind: 'one' }
  /** The clients listed in the connection's `temp.feature_clients` table. */
  | { kind: 'set' };

export const CLIENT_SET_TABLE = 'temp.feature_clients';

function clientPredicate(filter: ClientFilter, column: string): string {
  switch (filter.kind) {
    case 'all':
      return '1';
    case 'one':
      return `${column} = @client`;
    case 'set':
      return `${column} IN (SELECT SK_ID_CURR FROM ${CLIENT_SET_TABLE})`;
  }
}

function literal(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/** The row-level SQL of an input, reading the block's table through `alias`. */
function inputSql(input: Input, alias: string): string {
  switch (input.kind) {
    case 'column': {
      const column = `${alias}.${quoteIdent(input.column)}`;
      return input.sentinel === undefined ? column : `NULLIF(${column}, ${input.sentinel})`;
    }
    case 'code': {
      const cases = Object.entries(input.codes).map(([level, code]) => `WHEN ${literal(level)} THEN ${code}`);
      return `(CASE ${alias}.${quoteIdent(input.column)} ${cases.join(' ')} END)`;
    }
    case 'level':
      return `(${alias}.${quoteIdent(input.column)} IS ${input.level === null ? 'NULL' : literal(input.level)})`;
    case 'derived': {
      const [x, y] = input.of.map((i) => inputSql(i, alias));
      switch (input.op) {
        // CAST: two INTEGER columns would otherwise divide as integers.
        case 'ratio':
          return `(CAST(${x} AS REAL) / NULLIF(${y}, 0))`;
        case 'difference':
          return `(${x} - ${y})`;
        // CASE rather than MAX(d, 0): the kernel's `x if x > 0 else 0` maps a missing date to 0, not to missing.
        case 'positiveDifference':
          return `(CASE WHEN ${x} - ${y} > 0 THEN ${x} - ${y} ELSE 0 END)`;
      }
      break;
    }
    case 'detail':
      return `detail.${quoteIdent(inputName(input))}`;
    case 'row':
      throw new Error('a row count has no row-level input');
  }
}

/**
 * The application block, one row per client: `id`, `target`, then the block's features. `source` is the
 * application table, or a one-row subquery of bound parameters for an edited application.
 */
function applicationSelect(source: string, filter: ClientFilter): string {
  const { excludeRows } = recipe.application;
  const blockFeatures = features.slice(applicationBlock.start, applicationBlock.end);
  return `SELECT a."SK_ID_CURR" AS id, a."TARGET" AS target,
  ${blockFeatures.map((f) => `${inputSql(f.input, 'a')} AS ${quoteIdent(f.name)}`).join(',\n  ')}
FROM ${source} AS a
WHERE a.${quoteIdent(excludeRows.column)} IS NOT ${literal(excludeRows.level)}
  AND ${clientPredicate(filter, 'a."SK_ID_CURR"')}`;
}

export function applicationSql(filter: ClientFilter): string {
  return applicationSelect('"application"', filter);
}

/** The application block over one application given as bound parameters, in the schema's column order. */
export function boundApplicationSql(): string {
  const columns = tableSpec('application').columns.map((c) => `? AS ${quoteIdent(c.name)}`);
  return applicationSelect(`(SELECT ${columns.join(', ')})`, { kind: 'all' });
}

/**
 * Collects the distinct SQL fragments one statement computes, so that an aggregate several features need (a
 * group's row count, a total shared by a SUM and a MEAN) is computed once.
 */
class Fragments {
  private readonly byText = new Map<string, string>();
  constructor(private readonly prefix: string) {}
  alias(sql: string): string {
    let alias = this.byText.get(sql);
    if (!alias) {
      alias = `${this.prefix}${this.byText.size}`;
      this.byText.set(sql, alias);
    }
    return alias;
  }
  select(): string {
    return [...this.byText].map(([sql, alias]) => `${sql} AS ${alias}`).join(',\n    ');
  }
  get size(): number {
    return this.byText.size;
  }
}

function rawAggregate(agg: Agg, x: string, filter: string): string {
  switch (agg) {
    case 'MIN':
      return `MIN(${x})${filter}`;
    case 'MAX':
      return `MAX(${x})${filter}`;
    case 'MEAN':
      return `AVG(${x})${filter}`;
    case 'SUM':
      return `TOTAL(${x})${filter}`;
    case 'SIZE':
      return `COUNT(*)${filter}`;
    case 'NUNIQUE':
      return `COUNT(DISTINCT ${x})${filter}`;
    case 'VAR':
      return `${VAR_SAMP}(${x})${filter}`;
  }
}

/**
 * An aggregate of a one-hot dummy, from `k` rows at the level among `n` rows: one COUNT per level and row instead
 * of a sum of 0/1 values per aggregate, with the same results (the variance of 0/1 values is k(n−k)/(n(n−1))).
 */
function levelAggregate(agg: Agg, k: string, n: string): string {
  switch (agg) {
    case 'MEAN':
      return `(CAST(${k} AS REAL) / ${n})`;
    case 'SUM':
      return `(CASE WHEN ${n} > 0 THEN CAST(${k} AS REAL) END)`;
    case 'MIN':
      return `(CASE WHEN ${n} > 0 THEN ${k} = ${n} END)`;
    case 'MAX':
      return `(CASE WHEN ${n} > 0 THEN ${k} > 0 END)`;
    case 'VAR':
      return `(CASE WHEN ${n} > 1 THEN CAST(${k} * (${n} - ${k}) AS REAL) / (${n} * (${n} - 1)) END)`;
    case 'SIZE':
    case 'NUNIQUE':
      throw new Error(`${agg} of a dummy is not in the recipe`);
  }
}

/**
 * A history block: the recipe's aggregates of one table per client (`id`, then the block's features). The
 * filtered groups (ACTIVE_, APPROVED_, ...) are computed in the same pass with FILTER clauses; a client with no
 * row in such a group gets missing everywhere in it, as after the kernel's left join of the filtered frame.
 */
export function historySql(block: Block, filter: ClientFilter): string {
  const inputs = new Fragments('x');
  const flags = new Fragments('w');
  const aggs = new Fragments('a');
  const blockFeatures = features.slice(block.start, block.end);

  const whereSql = (where: GroupFilter) => `(t.${quoteIdent(where.column)} IS ${literal(where.level)})`;
  // An input that is also summed: its mean is TOTAL / COUNT, the very value AVG gives, for one sum less.
  const summed = new Set(blockFeatures.filter((f) => f.agg === 'SUM').map((f) => groupKey(f)));

  const featureSql = (f: Feature): string => {
    const where = f.where ? ` FILTER (WHERE ${flags.alias(whereSql(f.where))})` : '';
    const rowsInGroup = f.where ? `agg.${aggs.alias(`COUNT(*)${where}`)}` : undefined;
    const agg = f.agg!;
    if (agg === 'SIZE') return emptyIsMissing(`agg.${aggs.alias(`COUNT(*)${where}`)}`);
    const x = inputs.alias(inputSql(f.input, 't'));
    if (f.input.kind === 'level') {
      const atLevel = f.where ? `${x} AND ${flags.alias(whereSql(f.where))}` : x;
      return levelAggregate(
        agg,
        `agg.${aggs.alias(`COUNT(*) FILTER (WHERE ${atLevel})`)}`,
        `agg.${aggs.alias(`COUNT(*)${where}`)}`,
      );
    }
    if (agg === 'MEAN' && summed.has(groupKey(f)))
      return `(agg.${aggs.alias(`TOTAL(${x})${where}`)} / agg.${aggs.alias(`COUNT(${x})${where}`)})`;
    const value = `agg.${aggs.alias(rawAggregate(agg, `src.${x}`, where))}`;
    return agg === 'SUM' || agg === 'NUNIQUE' ? emptyIsMissing(value) : value;

    function emptyIsMissing(sql: string): string {
      return rowsInGroup ? `(CASE WHEN ${rowsInGroup} > 0 THEN ${sql} END)` : sql;
    }
  };
  function groupKey(f: Feature): string {
    return `${inputSql(f.input, 't')} ${f.where ? whereSql(f.where) : ''}`;
  }

  const selected = blockFeatures.map((f) => `${featureSql(f)} AS ${quoteIdent(f.name)}`);
  const table = quoteIdent(block.table);
  const ctes: string[] = [];
  let join = '';
  if (block.detail) {
    const { detail } = block;
    const key = quoteIdent(detail.key);
    const detailAggs = detail.outputs.map((o) => {
      if (o.kind !== 'detail') throw new Error('a detail output is an aggregate');
      const x = o.input.kind === 'row' ? '' : inputSql(o.input, 'd');
      const sql =
        o.input.kind === 'level'
          ? levelAggregate(o.agg, `COUNT(*) FILTER (WHERE ${x})`, 'COUNT(*)')
          : rawAggregate(o.agg, x, '');
      return `${sql} AS ${quoteIdent(inputName(o))}`;
    });
    const detailFilter =
      filter.kind === 'all'
        ? '1'
        : `d.${key} IN (SELECT ${key} FROM ${table} WHERE ${clientPredicate(filter, '"SK_ID_CURR"')})`;
    ctes.push(`detail AS MATERIALIZED (
  SELECT d.${key} AS k,
    ${detailAggs.join(',\n    ')}
  FROM ${quoteIdent(detail.table)} AS d
  WHERE ${detailFilter}
  GROUP BY d.${key})`);
    join = ` LEFT JOIN detail ON detail.k = t.${key}`;
  }
  const flagSelect = flags.size > 0 ? `,\n    ${flags.select()}` : '';
  ctes.push(`src AS (
  SELECT t."SK_ID_CURR" AS id,
    ${inputs.select()}${flagSelect}
  FROM ${table} AS t${join}
  WHERE ${clientPredicate(filter, 't."SK_ID_CURR"')})`);
  ctes.push(`agg AS (
  SELECT src.id,
    ${aggs.select()}
  FROM src GROUP BY src.id)`);
  return `WITH ${ctes.join(',\n')}
SELECT agg.id,
  ${selected.join(',\n  ')}
FROM agg`;
}
