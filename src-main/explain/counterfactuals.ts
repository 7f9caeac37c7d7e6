import type { ApplicationEdits } from '../features/client.ts';
import { monthlyPayment, termInMonths } from './amortisation.ts';
import type {
  CounterfactualLimits,
  CounterfactualOption,
  CounterfactualResult,
  Decision,
  Lang,
  Lever,
} from './clientExplanation.ts';
import { capitalise, fill, wording } from './explanationWording.ts';
import { formatCurrency, formatDuration, formatPercent } from './formatValue.ts';

/**
 * What would change the decision: the smallest moves of the levers the client and the bank control that bring the
 * probability of default under the target, each scored again through the feature pipeline by the caller's
 * `probabilityOf`. Nothing else of the client moves (no immutable or protected feature is ever touched).
 *
 * - amount: a smaller project, credit, goods price and annuity scaled down together (same term);
 * - term: the same credit over more months at the product's nominal rate, so a lower annuity (amortisation.ts:
 *   the current term follows from the credit and the annuity, the new annuity from the credit and the new term);
 * - down payment: the same goods price, less credit (and a proportionally lower annuity, same term).
 *
 * Each lever alone is scanned from the smallest move up on a coarse grid (5 %, 6 months), and the first move
 * reaching the target refined on a fine grid (1 %, 1 month) from the coarse step before it: the smallest move on
 * the fine grid, unless the probability dips under the target and back within one coarse step. Only when no lever
 * alone does it, pairs (the term in whole years with the amount or the down payment in 5 % steps) are scanned,
 * and the pair of smallest total move (each move as a share of its limit) kept.
 */

export const DEFAULT_LIMITS: CounterfactualLimits = {
  minAmountShare: 0.5,
  maxExtraMonths: 60,
  maxTermMonths: 120,
  maxDownPaymentShare: 0.5,
};

export const MAX_OPTIONS = 3;
const FINE = { share: 0.01, months: 1 };
const COARSE = { share: 0.05, months: 6 };
/** Term steps of the pairs: whole years. */
const PAIR_MONTHS = 12;

/** The application's amounts: the goods price (revolving loans) or the annuity may be missing. */
export interface Amounts {
  credit: number;
  annuity: number | null;
  goods: number | null;
}

export interface CounterfactualSearch {
  clientId: number;
  lang: Lang;
  current: Amounts;
  /** The product's nominal annual rate, which ties the term to the credit and the annuity. */
  nominalRate: number;
  /** Probability of default of the application with these amounts. */
  probabilityOf: (edits: ApplicationEdits) => number;
  threshold: number;
  /** Options must go under this probability. */
  target: number;
  /** false: granted with enough margin, nothing to search. */
  needed: boolean;
  limits: CounterfactualLimits;
}

interface Move {
  lever: Lever;
  /** Share of the amount or goods price, or months. */
  size: number;
}

interface Candidate {
  moves: Move[];
  amounts: Amounts;
  edits: ApplicationEdits;
  probability: number;
  /** Total move, each as a share of its limit: what "smallest" means across levers. */
  cost: number;
}

export function searchCounterfactuals(search: CounterfactualSearch): CounterfactualResult {
  const { current, limits, lang } = search;
  const currentEdits = editsOf(current);
  const currentProbability = search.probabilityOf(currentEdits);
  const levers = availableLevers(current, search.nominalRate, limits);
  let found: Candidate[] = [];
  if (search.needed) {
    found = levers.flatMap((lever) => {
      const hit = smallestMove(search, lever);
      return hit ? [hit] : [];
    });
    if (found.length === 0 && levers.includes('term')) {
      found = levers
        .filter((lever) => lever !== 'term')
        .flatMap((lever) => {
          const hit = smallestPair(search, lever);
          return hit ? [hit] : [];
        });
    }
  }
  const options = found
    .sort((a, b) => a.cost - b.cost)
    .slice(0, MAX_OPTIONS)
    .map((candidate) => optionOf(search, candidate));
  const status = !search.needed ? 'not-needed' : options.length > 0 ? 'found' : 'none-within-limits';
  return {
    clientId: search.clientId,
    lang,
    status,
    target: search.target,
    current: {
      probability: currentProbability,
      decision: decisionOf(currentProbability, search.threshold),
      edits: currentEdits,
    },
    options,
    limits,
    summary: summaryOf(status, search.target, limits, lang),
  };
}

