import { z } from 'zod';
import rawWording from '../../data/features/explanations.json' with { type: 'json' };
import { catalogue } from '../features/catalogue.ts';
import type { Lang } from './clientExplanation.ts';

/** The wording of explanations (data/features/explanations.json), checked once at load. */

const text = z.object({ fr: z.string(), en: z.string() }).strict();
const positions = [
  'low',
  'lowAtCeiling',
  'high',
  'highAtFloor',
  'typical',
  'missing',
  'flag',
  'plain',
] as const;
export type Position = (typeof positions)[number];
const positionTemplates = z.object(Object.fromEntries(positions.map((p) => [p, text.optional()]))).strict();

const wordingSchema = z
  .object({
    $comment: z.string(),
    strip: z.object({ fr: z.array(z.string()), en: z.array(z.string()) }).strict(),
    labels: z.record(z.string(), text.extend({ display: z.literal('years').optional() }).strict()),
    words: z
      .object({
        missing: text,
        yes: text,
        no: text,
        granted: text,
        refused: text,
        and: text,
        listSeparator: text,
        colon: text,
      })
      .strict(),
    who: z.object({ most: text, half: text }).strict(),
    generic: z.object(Object.fromEntries(positions.map((p) => [p, text]))).strict(),
    families: z.record(z.string(), positionTemplates),
    warnings: z
      .object({ 'missing-external-scores': text, 'outside-training-range': text, outsideItem: text })
      .strict(),
    counterfactuals: z
      .object({
        amount: text,
        term: text,
        'down-payment': text,
        option: text,
        found: text,
        none: text,
        notNeeded: text,
      })
      .strict(),
    /** Headings of the terminal report (scoring-desk explain --client). */
    report: z
      .object({
        client: text,
        probability: text,
        borderline: text,
        base: text,
        reasons: text,
        favourable: text,
        families: text,
        points: text,
        warnings: text,
        options: text,
        none: text,
      })
      .strict(),
  })
  .strict();

export type Text = z.infer<typeof text>;

function loadWording() {
  const wording = wordingSchema.parse(rawWording);
  const families = new Set(catalogue.families.map((f) => f.id));
  for (const id of Object.keys(wording.families)) {
    if (!families.has(id))
      throw new Error(`data/features/explanations.json: ${id} is not a reason family of the catalogue`);
  }
  for (const name of Object.keys(wording.labels)) {
    if (!catalogue.features.some((f) => f.name === name))
      throw new Error(
        `data/features/explanations.json: labels names ${name}, which is not a catalogue feature`,
      );
  }
  return wording as Omit<typeof wording, 'generic' | 'families'> & {
    generic: Record<Position, Text>;
    families: Record<string, Partial<Record<Position, Text>>>;
  };
}

export const wording = loadWording();

/** A template with its {placeholders} filled; a placeholder without a value is an error in the wording file. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`explanation wording: no value for {${key}} in "${template}"`);
    return value;
  });
}

/** The sentence for a family and a position of the value: the family's own, else the generic one. */
export function reasonTemplate(family: string, position: Position, lang: Lang): string {
  return (wording.families[family]?.[position] ?? wording.generic[position])[lang];
}

export function capitalise(sentence: string): string {
  return sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);
}
