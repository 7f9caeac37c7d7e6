import { catalogue, CatalogueError } from '../features/catalogue.ts';
import type { CatalogueEntry } from '../features/catalogueSchema.ts';
import { featureNames } from '../features/recipe.ts';

/**
 * A model's inputs seen through the feature catalogue: where each sits in the full feature vector, its entry
 * (labels, format, flags) and its reason family. Explanations of any model whose inputs are catalogue features
 * go through this one mapping.
 */
export interface ModelFeatures {
  /** The model's inputs, in its order. */
  names: readonly string[];
  entries: readonly CatalogueEntry[];
  /** Position of each input in the full feature vector (catalogue order). */
  vectorIndex: Int32Array;
  /** Index into `families` of each input's reason family. */
  familyOf: Uint8Array;
  /** The catalogue's reason families, in catalogue order. */
  families: typeof catalogue.families;
}

export function modelFeatures(names: readonly string[], where: string): ModelFeatures {
  const positions = new Map(featureNames.map((name, i) => [name, i]));
  const familyIndex = new Map(catalogue.families.map((family, i) => [family.id, i]));
  const unknown = names.filter((name) => !positions.has(name));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? `, … (${unknown.length})` : '');
    throw new CatalogueError(
      `${where}: the model's inputs must be catalogue features to be explained; unknown: ${shown}`,
    );
  }
  const entries = names.map((name) => catalogue.features[positions.get(name)!]!);
  return {
    names,
    entries,
    vectorIndex: Int32Array.from(names, (name) => positions.get(name)!),
    familyOf: Uint8Array.from(entries, (entry) => familyIndex.get(entry.family)!),
    families: catalogue.families,
  };
}

/** The model's inputs picked out of a full feature vector (NaN = missing), in the model's order. */
export function modelRow(features: ModelFeatures, vector: Float64Array, out: Float64Array, at = 0): void {
  const { vectorIndex } = features;
  for (let k = 0; k < vectorIndex.length; k++) out[at + k] = vector[vectorIndex[k]!]!;
}
