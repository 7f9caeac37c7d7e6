import { z } from 'zod';
import rawColumns from '../../data/features/columns.json' with { type: 'json' };
import rawWording from '../../data/features/wording.json' with { type: 'json' };
import type { Lang } from '../api/contract.ts';

/**
 * Labels of stored columns and of their categorical levels, for the client file and its timelines: read from the
 * wording data the feature catalogue is built from (data/features/columns.json). The catalogue describes features
 * (a categorical column becomes one flag per level); the client file shows the column itself, its level in words.
 */

const text = z.object({ fr: z.string(), en: z.string() });
const columnWording = z.object({
  fr: z.union([z.string(), z.object({ head: z.string(), rest: z.string() })]),
  en: z.string(),
  levels: z.record(z.string(), text).optional(),
});
const tableNames = ['application', 'bureau', 'previous_application'] as const;
export type LabelledTable = (typeof tableNames)[number];

const columns = z
  .object(
    Object.fromEntries(tableNames.map((t) => [t, z.record(z.string(), columnWording)])) as {
      [T in LabelledTable]: z.ZodRecord<z.ZodString, typeof columnWording>;
    },
  )
  .parse(rawColumns);
const wording = z.object({ missingLevel: text }).parse(rawWording);

/** Levels of binary columns that columns.json describes by their 0/1 coding rather than level by level. */
const BINARY_LEVELS: Record<string, { fr: string; en: string }> = {
  Y: { fr: 'oui', en: 'yes' },
  N: { fr: 'non', en: 'no' },
  F: { fr: 'femme', en: 'woman' },
  M: { fr: 'homme', en: 'man' },
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Type de contrat"; for a binary-coded column the coding note is left out ("Possède une voiture"). */
export function columnLabel(table: LabelledTable, column: string, lang: Lang): string | undefined {
  const meta = columns[table][column];
  if (!meta) return undefined;
  const label = lang === 'fr' ? (typeof meta.fr === 'string' ? meta.fr : meta.fr.head) : meta.en;
  return capitalize(label.replace(/\s*\([^)]*=[^)]*\)\s*$/, ''));
}

/** A categorical level in words ("prêt en espèces"); the level itself when no wording is known. */
export function levelLabel(table: LabelledTable, column: string, level: string, lang: Lang): string {
  const known = columns[table][column]?.levels?.[level] ?? BINARY_LEVELS[level];
  if (known) return known[lang];
  return level === 'XNA' ? wording.missingLevel[lang] : level;
}

/** "non renseigné" / "not recorded". */
export function missingText(lang: Lang): string {
  return wording.missingLevel[lang];
}
