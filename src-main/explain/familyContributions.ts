/**
 * From log-odds SHAP values to contributions on the probability scale that add up.
 *
 * Method (the model card states it): the SHAP values are summed per reason family (φ_F); the families are then
 * players of the game v(S) = σ(bias + Σ_{F∈S} φ_F) − σ(bias), whose exact Shapley values ψ_F add up from
 * σ(bias) to σ(bias + Σ φ_F), the client's probability. σ is increasing, so every marginal gain of F has the sign
 * of φ_F, and so has ψ_F. Within a family, ψ_F is shared among the features in proportion to their SHAP values:
 * feature j gets k_F · s_j with k_F = ψ_F / φ_F, a Shapley-weighted mean slope of σ, always in (0, 1/4]. Features
 * pulling against their family therefore get a contribution of their own sign, scaled by the same k_F, and the
 * shares still add up to ψ_F exactly.
 */

/** Beyond this, 2^n subsets stop being cheap; the catalogue has 13 families. */
export const MAX_PLAYERS = 20;

export interface FamilyGame {
  /** ψ_F per family, in the order of `phi`. */
  contributions: Float64Array;
  /** k_F per family: ψ_F = k_F · φ_F, and each feature of F gets k_F times its SHAP value. */
  slopes: Float64Array;
}

/**
 * Exact Shapley values of v(S) = σ(bias + Σ_{F∈S} φ_F) − σ(bias). Uses
 * σ(a + d) − σ(a) = sinh(d/2) / (2 cosh((a + d)/2) cosh(a/2)), which has no cancellation when d is small, so the
 * slopes stay accurate for tiny φ_F (and are σ's derivative in the limit φ_F = 0).
 */
export function familyShapley(bias: number, phi: ArrayLike<number>): FamilyGame {
  const n = phi.length;
  if (n > MAX_PLAYERS) throw new RangeError(`familyShapley: ${n} families, at most ${MAX_PLAYERS}`);
  const subsets = 1 << n;
  // 1 / cosh(half margin) of every coalition, from e^(margin/2) built as a product over the coalition (each
  // from the coalition without its lowest member): one multiplication per coalition instead of an exponential.
  const factor = Float64Array.from({ length: n }, (_, i) => Math.exp(phi[i]! / 2));
  const halfExp = new Float64Array(subsets);
  const inverseCosh = new Float64Array(subsets);
  const size = new Uint8Array(subsets);
  halfExp[0] = Math.exp(bias / 2);
  inverseCosh[0] = 1 / Math.cosh(bias / 2);
  for (let mask = 1; mask < subsets; mask++) {
    const low = 31 - Math.clz32(mask & -mask);
    const rest = mask & (mask - 1);
    const e = halfExp[rest]! * factor[low]!;
    halfExp[mask] = e;
    size[mask] = size[rest]! + 1;
    inverseCosh[mask] = (2 * e) / (e * e + 1);
  }
  const weight = shapleyWeights(n);
  // Shapley weight of the coalition times its 1 / cosh, so the inner loop is one multiply-add.
  const weighted = new Float64Array(subsets);
  for (let mask = 0; mask < subsets; mask++) weighted[mask] = weight[size[mask]!]! * inverseCosh[mask]!;
  const contributions = new Float64Array(n);
  const slopes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    let total = 0;
    // The coalitions without i: every high part (a multiple of 2·bit) with every low part below bit.
    for (let high = 0; high < subsets; high += bit << 1) {
      for (let mask = high; mask < high + bit; mask++) total += weighted[mask]! * inverseCosh[mask | bit]!;
    }
    const d = phi[i]!;
    contributions[i] = (Math.sinh(d / 2) / 2) * total;
    slopes[i] = (sinhHalfOver(d) / 2) * total;
  }
  return { contributions, slopes };
}

/** sinh(d/2) / d, 1/2 at d = 0. */
function sinhHalfOver(d: number): number {
  return d === 0 ? 0.5 : Math.sinh(d / 2) / d;
}

/** s! (n − s − 1)! / n! for coalitions of size s = 0 … n − 1. */
function shapleyWeights(n: number): Float64Array {
  const weight = new Float64Array(Math.max(n, 1));
  // w(0) = 1/n, w(s) = w(s − 1) · s / (n − s).
  weight[0] = 1 / n;
  for (let s = 1; s < n; s++) weight[s] = (weight[s - 1]! * s) / (n - s);
  return weight;
}

export interface GroupedContributions {
  /** Σ SHAP per group (log-odds). */
  groupShap: Float64Array;
  /** ψ per group (probability scale). */
  groupContributions: Float64Array;
  /** Each feature's share of its group's ψ. */
  featureContributions: Float64Array;
}

/**
 * Groups SHAP values (`group[j]` = the group of feature j, 0 … groups − 1) and puts them on the probability
 * scale. A group whose SHAP values cancel out (φ = 0) is a null player with ψ = 0, yet its features still get
 * their shares (of opposite signs, adding up to 0).
 */
export function groupedContributions(
  bias: number,
  shap: ArrayLike<number>,
  group: ArrayLike<number>,
  groups: number,
): GroupedContributions {
  const groupShap = new Float64Array(groups);
  for (let j = 0; j < shap.length; j++) groupShap[group[j]!] = groupShap[group[j]!]! + shap[j]!;
  const game = familyShapley(bias, groupShap);
  const featureContributions = new Float64Array(shap.length);
  for (let j = 0; j < shap.length; j++) featureContributions[j] = game.slopes[group[j]!]! * shap[j]!;
  return { groupShap, groupContributions: game.contributions, featureContributions };
}
