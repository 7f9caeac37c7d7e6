import type { CatalogueEntry } from '../features/catalogueSchema.ts';
import type { Lang } from './clientExplanation.ts';
import { wording } from './explanationWording.ts';

/**
 * Feature labels and values as a person reads them, per language (Intl): amounts in euros, shares as
 * percentages, durations in days, months or years, flags as yes/no. Durations counted backwards from the
 * application (negative days) are shown as lengths.
 */

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };
const DAYS_PER_YEAR = 365.25;
const formats = new Map<string, Intl.NumberFormat>();

/** One Intl.NumberFormat per language and options (building one costs far more than using it). */
function numberFormat(lang: Lang, key: string, options: () => Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${lang}:${key}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], options());
    formats.set(id, format);
  }
  return format;
}

export function formatCurrency(amount: number, lang: Lang, digits = 0): string {
  return numberFormat(lang, `currency${digits}`, () => ({
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })).format(amount);
}

/** A share (0.079) as a percentage ("7,9 %" / "7.9%"). */
export function formatPercent(share: number, lang: Lang, digits = 1): string {
  return numberFormat(lang, `percent${digits}`, () => ({
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })).format(share);
}

export function formatNumber(value: number, lang: Lang, digits = 0): string {
  return numberFormat(lang, `number${digits}`, () => ({ maximumFractionDigits: digits })).format(value);
}

type DurationUnit = 'day' | 'month' | 'year' | 'hour';

export function formatDuration(value: number, unit: DurationUnit, lang: Lang, digits = 0): string {
  return numberFormat(lang, `${unit}${digits}`, () => ({
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: digits,
  })).format(value);
}

const labels = new Map<string, string>();

/** The catalogue description in `lang`, or the label the wording file gives, without notes the value carries. */
export function featureLabel(entry: CatalogueEntry, lang: Lang): string {
  const id = `${lang}:${entry.name}`;
  let label = labels.get(id);
  if (label === undefined) {
    label = wording.labels[entry.name]?.[lang] ?? stripNotes(entry.description[lang], lang);
    labels.set(id, label);
  }
  return label;
}

function stripNotes(description: string, lang: Lang): string {
  let label = description;
  for (const note of wording.strip[lang]) label = label.split(note).join('');
  return label
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:])/g, '$1')
    .trim();
}

/** A value of the feature (NaN = missing) as shown to a person. */
export function formatFeatureValue(entry: CatalogueEntry, value: number, lang: Lang): string {
  if (Number.isNaN(value)) return wording.words.missing[lang];
  const [kind, digitsText] = entry.format.split(':');
  const digits = digitsText === undefined ? 0 : Number(digitsText);
  if (kind === 'flag') return (value === 1 ? wording.words.yes : wording.words.no)[lang];
  if (kind === 'currency') return formatCurrency(value, lang, digits);
  if (kind === 'percent') return formatPercent(value, lang, digits);
  switch (entry.unit) {
    case 'days':
      return wording.labels[entry.name]?.display === 'years'
        ? formatDuration(Math.abs(value) / DAYS_PER_YEAR, 'year', lang, 1)
        : formatDuration(Math.abs(value), 'day', lang, digits);
    case 'months':
      return formatDuration(Math.abs(value), 'month', lang, digits);
    case 'years':
      return formatDuration(value, 'year', lang, digits);
    case 'hours':
      return formatDuration(value, 'hour', lang, digits);
    default:
      return formatNumber(value, lang, digits);
  }
}
