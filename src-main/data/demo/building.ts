import type { Row } from './csvWriter.ts';
import type { Choice } from './distributions.ts';
import { clamp, normalCdf, roundDecimals } from './distributions.ts';
import { levelChoice, type BuildingColumnParams, type DemoParams } from './params.ts';
import type { Rng } from './prng.ts';

const STATS = ['AVG', 'MODE', 'MEDI'] as const;

interface CompiledColumn {
  base: string;
  /** The AVG, MODE and MEDI column names, built once rather than per row. */
  names: readonly string[];
  spec: BuildingColumnParams;
  /** Null rate among rows that describe their building at all. */
  nullGivenPresent: number;
}

/**
 * The 47 normalised building columns. In Kaggle a row describes its building or not at all, and a described
 * building still misses some columns, the rarely known ones (COMMONAREA, FLOORSMIN...) together: missingness is
 * drawn from one latent per row so the blocks come out nested, and the values share a building-size latent.
 */
export class BuildingBuilder {
  private readonly columns: CompiledColumn[];
  private readonly totalArea: CompiledColumn;
  private readonly categories: { column: string; nullGivenPresent: number; choice: Choice<string> }[];

  constructor(private readonly p: DemoParams['building']) {
    const given = (nullRate: number) => {
      const rate = (nullRate - (1 - p.presentShare)) / p.presentShare;
      if (rate < 0) throw new Error(`demo parameters: a building null rate ${nullRate} is below the block's`);
      return rate;
    };
    this.columns = Object.entries(p.columns).map(([base, spec]) => ({
      base,
      names: STATS.map((stat) => `${base}_${stat}`),
      spec,
      nullGivenPresent: given(spec.nullRate),
    }));
    this.totalArea = {
      base: 'TOTALAREA_MODE',
      names: ['TOTALAREA_MODE'],
      spec: p.totalArea,
      nullGivenPresent: given(p.totalArea.nullRate),
    };
    this.categories = Object.entries(p.categories).map(([column, c]) => ({
      column,
      nullGivenPresent: given(c.nullRate),
      choice: levelChoice('application', column, c.weights),
    }));
  }

  fill(rng: Rng, row: Row): void {
    if (!rng.chance(this.p.presentShare)) {
      for (const { names } of this.columns) for (const name of names) row[name] = null;
      row.TOTALAREA_MODE = null;
      for (const { column } of this.categories) row[column] = null;
      return;
    }
    const sparseness = rng.normal();
    const size = rng.normal();
    for (const column of this.columns) {
      const avg = this.missing(rng, sparseness, column) ? null : this.value(rng, column.spec, size);
      const [avgName, modeName, mediName] = column.names as [string, string, string];
      row[avgName] = avg;
      row[modeName] = avg === null ? null : this.variant(rng, column.spec, avg, 'MODE');
      row[mediName] = avg === null ? null : this.variant(rng, column.spec, avg, 'MEDI');
    }
    row.TOTALAREA_MODE = this.missing(rng, sparseness, this.totalArea)
      ? null
      : this.value(rng, this.totalArea.spec, size);
    for (const category of this.categories)
      row[category.column] = this.missing(rng, sparseness, category) ? null : category.choice.draw(rng);
  }

  private missing(rng: Rng, sparseness: number, column: { nullGivenPresent: number }): boolean {
    const k = this.p.missingTogetherLoading;
    return normalCdf(-(k * sparseness + Math.sqrt(1 - k * k) * rng.normal())) < column.nullGivenPresent;
  }

  private value(rng: Rng, spec: BuildingColumnParams, size: number): number {
    if (spec.zeroShare && rng.chance(spec.zeroShare)) return 0;
    const z = spec.sizeLoading * size + Math.sqrt(1 - spec.sizeLoading ** 2) * rng.normal();
    let x: number;
    if (spec.form === 'lognormal') x = spec.median * Math.exp(spec.sigma * z);
    else if (spec.form === 'reflected') x = 1 - spec.median * Math.exp(spec.sigma * z);
    else x = spec.median + spec.sigma * z;
    if (spec.step) x = Math.round(x / spec.step) * spec.step;
    return roundDecimals(clamp(x, 0, 1), 4);
  }

  /** MODE and MEDI describe the same building as AVG, so they stay within a few percent of it. */
  private variant(rng: Rng, spec: BuildingColumnParams, avg: number, stat: 'MODE' | 'MEDI'): number {
    if (spec.sameAcrossStats || avg === 0) return avg;
    const d = stat === 'MODE' ? this.p.modeDeviation : this.p.mediDeviation;
    return roundDecimals(clamp(avg * (1 + d.bias + d.sd * rng.normal()), 0, 1), 4);
  }
}
