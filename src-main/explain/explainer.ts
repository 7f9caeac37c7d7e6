import { InterventionalShap } from './interventional.ts';
import type { TreeModel } from './onnxTrees.ts';
import { PathDependentShap, type PathDependentOptions } from './pathDependent.ts';
import { outputOf, toComparisonPrecision } from './predict.ts';

export type ShapMethod = 'path-dependent' | 'interventional';

export interface ExplainerOptions extends PathDependentOptions {
  /**
   * Background rows (row-major, NaN = missing) for interventional TreeSHAP. Given, they are used even when the
   * model has covers; required when it has none.
   */
  background?: { values: Float64Array; rows: number };
}

/** Per-row results of a batch: SHAP values then the bias (nFeatures + 1 per row), margins, model outputs. */
export interface ShapBatch {
  rows: number;
  shap: Float64Array;
  margins: Float64Array;
  outputs: Float64Array;
}

export class AdditivityError extends Error {
  override name = 'AdditivityError';
}

const ADDITIVITY_TOLERANCE = 1e-9;
/** Rows explained together, tree by tree: enough to reuse a tree's data from cache, few enough to stay there. */
const BLOCK_ROWS = 32;

/** SHAP values on the margin (log-odds) scale for any rows, by the method the model and options allow. */
export class Explainer {
  readonly method: ShapMethod;
  /** Says which method is used and why, for the user. */
  readonly notice: string;
  readonly bias: number;
  private readonly engine: PathDependentShap | InterventionalShap;
  /** A block of rows in comparison precision. */
  private readonly x: Float64Array;
  private readonly checkAdditivity: boolean;

  constructor(
    readonly model: TreeModel,
    options: ExplainerOptions = {},
  ) {
    const covers = coverProblem(model);
    if (options.background) {
      this.method = 'interventional';
      this.engine = new InterventionalShap(model, options.background.values, options.background.rows);
      this.notice =
        `Interventional TreeSHAP over ${options.background.rows} background rows` +
        (covers
          ? ` (the model has no usable node covers: ${covers}).`
          : ' (asked for, though the model has node covers).');
    } else if (covers) {
      throw new Error(
        `${model.file}: the model has no usable node covers (${covers}), so path-dependent TreeSHAP is impossible; give a background sample for interventional TreeSHAP`,
      );
    } else {
      this.method = 'path-dependent';
      this.engine = new PathDependentShap(model, options);
      this.notice = 'Path-dependent TreeSHAP from the node covers in the model (as XGBoost pred_contribs).';
    }
    this.bias = this.engine.bias;
    this.x = new Float64Array(BLOCK_ROWS * model.forest.nFeatures);
    this.checkAdditivity = Boolean(process.env.SCORING_DESK_DEBUG);
  }

  /** Explains `count` rows of a row-major matrix (NaN = missing), starting at row `first`. */
  explain(values: Float64Array, first: number, count: number): ShapBatch {
    const n = this.model.forest.nFeatures;
    const width = n + 1;
    const batch: ShapBatch = {
      rows: count,
      shap: new Float64Array(count * width),
      margins: new Float64Array(count),
      outputs: new Float64Array(count),
    };
    for (let done = 0; done < count; done += BLOCK_ROWS) {
      const rows = Math.min(BLOCK_ROWS, count - done);
      for (let r = 0; r < rows; r++) {
        toComparisonPrecision(
          this.model,
          values,
          (first + done + r) * n,
          this.x.subarray(r * n, (r + 1) * n),
        );
      }
      this.engine.explainBlock(
        this.x,
        rows,
        batch.shap.subarray(done * width),
        width,
        batch.margins.subarray(done, done + rows),
      );
    }
    for (let r = 0; r < count; r++) {
      batch.shap[r * width + n] = this.bias;
      batch.outputs[r] = outputOf(this.model, batch.margins[r]!);
      if (this.checkAdditivity)
        this.assertAdditive(batch.shap.subarray(r * width, r * width + n), batch.margins[r]!, first + r);
    }
    return batch;
  }

  private assertAdditive(phi: Float64Array, margin: number, row: number): void {
    let sum = this.bias;
    for (let j = 0; j < phi.length; j++) sum += phi[j]!;
    if (!(Math.abs(sum - margin) <= ADDITIVITY_TOLERANCE)) {
      throw new AdditivityError(
        `row ${row}: bias + Σ SHAP = ${sum} but the margin is ${margin} (${this.method} TreeSHAP, ${this.model.file})`,
      );
    }
  }
}

/** Why the model's covers cannot drive path-dependent TreeSHAP, or undefined when they can. */
export function coverProblem(model: TreeModel): string | undefined {
  const { cover, feature } = model.forest;
  if (!cover) return 'nodes_hitrates is absent';
  let allEqual = true;
  for (let i = 0; i < cover.length; i++) {
    const c = cover[i]!;
    if (!Number.isFinite(c) || c < 0) return `a node has cover ${c}`;
    if (feature[i]! >= 0 && c === 0) return 'a branch node has cover 0';
    if (c !== cover[0]) allEqual = false;
  }
  if (allEqual) return `every nodes_hitrates is ${cover[0]}, as converters write when they have no covers`;
  return undefined;
}
