import { z } from 'zod';
import rawCatalogue from '../../data/features/catalogue.json' with { type: 'json' };
import rawProtected from '../../data/features/protected.json' with { type: 'json' };
import { catalogueSchema, type CatalogueEntry } from './catalogueSchema.ts';
import { featureNames } from './recipe.ts';

/**
 * The feature catalogue (data/features/catalogue.json): what each feature means, in French and English, its
 * unit, display format, reason family, and whether it is actionable, sensitive or protected. Protected features
 * (data/features/protected.json) are not model inputs but stay available to fairness reports.
 */

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

function loadCatalogue() {
  const catalogue = catalogueSchema.parse(rawCatalogue);
  const protectedColumns = z.object({ attributes: z.array(z.string()) }).parse(rawProtected).attributes;
  const stale = (why: string) =>
    new CatalogueError(`data/features/catalogue.json is out of date (${why}): run npm run build:catalogue`);
  const names = catalogue.features.map((f) => f.name);
  if (names.length !== featureNames.length || names.some((n, i) => n !== featureNames[i]))
    throw stale('its features are not the recipe’s');
  for (const feature of catalogue.features) {
    const expected = feature.sources.some((s) => protectedColumns.some((c) => s === `application.${c}`));
    if (feature.protected !== expected)
      throw stale(`${feature.name} should ${expected ? '' : 'not '}be protected`);
  }
  return catalogue;
}

export const catalogue = loadCatalogue();

export function catalogueEntry(name: string): CatalogueEntry {
  const entry = catalogue.features.find((f) => f.name === name);
  if (!entry) throw new CatalogueError(`no feature named ${name} in the catalogue`);
  return entry;
}

/** Features that must not reach the model (computed from a protected attribute), in vector order. */
export const protectedFeatures: readonly string[] = catalogue.features
  .filter((f) => f.protected)
  .map((f) => f.name);

/** The model's inputs: every feature but the protected ones, in vector order. */
export const modelInputs: readonly string[] = catalogue.features
  .filter((f) => !f.protected)
  .map((f) => f.name);

/** Positions of the model inputs in the full feature vector. */
export const modelInputIndices: readonly number[] = catalogue.features.flatMap((f, i) =>
  f.protected ? [] : [i],
);
