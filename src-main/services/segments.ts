import type { AgeBand, ContractType, IncomeBand, Lang, Segment } from '../api/contract.ts';
import { ageBandSchema, contractTypeSchema, incomeBandSchema } from '../api/contract.ts';
import { levelLabel } from './columnLabels.ts';

/**
 * The segments a manager can compare a client with: contract type, age band and income band, computed from the
 * application (DAYS_BIRTH, AMT_INCOME_TOTAL). Codes are small integers so that the in-memory client index keeps
 * them in typed arrays; NO_CODE stands for a missing value.
 */

export const NO_CODE = 255;

const DAYS_PER_YEAR = 365.25;
/** Lower bounds of the age bands, in years, in ageBandSchema order. */
const AGE_FLOORS = [0, 25, 35, 45, 55, 65];
/** Lower bounds of the income bands, in incomeBandSchema order. */
const INCOME_FLOORS = [0, 100_000, 150_000, 200_000, 300_000];

export const contractTypes: readonly ContractType[] = contractTypeSchema.options;
export const ageBands: readonly AgeBand[] = ageBandSchema.options;
export const incomeBands: readonly IncomeBand[] = incomeBandSchema.options;

function bandCode(value: number | null, floors: readonly number[]): number {
  if (value === null || !Number.isFinite(value) || value < 0) return NO_CODE;
  let code = 0;
  while (code + 1 < floors.length && value >= floors[code + 1]!) code++;
  return code;
}

export function ageBandCode(daysBirth: number | null): number {
  return bandCode(daysBirth === null ? null : -daysBirth / DAYS_PER_YEAR, AGE_FLOORS);
}

export function incomeBandCode(income: number | null): number {
  return bandCode(income, INCOME_FLOORS);
}

export function contractTypeCode(contractType: string | null): number {
  const code = contractTypes.indexOf(contractType as ContractType);
  return code < 0 ? NO_CODE : code;
}

export function segmentOf(codes: { contractType: number; ageBand: number; incomeBand: number }): Segment {
  return {
    contractType: contractTypes[codes.contractType] ?? null,
    ageBand: ageBands[codes.ageBand] ?? null,
    incomeBand: incomeBands[codes.incomeBand] ?? null,
  };
}

const segmentWords = {
  fr: { ageBand: 'âge', years: 'ans', incomeBand: 'revenu mensuel', all: 'tous les clients passés' },
  en: { ageBand: 'age', years: 'years', incomeBand: 'monthly income', all: 'all past clients' },
} as const;

/** "prêt en espèces, âge 35-44 ans, revenu mensuel 100k-150k": the criteria of a segment, for a heading. */
export function describeSegment(segment: Segment, lang: Lang): string {
  const words = segmentWords[lang];
  const parts: string[] = [];
  if (segment.contractType)
    parts.push(levelLabel('application', 'NAME_CONTRACT_TYPE', segment.contractType, lang));
  if (segment.ageBand) parts.push(`${words.ageBand} ${segment.ageBand} ${words.years}`);
  if (segment.incomeBand) parts.push(`${words.incomeBand} ${segment.incomeBand}`);
  return parts.length > 0 ? parts.join(', ') : words.all;
}
