import type { Lang } from '../../src-main/api/contract.ts';

/**
 * Reads the parts of the model card the Model view draws. The contract types the card as an open record (the
 * trainer writes it), so each part is checked here and comes back null when absent or shaped otherwise: the view
 * then says "not in this model card" rather than guessing.
 */

type Card = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A text in the card: a plain string, or one per language. */
function text(value: unknown, lang: Lang): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value[lang] === 'string') return value[lang];
  return null;
}

function list<T>(value: unknown, read: (item: Record<string, unknown>) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const items = value.map((item) => (isRecord(item) ? read(item) : null));
  return items.every((item) => item !== null) && items.length > 0 ? (items as T[]) : null;
}

export function methodologyOf(card: Card, lang: Lang): string | null {
  return text(card.methodology, lang);
}

export interface Metric {
  name: string;
  label: string;
  value: number;
}

/** Metrics as a list `{ name, label?, value }` or a record `name → number`. */
export function metricsOf(card: Card, lang: Lang): Metric[] | null {
  const metrics = card.metrics;
  if (isRecord(metrics)) {
    const entries = Object.entries(metrics).filter((entry): entry is [string, number] => isNumber(entry[1]));
    return entries.length > 0 ? entries.map(([name, value]) => ({ name, label: name, value })) : null;
  }
  return list(metrics, (item) =>
    typeof item.name === 'string' && isNumber(item.value)
      ? { name: item.name, label: text(item.label, lang) ?? item.name, value: item.value }
      : null,
  );
}

export function costCurveOf(card: Card): { threshold: number; cost: number }[] | null {
  return list(card.costCurve, (item) =>
    isNumber(item.threshold) && isNumber(item.cost) ? { threshold: item.threshold, cost: item.cost } : null,
  );
}

export function calibrationOf(card: Card): { predicted: number; observed: number }[] | null {
  return list(card.calibration, (item) =>
    isNumber(item.predicted) && isNumber(item.observed)
      ? { predicted: item.predicted, observed: item.observed }
      : null,
  );
}

export interface FairnessRow {
  attribute: string;
  group: string;
  count: number | null;
  refusalRate: number | null;
  defaultRate: number | null;
}

/** Fairness as rows `{ attribute, group, count?, refusalRate?, defaultRate? }`. */
export function fairnessOf(card: Card, lang: Lang): FairnessRow[] | null {
  return list(card.fairness, (item) => {
    const attribute = text(item.label, lang) ?? text(item.attribute, lang);
    const group = text(item.groupLabel, lang) ?? text(item.group, lang);
    if (attribute === null || group === null) return null;
    return {
      attribute,
      group,
      count: isNumber(item.count) ? item.count : null,
      refusalRate: isNumber(item.refusalRate) ? item.refusalRate : null,
      defaultRate: isNumber(item.defaultRate) ? item.defaultRate : null,
    };
  });
}
