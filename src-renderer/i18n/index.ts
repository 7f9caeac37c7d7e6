import { createI18n } from 'vue-i18n';
import en from './en.json';
import fr from './fr.json';

export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];

/** The French catalogue is the reference: a key missing from it fails type-checking wherever `t` is called. */
export type MessageSchema = typeof fr;

declare module 'vue-i18n' {
  // Declaration merging: vue-i18n reads the key type from this interface.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

/** Each language is offered under its own name, whatever the current language. */
export const localeNames: Record<Locale, string> = { fr: 'Français', en: 'English' };

// Amounts are in euros whatever the language; only their writing changes (12 000 € / €12,000).
const numberFormat = {
  percent: { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 },
  percentRound: { style: 'percent', maximumFractionDigits: 0 },
  currency: { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 },
  decimal: { style: 'decimal', maximumFractionDigits: 2 },
  integer: { style: 'decimal', maximumFractionDigits: 0 },
} as const;

const dateFormat = {
  date: { year: 'numeric', month: 'long', day: 'numeric' },
  short: { year: 'numeric', month: '2-digit', day: '2-digit' },
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
} as const;

const storageKey = 'scoring-desk.locale';

export function isLocale(value: string | null | undefined): value is Locale {
  return locales.some((locale) => locale === value);
}

function savedLocale(): Locale {
  const saved = localStorage.getItem(storageKey);
  return isLocale(saved) ? saved : 'fr';
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'fr',
  messages: { fr, en } satisfies Record<Locale, MessageSchema>,
  numberFormats: { fr: numberFormat, en: numberFormat },
  datetimeFormats: { fr: dateFormat, en: dateFormat },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(storageKey, locale);
}
