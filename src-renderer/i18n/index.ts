import { createI18n } from 'vue-i18n';
import en from './en.json';
import fr from './fr.json';

export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];

/** Each language is offered under its own name, whatever the current language. */
export const localeNames: Record<Locale, string> = { fr: 'Français', en: 'English' };

const storageKey = 'scoring-desk.locale';

function isLocale(value: string | null): value is Locale {
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
  messages: { fr, en } satisfies Record<Locale, typeof fr>,
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(storageKey, locale);
}
