import { z } from 'zod';
import rawSchema from '../../data/schema/home-credit.json' with { type: 'json' };

/**
 * The Home Credit schema, read from `data/schema/home-credit.json`: the single declaration of the seven Kaggle
 * tables (columns, types, categorical levels, keys) used by the importer, the demo generator and the features.
 */

const columnSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    type: z.enum(['integer', 'real', 'category']),
    levels: z.array(z.string()).optional(),
    notNull: z.boolean().default(false),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .refine((c) => (c.type === 'category') === (c.levels !== undefined), {
    message: 'a category column needs levels, and only a category column has them',
  });

const tableSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    files: z.array(z.object({ name: z.string(), withoutColumns: z.array(z.string()).default([]) }).strict()),
    primaryKey: z.string().nullable(),
    indexes: z.array(z.string()),
    columns: z.array(columnSchema),
  })
  .strict();

const schemaSchema = z
  .object({ $comment: z.string(), version: z.number().int(), tables: z.array(tableSchema) })
  .strict();

export type ColumnSpec = z.infer<typeof columnSchema>;
export type TableSpec = z.infer<typeof tableSchema>;
export type FileSpec = TableSpec['files'][number];
export type TableName =
  | 'application'
  | 'bureau'
  | 'bureau_balance'
  | 'previous_application'
  | 'POS_CASH_balance'
  | 'installments_payments'
  | 'credit_card_balance';

function loadSchema(): { version: number; tables: TableSpec[] } {
  const parsed = schemaSchema.parse(rawSchema);
  for (const table of parsed.tables) {
    const names = new Set(table.columns.map((c) => c.name));
    for (const key of [table.primaryKey, ...table.indexes]) {
      if (key !== null && !names.has(key)) throw new Error(`schema: ${table.name} has no column ${key}`);
    }
  }
  return parsed;
}

export const schema = loadSchema();

/** Tables in load order: parents before children, so orphans can be counted as each child arrives. */
export const tables: readonly TableSpec[] = schema.tables;

export function tableSpec(name: TableName): TableSpec {
  const table = tables.find((t) => t.name === name);
  if (!table) throw new Error(`schema: no table named ${name}`);
  return table;
}

export function columnSpec(table: TableName, column: string): ColumnSpec {
  const spec = tableSpec(table).columns.find((c) => c.name === column);
  if (!spec) throw new Error(`schema: table ${table} has no column ${column}`);
  return spec;
}

/** The table and file entry a CSV file name stands for, matched case-insensitively; undefined if none. */
export function fileSpecFor(fileName: string): { table: TableSpec; file: FileSpec } | undefined {
  const wanted = fileName.toLowerCase();
  for (const table of tables) {
    const file = table.files.find((f) => f.name.toLowerCase() === wanted);
    if (file) return { table, file };
  }
  return undefined;
}

export function sqlType(column: ColumnSpec): 'INTEGER' | 'REAL' | 'TEXT' {
  return column.type === 'category' ? 'TEXT' : column.type === 'integer' ? 'INTEGER' : 'REAL';
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function createTableSql(table: TableSpec): string {
  const cols = table.columns.map((c) => {
    const pk = c.name === table.primaryKey ? ' PRIMARY KEY' : '';
    const notNull = c.notNull && !pk ? ' NOT NULL' : '';
    return `  ${quoteIdent(c.name)} ${sqlType(c)}${pk}${notNull}`;
  });
  return `CREATE TABLE ${quoteIdent(table.name)} (\n${cols.join(',\n')}\n) STRICT`;
}

export function indexName(table: TableSpec, column: string): string {
  return `idx_${table.name}_${column}`;
}

export function createIndexSql(table: TableSpec): string[] {
  return table.indexes.map(
    (col) =>
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName(table, col))} ON ${quoteIdent(table.name)} (${quoteIdent(col)})`,
  );
}
