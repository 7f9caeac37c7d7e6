import { z } from 'zod';
import rawColumns from '../../data/features/columns.json' with { type: 'json' };
import rawProtected from '../../data/features/protected.json' with { type: 'json' };
import rawWording from '../../data/features/wording.json' with { type: 'json' };
import { tableSpec } from '../data/schema.ts';
import { type Catalogue, type CatalogueEntry, familySchema, textSchema as text } from './catalogueSchema.ts';
import { features, inputName, inputSources, type Agg, type Feature, type Input } from './recipe.ts';

/**
 * Builds the feature catalogue (data/features/catalogue.json) from the recipe and the wording data: per-column
 * labels and units (columns.json), per-prefix scopes and per-aggregate templates (wording.json), and the protected
 * attributes (protected.json). Run by scripts/build-catalogue.ts; a test fails when the committed file differs.
 */

const unit = z.enum([
  'days',
  'months',
  'hours',
  'years',
  'amount',
  'count',
  'ratio',
  'score',
  'flag',
  'code',
]);
const frenchNoun = z.object({ head: z.string(), rest: z.string(), gender: z.enum(['m', 'f']) }).strict();
const level = text.extend({ family: z.string().optional() }).strict();
const columnMeta = z
  .object({
    en: z.string(),
    fr: z.union([z.string(), frenchNoun]),
    unit,
    family: z.string().optional(),
    actionable: z.boolean().optional(),
    sensitive: z.boolean().optional(),
    phrase: text.optional(),
    levels: z.record(z.string(), level).optional(),
  })
  .strict();
const table = z.record(z.string(), columnMeta);
const columnsSchema = z
  .object({
    $comment: z.string(),
    application: table,
    applicationPatterns: z
      .object({
        building: z
          .object({
            statistics: z.record(z.string(), text),
            measures: z.record(z.string(), text),
            template: text,
            unit,
            family: z.string(),
          })
          .strict(),
        documents: z.object({ template: text, unit, family: z.string(), actionable: z.boolean() }).strict(),
      })
      .strict(),
    bureau: table,
    bureau_balance: table,
    previous_application: table,
    POS_CASH_balance: table,
    installments_payments: table,
    credit_card_balance: table,
  })
  .strict();
const wordingSchema = z
  .object({
    $comment: z.string(),
    families: z.array(familySchema),
    prefixes: z.record(z.string(), z.object({ scope: text, items: text, family: z.string() }).strict()),
    aggregates: z.record(z.string(), text),
    levels: z.record(z.string(), text),
    missingLevel: text,
    overrides: z.record(z.string(), text),
  })
  .strict();
const protectedSchema = z.object({ $comment: z.string(), attributes: z.array(z.string()) }).strict();

type Meta = z.infer<typeof columnMeta>;
type Unit = z.infer<typeof unit>;
type Text = z.infer<typeof text>;

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const tidy = (s: string) => s.replace(/\s+/g, ' ').replace(/ ,/g, ',').trim();
/** French elides "de" before a vowel ("nombre d'échéances"); templates cannot know what fills them. */
const elideFrench = (s: string) => s.replace(/\bde ([aeiouyâàéèêîôû])/gi, "d'$1");

/** French "de" before a noun phrase: du, de la, de l', des. */
function frenchOf(noun: z.infer<typeof frenchNoun>): string {
  if (/^[aeiouyhâàéèêîôû]/i.test(noun.head)) return `de l'${noun.head}`;
  return noun.gender === 'f' ? `de la ${noun.head}` : `du ${noun.head}`;
}