export function decisionOf(probability: number, threshold: number): Decision {
  return probability >= threshold ? 'refused' : 'granted';
}

function availableLevers(current: Amounts, rate: number, limits: CounterfactualLimits): Lever[] {
  const levers: Lever[] = ['amount'];
  // An annuity that does not cover the interest has no term to extend (termOf is infinite).
  if (current.annuity !== null && termOf(current, rate) + 1 <= limits.maxTermMonths) levers.push('term');
  if (current.goods !== null) levers.push('down-payment');
  return levers;
}

function termOf(amounts: Amounts, rate: number): number {
  return termInMonths(amounts.credit, amounts.annuity!, rate);
}

/** Largest move of a lever within the limits. */
function maxSize(lever: Lever, search: CounterfactualSearch): number {
  const { current, limits } = search;
  switch (lever) {
    case 'amount':
      return 1 - limits.minAmountShare;
    case 'term':
      return Math.min(
        limits.maxExtraMonths,
        Math.floor(limits.maxTermMonths - termOf(current, search.nominalRate)),
      );
    case 'down-payment':
      // The credit cannot go to zero: at most all of it but one euro.
      return Math.min(limits.maxDownPaymentShare, (current.credit - 1) / current.goods!);
  }
}

/** The amounts after a move; every amount is rounded as an application states it (euros, annuity in cents). */
function apply(amounts: Amounts, move: Move, rate: number): Amounts {
  const cents = (x: number) => Math.round(x * 100) / 100;
  switch (move.lever) {
    case 'amount': {
      const keep = 1 - move.size;
      return {
        credit: Math.round(amounts.credit * keep),
        annuity: amounts.annuity === null ? null : cents(amounts.annuity * keep),
        goods: amounts.goods === null ? null : Math.round(amounts.goods * keep),
      };
    }
    case 'term':
      return {
        ...amounts,
        annuity: cents(monthlyPayment(amounts.credit, rate, termOf(amounts, rate) + move.size)),
      };
    case 'down-payment': {
      const credit = Math.round(amounts.credit - move.size * amounts.goods!);
      return {
        credit,
        annuity: amounts.annuity === null ? null : cents((amounts.annuity * credit) / amounts.credit),
        goods: amounts.goods,
      };
    }
  }
}

function editsOf(amounts: Amounts): ApplicationEdits {
  const edits: ApplicationEdits = { AMT_CREDIT: amounts.credit };
  if (amounts.annuity !== null) edits.AMT_ANNUITY = amounts.annuity;
  if (amounts.goods !== null) edits.AMT_GOODS_PRICE = amounts.goods;
  return edits;
}

/**
 * The smallest move of one lever reaching the target: the first on a coarse grid, then the first on the fine
 * grid between the coarse step before it and it.
 */
function smallestMove(search: CounterfactualSearch, lever: Lever): Candidate | undefined {
  const coarse = firstReaching(search, [], lever, stepOf(lever, COARSE));
  if (!coarse) return undefined;
  const size = coarse.moves[0]!.size;
  const fine = stepOf(lever, FINE);
  return (
    firstReaching(search, [], lever, fine, Math.max(0, size - stepOf(lever, COARSE)), size - fine) ?? coarse
  );
}

/**
 * Scans `lever` after the `before` moves, from `from` (excluded) up to `to` in steps of `step`; the first move
 * reaching the target.
 */
