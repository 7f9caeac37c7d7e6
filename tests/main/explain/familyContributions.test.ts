import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyShapley, groupedContributions } from '../../../src-main/explain/familyContributions.ts';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logOdds = fc.double({ min: -6, max: 6, noNaN: true });
// SHAP values of at least 1e-200 in size (or 0): below, a probability contribution underflows to ±0.
const shapValue = fc.double({ min: -3, max: 3, noNaN: true }).map((x) => (Math.abs(x) < 1e-200 ? 0 : x));
const families = fc.array(shapValue, { minLength: 1, maxLength: 13 });

/** Shapley values by the textbook formula over every ordering's coalitions, straight from σ. */
function bruteForce(bias: number, phi: number[]): number[] {
  const n = phi.length;
  const value = (mask: number) => {
    let sum = bias;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) sum += phi[i]!;
    return sigmoid(sum) - sigmoid(bias);
  };
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  return phi.map((_, i) => {
    let total = 0;
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & (1 << i)) continue;
      const s = popcount(mask);
      total +=
        ((factorial(s) * factorial(n - s - 1)) / factorial(n)) * (value(mask | (1 << i)) - value(mask));
    }
    return total;
  });
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
}

describe('familyShapley', () => {
  it('adds up from σ(bias) to σ(bias + Σ φ) within 1e-12', () => {
    fc.assert(
      fc.property(logOdds, families, (bias, phi) => {
        const { contributions } = familyShapley(bias, phi);
        const total = contributions.reduce((s, c) => s + c, 0);
        const expected = sigmoid(bias + phi.reduce((s, p) => s + p, 0)) - sigmoid(bias);
        expect(Math.abs(total - expected)).toBeLessThan(1e-12);
      }),
    );
  });

  it('gives each family the sign of its log-odds sum, and slopes in (0, 1/4]', () => {
    fc.assert(
      fc.property(logOdds, families, (bias, phi) => {
        const { contributions, slopes } = familyShapley(bias, phi);
        phi.forEach((p, i) => {
          expect(Math.sign(contributions[i]!)).toBe(Math.sign(p));
          expect(slopes[i]!).toBeGreaterThan(0);
          expect(slopes[i]!).toBeLessThanOrEqual(0.25 + 1e-15);
          expect(Math.abs(slopes[i]! * p - contributions[i]!)).toBeLessThan(1e-15);
        });
      }),
    );
  });

  it('gives equal families equal contributions (symmetry)', () => {
    fc.assert(
      fc.property(logOdds, families, shapValue, (bias, phi, twin) => {
        const { contributions } = familyShapley(bias, [twin, ...phi, twin]);
        const a = contributions[0]!;
        const b = contributions[phi.length + 1]!;
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-15 + 1e-13 * Math.abs(a));
      }),
    );
  });

  it('matches the textbook Shapley formula', () => {
    fc.assert(
      fc.property(logOdds, fc.array(shapValue, { minLength: 1, maxLength: 7 }), (bias, phi) => {
        const ours = familyShapley(bias, phi).contributions;
        bruteForce(bias, phi).forEach((v, i) => expect(Math.abs(ours[i]! - v)).toBeLessThan(1e-13));
      }),
    );
  });

  it('is exact for one family and keeps the slope of σ for a vanishing one', () => {
    expect(familyShapley(-2, [1.5]).contributions[0]).toBeCloseTo(sigmoid(-0.5) - sigmoid(-2), 15);
    const { contributions, slopes } = familyShapley(0.3, [1e-300, 2]);
    expect(contributions[0]).toBeGreaterThan(0);
    // Alone or after the other family: the mean of σ' at 0.3 and at 2.3.
    const derivative = (x: number) => sigmoid(x) * (1 - sigmoid(x));
    expect(slopes[0]).toBeCloseTo((derivative(0.3) + derivative(2.3)) / 2, 14);
  });
});

describe('groupedContributions', () => {
  const grouped = fc
    .array(fc.tuple(shapValue, fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 40 })
    .map((pairs) => ({ shap: pairs.map(([s]) => s), group: pairs.map(([, g]) => g) }));

  it('splits each family exactly among its features, each with the sign of its SHAP value', () => {
    fc.assert(
      fc.property(logOdds, grouped, (bias, { shap, group }) => {
        const result = groupedContributions(bias, shap, group, 6);
        for (let g = 0; g < 6; g++) {
          let sum = 0;
          group.forEach((gj, j) => {
            if (gj === g) sum += result.featureContributions[j]!;
          });
          expect(Math.abs(sum - result.groupContributions[g]!)).toBeLessThan(1e-13);
        }
        shap.forEach((s, j) => expect(Math.sign(result.featureContributions[j]!)).toBe(Math.sign(s)));
        const total = result.groupContributions.reduce((s, c) => s + c, 0);
        const margin = bias + shap.reduce((s, v) => s + v, 0);
        expect(Math.abs(total - (sigmoid(margin) - sigmoid(bias)))).toBeLessThan(1e-12);
      }),
    );
  });

  it('shares a cancelled-out family between its features, adding up to 0', () => {
    const result = groupedContributions(-1, [0.4, -0.4, 0.2], [0, 0, 1], 2);
    expect(result.groupContributions[0]).toBe(0);
    expect(result.featureContributions[0]).toBeGreaterThan(0);
    expect(result.featureContributions[0]! + result.featureContributions[1]!).toBe(0);
  });
});