/** Fills a template: {Head}/{head}/{rest}/{of} for a French noun, {label} in English, {m|f} agreement forms. */
function fillFrench(template: string, noun: z.infer<typeof frenchNoun>): string {
  return template
    .replace(/\{of\} \{head\}/g, frenchOf(noun))
    .replace(/\{Head\}/g, capitalize(noun.head))
    .replace(/\{head\}/g, noun.head)
    .replace(/\{rest\}/g, noun.rest)
    .replace(/\{([^{}|]+)\|([^{}|]+)\}/g, (_, masculine: string, feminine: string) =>
      noun.gender === 'f' ? feminine : masculine,
    );
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function formatOf(unitName: string, agg: Agg | null): string {
  const wholeUnits = ['days', 'months', 'hours', 'years', 'count'];
  if (unitName === 'variance') return 'decimal:2';
  if (unitName === 'share') return 'percent:1';
  if (unitName === 'amount') return 'currency:0';
  if (unitName === 'flag') return 'flag';
  if (unitName === 'code') return agg === 'MEAN' ? 'decimal:2' : 'code';
  if (wholeUnits.includes(unitName)) return agg === 'MEAN' ? 'decimal:1' : 'integer';
  return 'decimal:3';
}

/** `protectedColumns`: the application columns whose features are protected (default: protected.json's). */
export function buildCatalogue(
  protectedColumns: readonly string[] = protectedSchema.parse(rawProtected).attributes,
): Catalogue {
  const columns = columnsSchema.parse(rawColumns);
  const wording = wordingSchema.parse(rawWording);
  const applicationColumns = new Set(tableSpec('application').columns.map((c) => c.name));
  for (const column of protectedColumns) {
    if (!applicationColumns.has(column))
      throw new CatalogueError(`protected attribute ${column} is not a column of the application table`);
  }
  const familyIds = new Set(wording.families.map((f) => f.id));

  const metaOf = (tableName: string, column: string): Meta => {
    if (tableName === 'application') return applicationMeta(column);
    const meta = (columns as unknown as Record<string, Record<string, Meta>>)[tableName]?.[column];
    if (!meta) throw new CatalogueError(`columns.json: no entry for ${tableName}.${column}`);
    return meta;
  };

  function applicationMeta(column: string): Meta {
    const meta = columns.application[column];
    if (meta) return meta;
    const { building, documents } = columns.applicationPatterns;
    const document = /^FLAG_DOCUMENT_(\d+)$/.exec(column);
    if (document) {
      const number = document[1]!;
      return {
        fr: fill(documents.template.fr, { n: number }),
        en: fill(documents.template.en, { n: number }),
        unit: documents.unit,
        family: documents.family,
        actionable: documents.actionable,
      };
    }
    const statistic = /^(.*)_(AVG|MODE|MEDI)$/.exec(column);
    const measure = statistic && building.measures[statistic[1]!];
    if (statistic && measure) {
      const name = building.statistics[statistic[2]!]!;
      return {
        fr: fill(building.template.fr, { measure: measure.fr, statistic: name.fr }),
        en: fill(building.template.en, { measure: measure.en, statistic: name.en }),
        unit: building.unit,
        family: building.family,
      };
    }
    throw new CatalogueError(`columns.json: no entry for application.${column}`);
  }

  /** The column an input reads, and its metadata; for a bureau_balance aggregate, the detail column's. */
  const rootInput = (input: Input): Input => (input.kind === 'detail' ? input.input : input);
  const inputMeta = (input: Input): Meta => {
    const root = rootInput(input);
    switch (root.kind) {
      case 'column':
      case 'code':
      case 'level':
        return metaOf(root.table, root.column);
      case 'derived':
        return metaOf(root.table, root.name);
      default:
        throw new CatalogueError(`no column metadata for a ${root.kind} input`);
    }
  };

  const levelLabel = (meta: Meta, input: Extract<Input, { kind: 'level' }>): Text & { family?: string } => {
    if (input.level === null) return wording.missingLevel;
    const label = meta.levels?.[input.level];
    if (!label)
      throw new CatalogueError(`columns.json: no label for level "${input.level}" of ${input.column}`);
    return label;
  };

  function describe(feature: Feature): { description: Text; unit: string; family?: string } {
    const { input } = feature;
    const agg = feature.agg ?? null;
    if (agg === null) {
      const meta = inputMeta(input);
      if (input.kind === 'level') {
        const label = levelLabel(meta, input);
        const template = wording.levels.application!;
        const column = { fr: meta.fr as string, en: meta.en };
        return {
          description: {
            fr: capitalize(fill(template.fr, { column: column.fr, level: label.fr })),
            en: capitalize(fill(template.en, { column: column.en, level: label.en })),
          },
          unit: 'flag',
        };
      }
      if (typeof meta.fr !== 'string')
        throw new CatalogueError(`columns.json: application.${feature.name} needs a plain label`);
      return { description: { fr: capitalize(meta.fr), en: capitalize(meta.en) }, unit: meta.unit };
    }
    const prefix = wording.prefixes[feature.prefix!];
    if (!prefix) throw new CatalogueError(`wording.json: no prefix ${feature.prefix}`);
    const withScope = (t: Text): Text =>
      /\{(items|scope)\}/.test(t.fr + t.en) ? t : { fr: `${t.fr} {scope}`, en: `${t.en} {scope}` };
    const place = (t: Text, extra: Record<string, Text> = {}): Text => {
      const values = (lang: 'fr' | 'en') => ({
        items: prefix.items[lang],
        scope: prefix.scope[lang],
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v[lang]])),
      });
      return {
        fr: capitalize(elideFrench(tidy(fill(t.fr, values('fr'))))),
        en: capitalize(tidy(fill(t.en, values('en')))),
      };
    };
    const override = wording.overrides[`${inputName(input)}_${agg}`];
    const root = rootInput(input);

    if (root.kind === 'level') {
      const meta = inputMeta(input);
      const label = levelLabel(meta, root);
      if (!meta.phrase)
        throw new CatalogueError(`columns.json: ${root.column} needs a phrase for its levels`);
      const phrase = {
        fr: fill(meta.phrase.fr, { level: label.fr }),
        en: fill(meta.phrase.en, { level: label.en }),
      };
      const key = input.kind === 'detail' ? `detail${agg}` : agg;
      const template = wording.levels[key];
      if (!template) throw new CatalogueError(`wording.json: no level template ${key}`);
      const unitName = { MEAN: 'share', SUM: 'count', MIN: 'flag', MAX: 'flag', VAR: 'variance' }[
        agg as string
      ];
      return { description: place(template, { phrase }), unit: unitName ?? 'count', family: label.family };
    }
    if (override)
      return { description: place(withScope(override)), unit: unitOf(inputMeta(input).unit, agg) };
    if (agg === 'SIZE') return { description: place(wording.aggregates.SIZE!), unit: 'count' };
    const meta = inputMeta(input);
    if (input.kind === 'detail' || typeof meta.fr === 'string')
      throw new CatalogueError(`wording.json: no wording for ${feature.name} (add an override)`);
    const template = wording.aggregates[agg]!;
    const fr = fillFrench(template.fr, meta.fr);
    const en = fill(template.en, { label: meta.en });
    return { description: place(withScope({ fr, en })), unit: unitOf(meta.unit, agg) };
  }

  function unitOf(base: Unit, agg: Agg): string {
    if (agg === 'VAR') return 'variance';
    if (agg === 'NUNIQUE' || agg === 'SIZE') return 'count';
    if (base === 'flag' && agg === 'MEAN') return 'share';
    return base;
  }

  const entries = features.map((feature): CatalogueEntry => {
    const { description, unit: unitName, family: levelFamily } = describe(feature);
    const sources = inputSources(feature.input);
    const meta = feature.input.kind === 'row' ? undefined : inputMeta(feature.input);
    const family =
      levelFamily ??
      (feature.agg === undefined
        ? meta?.family
        : (meta?.family ?? wording.prefixes[feature.prefix!]!.family));
    if (!family || !familyIds.has(family))
      throw new CatalogueError(`${feature.name}: unknown reason family ${String(family)}`);
    const sourceTable = sources[0]?.split('.')[0] ?? feature.input.table;
    return {
      name: feature.name,
      block: feature.block,
      table: sourceTable,
      sources,
      aggregate: feature.agg ?? null,
      description,
      unit: unitName,
      format: formatOf(unitName, feature.agg ?? null),
      family,
      actionable: feature.agg === undefined && (meta?.actionable ?? false),
      sensitive: sources.some((s) => {
        const [tableName, column] = s.split('.') as [string, string];
        return tableName === 'application' && (applicationMeta(column).sensitive ?? false);
      }),
      protected: sources.some((s) => protectedColumns.some((c) => s === `application.${c}`)),
    };
  });
  return {
    $comment:
      'Generated by scripts/build-catalogue.ts from recipe.json, columns.json, wording.json and protected.json: do not edit by hand.',
    families: wording.families,
    features: entries,
  };
}