function firstReaching(
  search: CounterfactualSearch,
  before: Move[],
  lever: Lever,
  step: number,
  from = 0,
  to = maxSize(lever, search),
): Candidate | undefined {
  const rate = search.nominalRate;
  const start = before.reduce((amounts, move) => apply(amounts, move, rate), search.current);
  // Sizes counted in whole steps from `from`, rounded to whole months or hundredths, so grids land on the same
  // sizes every time; the last one is `to` itself.
  for (let k = 1; from + (k - 1) * step < to - 1e-9; k++) {
    const size = Math.min(lever === 'term' ? from + k * step : Math.round((from + k * step) * 100) / 100, to);
    const move = { lever, size };
    const amounts = apply(start, move, rate);
    const edits = editsOf(amounts);
    const probability = search.probabilityOf(edits);
    if (probability < search.target) {
      const moves = [...before, move];
      return { moves, amounts, edits, probability, cost: costOf(moves, search.limits) };
    }
  }
  return undefined;
}

/**
 * The term with another lever: for each term step (whole years), the smallest move of the other reaching the
 * target, looking only at moves smaller in total than the best pair found so far.
 */
function smallestPair(search: CounterfactualSearch, other: Lever): Candidate | undefined {
  const { limits } = search;
  let best: Candidate | undefined;
  const lastMonths = maxSize('term', search);
  const otherLimit = limitOf(other, limits);
  for (let months = PAIR_MONTHS; months <= lastMonths; months += PAIR_MONTHS) {
    const termCost = months / limitOf('term', limits);
    const room = best ? (best.cost - termCost) * otherLimit : Infinity;
    if (room <= 0) break;
    const step = stepOf(other, COARSE);
    // Below the best total, on the grid.
    const to = Math.min(maxSize(other, search), Math.floor((room - 1e-9) / step) * step);
    const hit = firstReaching(search, [{ lever: 'term', size: months }], other, step, 0, to);
    if (hit && (!best || hit.cost < best.cost)) best = hit;
  }
  return best;
}

function stepOf(lever: Lever, grid: { share: number; months: number }): number {
  return lever === 'term' ? grid.months : grid.share;
}

function limitOf(lever: Lever, limits: CounterfactualLimits): number {
  return lever === 'amount'
    ? 1 - limits.minAmountShare
    : lever === 'term'
      ? limits.maxExtraMonths
      : limits.maxDownPaymentShare;
}

function costOf(moves: Move[], limits: CounterfactualLimits): number {
  return moves.reduce((sum, move) => sum + move.size / limitOf(move.lever, limits), 0);
}

function optionOf(search: CounterfactualSearch, candidate: Candidate): CounterfactualOption {
  const { lang } = search;
  const decision = decisionOf(candidate.probability, search.threshold);
  const parts = candidate.moves.map((move) => {
    const template = wording.counterfactuals[move.lever][lang];
    const credit = formatCurrency(candidate.amounts.credit, lang);
    switch (move.lever) {
      case 'amount':
        return fill(template, { percent: formatPercent(move.size, lang, 0), amount: credit });
      case 'term':
        return fill(template, {
          months: formatDuration(move.size, 'month', lang),
          annuity: formatCurrency(candidate.amounts.annuity!, lang),
        });
      case 'down-payment':
        return fill(template, {
          down: formatCurrency(search.current.goods! * move.size, lang),
          percent: formatPercent(move.size, lang, 0),
          amount: credit,
        });
    }
  });
  return {
    levers: candidate.moves.map((move) => move.lever),
    edits: candidate.edits,
    changes: candidate.moves.map((move) => ({ lever: move.lever, size: move.size })),
    probability: candidate.probability,
    decision,
    text: capitalise(
      fill(wording.counterfactuals.option[lang], {
        changes: parts.join(wording.words.and[lang]),
        probability: formatPercent(candidate.probability, lang, 1),
        decision: wording.words[decision][lang],
      }),
    ),
  };
}

function summaryOf(
  status: CounterfactualResult['status'],
  target: number,
  limits: CounterfactualLimits,
  lang: Lang,
): string {
  const texts = wording.counterfactuals;
  if (status === 'not-needed') return texts.notNeeded[lang];
  if (status === 'found') return fill(texts.found[lang], { target: formatPercent(target, lang, 1) });
  return fill(texts.none[lang], {
    minAmount: formatPercent(1 - limits.minAmountShare, lang, 0),
    extraMonths: String(limits.maxExtraMonths),
    maxTerm: String(limits.maxTermMonths),
    maxDown: formatPercent(limits.maxDownPaymentShare, lang, 0),
  });
}
