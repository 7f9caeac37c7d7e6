import type { Lang } from '../api/contract.ts';
import { missingText } from './columnLabels.ts';

/**
 * A stored value as a person reads it, following the feature catalogue's format (integer, decimal:N, percent:N,
 * currency:N, flag, code) and unit (days become a duration in years, months or days). Amounts are in euros, as
 * the renderer shows them.
 */

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };
/** Kaggle's placeholder in DAYS_EMPLOYED for people without a job (pensioners, unemployed): no duration. */
const NO_DAYS = 365243;
const DAYS_PER_YEAR = 365.25;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

const durationWords = {
  fr: { years: ['an', 'ans'], months: ['mois', 'mois'], days: ['jour', 'jours'] },
  en: { years: ['year', 'years'], months: ['month', 'months'], days: ['day', 'days'] },
} as const;

const yesNo = { fr: ['non', 'oui'], en: ['no', 'yes'] } as const;

function number(value: number, lang: Lang, digits: number, style: Intl.NumberFormatOptions = {}): string {
  return value.toLocaleString(LOCALES[lang], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    ...style,
  });
}

function duration(days: number, lang: Lang): string {
  const size = Math.abs(days);
  const [unit, amount] =
    size >= DAYS_PER_YEAR
      ? (['years', size / DAYS_PER_YEAR] as const)
      : size >= DAYS_PER_MONTH
        ? (['months', size / DAYS_PER_MONTH] as const)
        : (['days', size] as const);
  const shown = Math.floor(amount);
  const [one, many] = durationWords[lang][unit];
  return `${number(shown, lang, 0)} ${shown >= 2 ? many : one}`;
}

export function formatValue(value: number | null, format: string, unit: string, lang: Lang): string {
  if (value === null || !Number.isFinite(value)) return missingText(lang);
  const [kind, digitsText] = format.split(':');
  const digits = Number(digitsText ?? 0);
  if (unit === 'days') return value === NO_DAYS ? missingText(lang) : duration(value, lang);
  switch (kind) {
    case 'currency':
      return number(value, lang, digits, { style: 'currency', currency: 'EUR' });
    case 'percent':
      return number(value, lang, digits, { style: 'percent' });
    case 'decimal':
      return number(value, lang, digits);
    case 'flag':
      return value === 0 || value === 1 ? yesNo[lang][value] : number(value, lang, 0);
    default:
      return number(value, lang, Number.isInteger(value) ? 0 : 2);
  }
}
