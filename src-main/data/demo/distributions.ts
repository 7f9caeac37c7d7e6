import type { Rng } from './prng.ts';

/** A [probability, value] knot of a quantile function. */
export type Knot = readonly [number, number];

/**
 * A distribution given by its quantile function, interpolated linearly between knots. Reference figures come as
 * quantiles (min, quartiles, max), so this reproduces them exactly, and a correlated normal pushed through
 * normalCdf() and then through at() keeps the marginal while carrying the correlation (a Gaussian copula).
 */
export class Quantiles {
  private readonly p: Float64Array;
  private readonly v: Float64Array;

  constructor(knots: readonly Knot[]) {
    if (knots.length < 2 || knots[0]![0] !== 0 || knots[knots.length - 1]![0] !== 1) {
      throw new Error('quantile knots must run from probability 0 to 1');
    }
    for (let i = 1; i < knots.length; i++) {
      if (knots[i]![0] <= knots[i - 1]![0] || knots[i]![1] < knots[i - 1]![1]) {
        throw new Error(`quantile knots must increase: ${JSON.stringify(knots)}`);
      }
    }
    this.p = Float64Array.from(knots, (k) => k[0]);
    this.v = Float64Array.from(knots, (k) => k[1]);
  }

  at(u: number): number {
    const { p, v } = this;
    let i = 1;
    while (i < p.length - 1 && u > p[i]!) i++;
    const p0 = p[i - 1]!;
    const v0 = v[i - 1]!;
    return v0 + ((u - p0) / (p[i]! - p0)) * (v[i]! - v0);
  }

  draw(rng: Rng): number {
    return this.at(rng.next());
  }
}

/** A weighted choice among items, drawn from one uniform (so it can also sit behind a copula). */
export class Choice<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new Error('a choice needs at least one positive weight');
    this.items = kept.map(([item]) => item);
    const total = kept.reduce((sum, [, w]) => sum + w, 0);
    let acc = 0;
    this.cumulative = Float64Array.from(kept, ([, w]) => (acc += w / total));
    this.cumulative[this.cumulative.length - 1] = 1;
  }

  pick(u: number): T {
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < c[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }

  draw(rng: Rng): T {
    return this.pick(rng.next());
  }
}

/** Choice over the integers 0..n-1 weighted by a table (counts of children, of credit-bureau requests...). */
export function countChoice(weights: readonly number[]): Choice<number> {
  return new Choice(weights.map((w, i) => [i, w] as const));
}

/** Rounds to a step drawn per value: Kaggle amounts cluster on round figures (112,500; 135,000) without all being round. */
export class Grains {
  private readonly steps: Choice<number>;

  constructor(grains: readonly (readonly [number, number])[]) {
    this.steps = new Choice(grains);
  }

  round(rng: Rng, x: number): number {
    return roundTo(x, this.steps.draw(rng));
  }
}

/** Standard normal CDF through erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/** A normal correlated with `common` by `loading` (both standard normals), itself standard normal. */
export function correlatedNormal(rng: Rng, common: number, loading: number): number {
  return loading * common + Math.sqrt(1 - loading * loading) * rng.normal();
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Rounds to a multiple of step, then to 3 decimals so that binary fractions print the way Kaggle's do. */
export function roundTo(x: number, step: number): number {
  return Math.round(Math.round(x / step) * step * 1000) / 1000;
}

export function roundDecimals(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 through the usual u^(1/shape) boost. */
export function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.next() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let prod = rng.next();
  while (prod > limit) {
    k++;
    prod *= rng.next();
  }
  return k;
}

/** Negative binomial as a gamma-mixed Poisson: counts with the long right tail of credit histories. */
export function negativeBinomial(rng: Rng, mean: number, shape: number): number {
  return poisson(rng, (mean * gamma(rng, shape)) / shape);
}
