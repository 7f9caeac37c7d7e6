import { z } from 'zod';
import rawRecipe from '../../data/features/recipe.json' with { type: 'json' };
import { columnSpec, tableSpec, type TableName } from '../data/schema.ts';

/**
 * The kernel's recipe (`data/features/recipe.json`) expanded with the schema's level lists into the ordered list
 * of features. This list is the one definition that the SQL generator, the catalogue and the model share.
 */

const AGGS = ['MIN', 'MAX', 'MEAN', 'SUM', 'VAR', 'SIZE', 'NUNIQUE'] as const;
export type Agg = (typeof AGGS)[number];

const tableName = z.enum([
  'application',
  'bureau',
  'bureau_balance',
  'previous_application',
  'POS_CASH_balance',
  'installments_payments',
  'credit_card_balance',
]);
const derivedSchema = z
  .object({
    name: z.string(),
    op: z.enum(['ratio', 'difference', 'positiveDifference']),
    of: z.tuple([z.string(), z.string()]),
  })
  .strict();
const aggsSchema = z.array(z.enum(AGGS)).nonempty();
const entrySchema = z.union([
  z.object({ column: z.string(), aggs: aggsSchema }).strict(),
  z.object({ dummiesOf: z.union([z.literal('all'), z.array(z.string())]), aggs: aggsSchema }).strict(),
  z.object({ detailDummiesOf: z.array(z.string()), aggs: aggsSchema }).strict(),
  z.object({ everyColumn: z.object({ except: z.array(z.string()) }).strict(), aggs: aggsSchema }).strict(),
  z.object({ set: z.string() }).strict(),
  z.object({ rowCount: z.string() }).strict(),
]);
type Entry = z.infer<typeof entrySchema>;
const levelRef = z.object({ column: z.string(), level: z.string() }).strict();
const recipeSchema = z
  .object({
    $comment: z.string(),
    version: z.number().int(),
    application: z
      .object({
        table: z.literal('application'),
        keys: z.array(z.string()),
        excludeRows: levelRef,
        codes: z.record(z.string(), z.record(z.string(), z.number())),
        sentinels: z.record(z.string(), z.number()),
        derived: z.array(derivedSchema),
      })
      .strict(),
    history: z.array(
      z
        .object({
          name: z.string(),
          table: tableName,
          detail: z
            .object({ table: tableName, key: z.string(), entries: z.array(entrySchema) })
            .strict()
            .optional(),
          derived: z.array(derivedSchema).default([]),
          sets: z.record(z.string(), z.array(entrySchema)).default({}),
          groups: z.array(
            z
              .object({ prefix: z.string(), where: levelRef.optional(), entries: z.array(entrySchema) })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

export type DerivedOp = z.infer<typeof derivedSchema>['op'];

/** What a feature reads on each row of its table, before any aggregation. */
export type Input =
  /** A stored column, passed through (a recipe sentinel value read as missing). */
  | { kind: 'column'; table: TableName; column: string; sentinel?: number }
  /** A binary text column as the kernel's `pd.factorize` codes it; any other value is missing. */
  | { kind: 'code'; table: TableName; column: string; codes: Record<string, number> }
  /** One-hot indicator: 1 when the column holds `level`, else 0; `level` null is the `_nan` dummy. */
  | { kind: 'level'; table: TableName; column: string; level: string | null }
  | { kind: 'derived'; table: TableName; name: string; op: DerivedOp; of: [Input, Input] }
  /** A per-credit aggregate of the detail table (bureau_balance), joined onto each bureau row. */
  | { kind: 'detail'; table: TableName; input: Input; agg: Agg }
  | { kind: 'row'; table: TableName };

export interface GroupFilter {
  column: string;
  level: string;
}

export interface Feature {
  /** Position in the feature vector. */
  index: number;
  name: string;
  block: string;
  input: Input;
  /** Undefined for application features, which are one value per client. */
  agg?: Agg;
  /** The kernel's block prefix (BURO_, ACTIVE_, ...); undefined for application features. */
  prefix?: string;
  /** Rows the aggregate keeps (ACTIVE_, CLOSED_, APPROVED_, REFUSED_). */
  where?: GroupFilter;
}

export interface Block {
  name: string;
  table: TableName;
  /** Half-open range of the block's features in the vector. */
  start: number;
  end: number;
  detail?: { table: TableName; key: string; outputs: Input[] };
}

export class RecipeError extends Error {
  override name = 'RecipeError';
}

/** Levels in the order `pd.get_dummies` gives them: sorted by code point, whatever the schema's order. */
export function dummyLevels(table: TableName, column: string): string[] {
  const spec = columnSpec(table, column);
  if (spec.type !== 'category') throw new RecipeError(`${table}.${column} is not a categorical column`);
  return [...spec.levels!].sort();
}

export function inputName(input: Input): string {
  switch (input.kind) {
    case 'column':
    case 'code':
      return input.column;
    case 'level':
      return `${input.column}_${input.level ?? 'nan'}`;
    case 'derived':
      return input.name;
    case 'detail':
      return `${inputName(input.input)}_${input.agg}`;
    case 'row':
      return '';
  }
}

/** The stored columns a feature is computed from, as `table.column`. */
export function inputSources(input: Input): string[] {
  switch (input.kind) {
    case 'column':
    case 'code':
    case 'level':
      return [`${input.table}.${input.column}`];
    case 'derived':
      return [...new Set(input.of.flatMap(inputSources))];
    case 'detail':
      return inputSources(input.input);
    case 'row':
      return [];
  }
}

function categoricalColumns(table: TableName): string[] {
  return tableSpec(table)
    .columns.filter((c) => c.type === 'category')
    .map((c) => c.name);
}

function dummies(table: TableName, columns: string[], withNan: boolean): Input[] {
  return columns.flatMap((column) => [
    ...dummyLevels(table, column).map((level): Input => ({ kind: 'level', table, column, level })),
    ...(withNan ? [{ kind: 'level', table, column, level: null } as Input] : []),
  ]);
}

function expand(): { features: Feature[]; blocks: Block[] } {
  const recipe = recipeSchema.parse(rawRecipe);
  const features: Feature[] = [];
  const blocks: Block[] = [];
  const push = (feature: Omit<Feature, 'index'>) => {
    if (features.some((f) => f.name === feature.name))
      throw new RecipeError(`recipe: two features are named ${feature.name}`);
    features.push({ index: features.length, ...feature });
  };

  const app = recipe.application;
  const appColumn = (column: string): Input => {
    const spec = columnSpec(app.table, column);
    if (spec.type === 'category') throw new RecipeError(`recipe: application.${column} is categorical`);
    const sentinel = app.sentinels[column];
    return sentinel === undefined
      ? { kind: 'column', table: app.table, column }
      : { kind: 'column', table: app.table, column, sentinel };
  };
  const appInputs: Input[] = [];
  const appDummyColumns: string[] = [];
  for (const spec of tableSpec(app.table).columns) {
    if (app.keys.includes(spec.name)) continue;
    const codes = app.codes[spec.name];
    if (codes) appInputs.push({ kind: 'code', table: app.table, column: spec.name, codes });
    else if (spec.type === 'category') appDummyColumns.push(spec.name);
    else appInputs.push(appColumn(spec.name));
  }
  // The kernel one-hot encodes the application without `_nan` columns: a missing category is 0 everywhere.
  appInputs.push(...dummies(app.table, appDummyColumns, false));
  for (const d of app.derived) {
    appInputs.push({
      kind: 'derived',
      table: app.table,
      name: d.name,
      op: d.op,
      of: [appColumn(d.of[0]), appColumn(d.of[1])],
    });
  }
  for (const input of appInputs) push({ name: inputName(input), block: 'application', input });
  blocks.push({ name: 'application', table: app.table, start: 0, end: features.length });

  for (const block of recipe.history) {
    const start = features.length;
    const { table } = block;
    const detailOutputs: Input[] = [];
    if (block.detail) {
      const detail = block.detail;
      columnSpec(detail.table, detail.key);
      columnSpec(table, detail.key);
      for (const entry of detail.entries) {
        for (const { input, agg } of entryInputs(entry, detail.table, [], {}, [])) {
          detailOutputs.push({ kind: 'detail', table: detail.table, input, agg });
        }
      }
    }
    const derived = new Map<string, Input>();
    const resolve = (name: string): Input => {
      const fromDetail = detailOutputs.find((o) => inputName(o) === name);
      if (fromDetail) return fromDetail;
      const fromDerived = derived.get(name);
      if (fromDerived) return fromDerived;
      const spec = columnSpec(table, name);
      if (spec.type === 'category') throw new RecipeError(`recipe: ${table}.${name} is categorical`);
      return { kind: 'column', table, column: name };
    };
    for (const d of block.derived) {
      derived.set(d.name, {
        kind: 'derived',
        table,
        name: d.name,
        op: d.op,
        of: [resolve(d.of[0]), resolve(d.of[1])],
      });
    }
    for (const group of block.groups) {
      if (group.where && !dummyLevels(table, group.where.column).includes(group.where.level)) {
        throw new RecipeError(`recipe: ${table}.${group.where.column} has no level ${group.where.level}`);
      }
      for (const entry of group.entries) {
        for (const { input, agg, name } of entryInputs(
          entry,
          table,
          detailOutputs,
          block.sets,
          [],
          resolve,
        )) {
          push({
            name: `${group.prefix}${name ?? `${inputName(input)}_${agg}`}`,
            block: block.name,
            input,
            agg,
            prefix: group.prefix,
            ...(group.where ? { where: group.where } : {}),
          });
        }
      }
    }
    blocks.push({
      name: block.name,
      table,
      start,
      end: features.length,
      ...(block.detail
        ? { detail: { table: block.detail.table, key: block.detail.key, outputs: detailOutputs } }
        : {}),
    });
  }
  return { features, blocks };

  function entryInputs(
    entry: Entry,
    table: TableName,
    detailOutputs: Input[],
    sets: Record<string, Entry[]>,
    seen: string[],
    resolve: (name: string) => Input = (name) => {
      columnSpec(table, name);
      return { kind: 'column', table, column: name };
    },
  ): { input: Input; agg: Agg; name?: string }[] {
    const withAggs = (inputs: Input[], aggs: Agg[]) =>
      inputs.flatMap((input) => aggs.map((agg) => ({ input, agg })));
    if ('set' in entry) {
      const set = sets[entry.set];
      if (!set || seen.includes(entry.set)) throw new RecipeError(`recipe: unknown set ${entry.set}`);
      return set.flatMap((e) => entryInputs(e, table, detailOutputs, sets, [...seen, entry.set], resolve));
    }
    // A row count is named by the recipe (POS_COUNT), not by the <column>_<AGG> pattern.
    if ('rowCount' in entry) return [{ input: { kind: 'row', table }, agg: 'SIZE', name: entry.rowCount }];
    if ('column' in entry) return withAggs([resolve(entry.column)], entry.aggs);
    if ('dummiesOf' in entry) {
      const columns = entry.dummiesOf === 'all' ? categoricalColumns(table) : entry.dummiesOf;
      return withAggs(dummies(table, columns, true), entry.aggs);
    }
    if ('detailDummiesOf' in entry) {
      const chosen = detailOutputs.filter(
        (o) =>
          o.kind === 'detail' && o.input.kind === 'level' && entry.detailDummiesOf.includes(o.input.column),
      );
      if (chosen.length === 0)
        throw new RecipeError(`recipe: no detail dummies of ${entry.detailDummiesOf.join(', ')}`);
      return withAggs(chosen, entry.aggs);
    }
    // pandas aggregates every remaining column in frame order: numeric ones, then the dummies appended last.
    const spec = tableSpec(table);
    const excluded = new Set([...entry.everyColumn.except, 'SK_ID_CURR']);
    const numeric = spec.columns
      .filter((c) => c.type !== 'category' && !excluded.has(c.name))
      .map((c): Input => ({ kind: 'column', table, column: c.name }));
    return withAggs([...numeric, ...dummies(table, categoricalColumns(table), true)], entry.aggs);
  }
}

const expanded = expand();

/** Every feature, in vector order: the 795 of the kernel. */
export const features: readonly Feature[] = expanded.features;
export const featureNames: readonly string[] = features.map((f) => f.name);
/** application, bureau, previous, pos, installments, creditCard: contiguous ranges of the vector. */
export const blocks: readonly Block[] = expanded.blocks;
export const applicationBlock: Block = blocks[0]!;
export const historyBlocks: readonly Block[] = blocks.slice(1);
export const recipe = recipeSchema.parse(rawRecipe);

export function featureIndex(name: string): number {
  const index = featureNames.indexOf(name);
  if (index < 0) throw new RecipeError(`no feature named ${name}`);
  return index;
}
