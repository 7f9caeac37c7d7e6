import type { TreeModel } from './treeModel.ts';

export interface FeatureImportance {
  feature: string;
  /** Splits on the feature over all trees (the kernel's `feature_importances_`). */
  splits: number;
  /** Total loss reduction of those splits. */
  gain: number;
}

/** Global importance of every feature, by total gain then split count, most important first. */
export function featureImportance(model: TreeModel): FeatureImportance[] {
  const splits = new Float64Array(model.featureNames.length);
  const gain = new Float64Array(model.featureNames.length);
  for (const tree of model.trees) {
    for (let n = 0; n < tree.feature.length; n++) {
      const f = tree.feature[n]!;
      if (f < 0) continue;
      splits[f]!++;
      gain[f] = gain[f]! + tree.gain[n]!;
    }
  }
  return model.featureNames
    .map((feature, f) => ({ feature, splits: splits[f]!, gain: gain[f]! }))
    .sort((a, b) => b.gain - a.gain || b.splits - a.splits);
}
