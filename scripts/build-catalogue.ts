/**
 * Writes data/features/catalogue.json from the recipe and the wording data (`npm run build:catalogue`).
 * The file is committed: the app reads it as data, and a test fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { buildCatalogue } from '../src-main/features/catalogueBuilder.ts';

const path = resolve(import.meta.dirname, '../data/features/catalogue.json');
const catalogue = buildCatalogue();
const options = { ...(await resolveConfig(path)), parser: 'json', filepath: path };
writeFileSync(path, await format(JSON.stringify(catalogue), options));
console.log(`Wrote ${catalogue.features.length} features to ${path}`);
