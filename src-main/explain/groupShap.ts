import { InterventionalShap } from './interventional.ts';
import type { TreeModel } from './onnxTrees.ts';
import { toComparisonPrecision } from './predict.ts';

/**
 * Exact interventional Shapley values of groups of a model's inputs, on its margin (log-odds) scale: the players
 * are the groups (the reason families), and a coalition S is worth the mean margin over the background rows when
 * the inputs of the groups in S take the row's values and the others the background row's. They add up from the
 * background's mean margin (`bias`) to the row's margin.
 */
export class GroupShap {
  readonly bias: number;
  private readonly engine: InterventionalShap;
  private readonly x: Float64Array;
  private readonly margin = new Float64Array(1);

  constructor(
    private readonly model: TreeModel,
    background: { values: Float64Array; rows: number },
    groupOf: ArrayLike<number>,
    readonly groups: number,
  ) {
    for (let j = 0; j < groupOf.length; j++) {
      const g = groupOf[j]!;
      if (!(Number.isInteger(g) && g >= 0 && g < groups))
        throw new RangeError(`group shap: input ${j} is in group ${g}, outside 0 … ${groups - 1}`);
    }
    this.engine = new InterventionalShap(model, background.values, background.rows, groupOf);
    this.bias = this.engine.bias;
    this.x = new Float64Array(model.forest.nFeatures);
  }

  /** One row of inputs (model order, NaN = missing): its groups' values into `phi` (length `groups`), its margin. */
  explain(row: Float64Array, phi: Float64Array): number {
    phi.fill(0);
    toComparisonPrecision(this.model, row, 0, this.x);
    this.engine.explainBlock(this.x, 1, phi, this.groups, this.margin);
    return this.margin[0]!;
  }
}
