import fc from 'fast-check';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientBase } from '../../../src-main/data/clientBase.ts';
import { registerVarSamp } from '../../../src-main/features/varSamp.ts';
import { application, emptyBase, featuresOf, insert } from './helpers.ts';

/**
 * The sample variance, checked against exact rational arithmetic: every double is an integer times a power of
 * two, so n·Σx² − (Σx)² is computed exactly with BigInt and rounded once.
 */
function exactVariance(values: number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const parts = values.map((v) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    const bits = view.getBigUint64(0);
    const exponent = Number((bits >> 52n) & 0x7ffn);
    let mantissa = bits & 0xfffffffffffffn;
    if (exponent !== 0) mantissa |= 1n << 52n;
    const sign = bits >> 63n ? -1n : 1n;
    return { m: sign * mantissa, e: (exponent === 0 ? 1 : exponent) - 1075 };
  });
  const low = Math.min(...parts.map((p) => p.e));
  const ints = parts.map((p) => p.m << BigInt(p.e - low));
  const sum = ints.reduce((a, b) => a + b, 0n);
  const squares = ints.reduce((a, b) => a + b * b, 0n);
  const numerator = BigInt(n) * squares - sum * sum;
  const denominator = BigInt(n) * BigInt(n - 1);
  return ratioToNumber(numerator, denominator, 2 * low);
}

const bitLength = (v: bigint) => (v === 0n ? 0 : v.toString(2).length);

/** numerator / denominator × 2^exponent, rounded once from a 64-bit quotient. */
function ratioToNumber(numerator: bigint, denominator: bigint, exponent: number): number {
  if (numerator === 0n) return 0;
  const shift = Math.max(0, 70 - (bitLength(numerator) - bitLength(denominator)));
  const quotient = (numerator << BigInt(shift)) / denominator;
  const drop = Math.max(0, bitLength(quotient) - 64);
  const power = exponent - shift + drop;
  const half = Math.trunc(power / 2);
  return Number(quotient >> BigInt(drop)) * 2 ** half * 2 ** (power - half);
}

/** Doubles of every magnitude but the tiny ones whose squares underflow, where no formula can be exact. */
const reasonable = (max: number) =>
  fc
    .double({ noNaN: true, noDefaultInfinity: true, min: -max, max })
    .filter((x) => x === 0 || Math.abs(x) > 1e-100);

// Any variance computed in doubles loses about log10(|mean| / sd) digits, so the properties against exact
// arithmetic keep that condition number under 10⁵; beyond, pandas runs the very same update and still agrees.
const conditioned = (values: number[], variance: number) =>
  variance > 0 && Math.abs(values.reduce((a, b) => a + b, 0) / values.length) <= 1e5 * Math.sqrt(variance);

const relativeError = (actual: number, expected: number) =>
  expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);

describe('var_samp, the sample variance aggregate', () => {
  const db = new Database(':memory:');
  registerVarSamp(db);
  db.exec('CREATE TABLE t (g INTEGER, x REAL)');
  const variance = (values: (number | null)[]): number | null => {
    db.exec('DELETE FROM t');
    const add = db.prepare('INSERT INTO t VALUES (1, ?)');
    for (const v of values) add.run(v);
    return db.prepare('SELECT var_samp(x) FROM t GROUP BY g').pluck().get() as number | null;
  };

  it('is missing below two values and skips missing values', () => {
    expect(variance([3])).toBeNull();
    expect(variance([null, 3, null])).toBeNull();
    expect(variance([1, null, 3])).toBe(2);
  });

  it('is exactly 0 for a constant group', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        fc.integer({ min: 2, max: 60 }),
        (x, n) => {
          expect(variance(Array.from({ length: n }, () => x))).toBe(0);
        },
      ),
    );
  });

  it('agrees with exact arithmetic to 1e-9 relative, for values of any scale', () => {
    fc.assert(
      fc.property(fc.array(reasonable(1e9), { minLength: 2, maxLength: 200 }), (values) => {
        const expected = exactVariance(values);
        fc.pre(expected === 0 || conditioned(values, expected));
        expect(relativeError(variance(values)!, expected)).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with exact arithmetic to 1e-9 relative around a large offset', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 200 }),
        fc.constantFrom(1e-2, 1, 1e2, 1e4),
        (offset, noise, scale) => {
          const values = noise.map((d) => offset + (d / 1e6) * scale);
          const expected = exactVariance(values);
          fc.pre(conditioned(values, expected));
          expect(relativeError(variance(values)!, expected)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is accurate where the one-pass textbook formula Σx² − (Σx)²/n is not', () => {
    const values = [100000.5, 100001.25, 99999.25, 100002, 100000.125, 99998.5];
    const n = values.length;
    const sum = values.reduce((a, b) => a + b, 0);
    const textbook = (values.reduce((a, b) => a + b * b, 0) - (sum * sum) / n) / (n - 1);
    const exact = exactVariance(values);
    expect(relativeError(textbook, exact)).toBeGreaterThan(1e-9);
    expect(relativeError(variance(values)!, exact)).toBeLessThan(1e-11);
  });
});

describe('variances of the recipe, through the feature SQL', () => {
  let base: ClientBase;
  const levels = ['Active', 'Completed', 'Signed', 'Demand', 'Sent proposal', 'Refused', 'Approved', null];
  beforeAll(() => {
    base = emptyBase().db;
    insert(base, 'application', application(1));
  });
  afterAll(() => base.close());

  it('gives every credit card VAR feature, dummies included, to 1e-9 of exact arithmetic', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            balance: fc.option(reasonable(1e7), { nil: null }),
            status: fc.constantFrom(...levels),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        (rows) => {
          base.exec('DELETE FROM credit_card_balance');
          insert(
            base,
            'credit_card_balance',
            ...rows.map((r, k) => ({
              SK_ID_PREV: 1,
              SK_ID_CURR: 1,
              MONTHS_BALANCE: -k,
              AMT_BALANCE: r.balance,
              NAME_CONTRACT_STATUS: r.status,
            })),
          );
          const f = featuresOf(base, 1);
          const balances = rows.map((r) => r.balance).filter((b): b is number => b !== null);
          const expectVariance = (actual: number, values: number[]) => {
            const expected = exactVariance(values);
            if (Number.isNaN(expected)) expect(actual).toBeNaN();
            else if (expected === 0 || conditioned(values, expected))
              expect(relativeError(actual, expected)).toBeLessThan(1e-9);
          };
          expectVariance(f('CC_AMT_BALANCE_VAR'), balances);
          expectVariance(
            f('CC_MONTHS_BALANCE_VAR'),
            rows.map((_, k) => -k),
          );
          for (const level of levels) {
            const indicator = rows.map((r): number => (r.status === level ? 1 : 0));
            expectVariance(f(`CC_NAME_CONTRACT_STATUS_${level ?? 'nan'}_VAR`), indicator);
            expect(f(`CC_NAME_CONTRACT_STATUS_${level ?? 'nan'}_MEAN`)).toBe(
              indicator.reduce((a, b) => a + b, 0) / rows.length,
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
