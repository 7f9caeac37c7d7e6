import { useI18n } from 'vue-i18n';
import type { Lang } from '../../src-main/api/contract.ts';

/**
 * Numbers, amounts and dates written the way the current language writes them (12 000 € / €12,000), and the
 * current language as the API's `lang`.
 */
export function useFormat() {
  const { n, d, t, locale } = useI18n();
  return {
    lang: (): Lang => (locale.value === 'en' ? 'en' : 'fr'),
    percent: (share: number) => n(share, 'percent'),
    percentRound: (share: number) => n(share, 'percentRound'),
    /** A difference of probabilities in percentage points, signed: "+2,1 pts". */
    points: (delta: number) =>
      t('format.points', {
        value: `${delta > 0 ? '+' : delta < 0 ? '−' : ''}${n(Math.abs(delta) * 100, 'decimal')}`,
      }),
    currency: (amount: number) => n(amount, 'currency'),
    integer: (value: number) => n(value, 'integer'),
    decimal: (value: number) => n(value, 'decimal'),
    date: (iso: string) => d(new Date(iso), 'date'),
    dateTime: (iso: string) => d(new Date(iso), 'dateTime'),
  };
}
