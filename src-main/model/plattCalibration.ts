import { checkPair } from './metrics.ts';

/**
 * Platt scaling: p = σ(a·m + b) on a model's margin m, fitted by maximum likelihood (Newton's method on the two
 * parameters). Being affine in the margin, it folds exactly into a tree model (leaves × a, base × a + b), so the
 * exported file itself outputs calibrated probabilities.
 */
export interface PlattScaling {
  a: number;
  b: number;
}

export const IDENTITY_SCALING: Readonly<PlattScaling> = Object.freeze({ a: 1, b: 0 });

export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): PlattScaling {
  checkPair(margins, labels, 'fitPlatt');
  let a = 1;
  let b = 0;
  let loss = negLogLikelihood(margins, labels, a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < labels.length; i++) {
      const m = margins[i]!;
      const p = 1 / (1 + Math.exp(-(a * m + b)));
      const r = p - labels[i]!;
      const w = p * (1 - p);
      ga += r * m;
      gb += r;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) throw new Error('fitPlatt: the margins do not separate a slope (all equal?)');
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Step-halving keeps Newton's method descending when the start is far from the optimum.
    let step = 1;
    let next = negLogLikelihood(margins, labels, a - da, b - db);
    while (next > loss && step > 1e-6) {
      step /= 2;
      next = negLogLikelihood(margins, labels, a - step * da, b - step * db);
    }
    a -= step * da;
    b -= step * db;
    const improvement = loss - next;
    loss = next;
    if (Math.abs(da) + Math.abs(db) < 1e-10 || improvement < 1e-12 * labels.length) break;
  }
  return { a, b };
}

function negLogLikelihood(
  margins: ArrayLike<number>,
  labels: ArrayLike<number>,
  a: number,
  b: number,
): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const z = a * margins[i]! + b;
    // log(1 + e^z) − y·z, computed without overflow.
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - labels[i]! * z;
  }
  return sum;
}
