import { describe, expect, it } from 'vitest';
import {
  Choice,
  Quantiles,
  negativeBinomial,
  normalCdf,
  roundTo,
} from '../../../../src-main/data/demo/distributions.ts';
import { Rng } from '../../../../src-main/data/demo/prng.ts';
import { calibrateIntercept } from '../../../../src-main/data/demo/risk.ts';
import { rocAuc } from '../../../../src-main/stats/auc.ts';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('Rng', () => {
  it('repeats its sequence for a seed and changes it with the seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, () => new Rng(seed)).map((r) => r.nextUint32());
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(seqA);
    expect(new Set(draw(7)).size).toBe(1);
  });

  it('draws uniforms and normals with the right moments', () => {
    const rng = new Rng(1);
    const u = Array.from({ length: 100_000 }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    const z = Array.from({ length: 100_000 }, () => rng.normal());
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(mean(z.map((x) => x * x))).toBeCloseTo(1, 1);
    const ints = Array.from({ length: 10_000 }, () => rng.intBetween(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
  });
});

describe('distributions', () => {
  it('Quantiles reproduces its knots and interpolates between them', () => {
    const q = new Quantiles([
      [0, 10],
      [0.25, 20],
      [0.5, 40],
      [1, 100],
    ]);
    expect(q.at(0)).toBe(10);
    expect(q.at(0.25)).toBe(20);
    expect(q.at(0.375)).toBe(30);
    expect(q.at(0.75)).toBe(70);
    expect(q.at(1)).toBe(100);
    expect(
      () =>
        new Quantiles([
          [0, 1],
          [0.5, 0],
          [1, 2],
        ]),
    ).toThrow(/increase/);
  });

  it('Choice draws items at their weights', () => {
    const choice = new Choice([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ]);
    const rng = new Rng(2);
    const draws = Array.from({ length: 40_000 }, () => choice.draw(rng));
    expect(draws.filter((d) => d === 'b').length / draws.length).toBeCloseTo(0.75, 2);
    expect(draws).not.toContain('never');
  });

  it('normalCdf, roundTo and the negative binomial behave', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
    expect(roundTo(24700.4, 1.5)).toBe(24700.5);
    expect(roundTo(0.1 + 0.2, 0.005)).toBe(0.3);
    const rng = new Rng(3);
    const counts = Array.from({ length: 50_000 }, () => negativeBinomial(rng, 4.6, 1.4));
    expect(mean(counts)).toBeCloseTo(4.6, 1);
  });

  it('calibrateIntercept hits the target mean probability', () => {
    const rng = new Rng(4);
    const scores = Float64Array.from({ length: 20_000 }, () => rng.normal());
    const b = calibrateIntercept(scores, 0.08);
    expect(mean([...scores].map((s) => 1 / (1 + Math.exp(-(b + s)))))).toBeCloseTo(0.08, 6);
  });

  it('rocAuc ranks with ties at half weight', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([3, 2, 1], [1, 1, 1])).toBeNaN();
  });
});
