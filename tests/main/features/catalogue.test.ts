import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  catalogueEntry,
  modelInputIndices,
  modelInputs,
  protectedFeatures,
} from '../../../src-main/features/catalogue.ts';
import { buildCatalogue } from '../../../src-main/features/catalogueBuilder.ts';
import { featureNames, features } from '../../../src-main/features/recipe.ts';
import { REPO } from './helpers.ts';

describe('the feature catalogue', () => {
  it('is up to date with the recipe and its wording data (npm run build:catalogue)', () => {
    const committed = JSON.parse(readFileSync(join(REPO, 'data/features/catalogue.json'), 'utf8')) as unknown;
    expect(committed).toEqual(buildCatalogue());
  });

  it('covers exactly the 795 features, in vector order, with every field filled', () => {
    expect(catalogue.features.map((f) => f.name)).toEqual(featureNames);
    const families = new Set(catalogue.families.map((f) => f.id));
    for (const entry of catalogue.features) {
      for (const text of [entry.description.fr, entry.description.en]) {
        expect(text, entry.name).toMatch(/^[A-ZÀ-Ý]/);
        expect(text, entry.name).not.toMatch(/[{}]|\s{2}|\bundefined\b/);
      }
      expect(entry.description.fr, entry.name).not.toBe(entry.description.en);
      expect(families.has(entry.family), entry.name).toBe(true);
      expect(entry.unit, entry.name).not.toBe('');
      expect(entry.format, entry.name).toMatch(/^(integer|decimal:\d|percent:\d|currency:\d|flag|code)$/);
      expect(entry.table, entry.name).not.toBe('');
    }
  });

  it('groups the features into about a dozen reason families, each of them used', () => {
    expect(catalogue.families.length).toBeGreaterThanOrEqual(10);
    expect(catalogue.families.length).toBeLessThanOrEqual(14);
    const used = new Set(catalogue.features.map((f) => f.family));
    expect([...used].sort()).toEqual(catalogue.families.map((f) => f.id).sort());
  });

  it('reads naturally in both languages', () => {
    expect(catalogueEntry('INSTAL_DPD_MEAN').description).toEqual({
      fr: 'Nombre moyen de jours de retard sur les échéances passées',
      en: 'Average days past due on past instalments',
    });
    expect(catalogueEntry('BURO_CREDIT_TYPE_Consumer credit_MEAN').description).toEqual({
      fr: 'Part des crédits déclarés au bureau de type « crédit à la consommation »',
      en: 'Share of credits reported to the credit bureau of type “consumer credit”',
    });
    expect(catalogueEntry('BURO_AMT_CREDIT_SUM_DEBT_SUM').description.fr).toBe(
      'Dette restante totale sur les crédits déclarés au bureau',
    );
    expect(catalogueEntry('NAME_INCOME_TYPE_Working').description.fr).toBe('Type de revenu : salarié');
  });

  it('gives units and formats that follow the aggregate', () => {
    expect(catalogueEntry('AMT_CREDIT')).toMatchObject({
      unit: 'amount',
      format: 'currency:0',
      actionable: true,
    });
    expect(catalogueEntry('PREV_NAME_GOODS_CATEGORY_Photo / Cinema Equipment_MEAN')).toMatchObject({
      unit: 'share',
      format: 'percent:1',
      family: 'previous_applications',
    });
    expect(catalogueEntry('CC_NAME_CONTRACT_STATUS_Sent proposal_VAR')).toMatchObject({ unit: 'variance' });
    expect(catalogueEntry('INSTAL_DPD_MEAN')).toMatchObject({ unit: 'days', format: 'decimal:1' });
    expect(catalogueEntry('POS_COUNT')).toMatchObject({ unit: 'count', format: 'integer' });
    expect(catalogueEntry('BURO_STATUS_1_MEAN_MEAN')).toMatchObject({
      family: 'overdue_credits',
      table: 'bureau_balance',
      sources: ['bureau_balance.STATUS'],
    });
    expect(catalogueEntry('EXT_SOURCE_2').family).toBe('external_scores');
    expect(catalogueEntry('ANNUITY_INCOME_PERC')).toMatchObject({
      family: 'debt_burden',
      actionable: true,
      sources: ['application.AMT_ANNUITY', 'application.AMT_INCOME_TOTAL'],
    });
  });

  it('marks as actionable only what the client can change in this application', () => {
    const actionable = catalogue.features.filter((f) => f.actionable);
    expect(actionable.every((f) => f.block === 'application')).toBe(true);
    expect(actionable.map((f) => f.name)).toContain('PAYMENT_RATE');
    expect(catalogueEntry('DAYS_BIRTH').actionable).toBe(false);
    expect(catalogueEntry('EXT_SOURCE_1').actionable).toBe(false);
  });

  it('flags sensitive attributes and what is computed from them', () => {
    for (const name of [
      'DAYS_BIRTH',
      'CODE_GENDER',
      'CNT_CHILDREN',
      'NAME_FAMILY_STATUS_Married',
      'DAYS_EMPLOYED_PERC',
    ])
      expect(catalogueEntry(name).sensitive, name).toBe(true);
    expect(catalogueEntry('AMT_CREDIT').sensitive).toBe(false);
  });
});

describe('protected attributes', () => {
  it('keeps CODE_GENDER out of the model inputs by default, but in the catalogue', () => {
    expect(protectedFeatures).toEqual(['CODE_GENDER']);
    expect(catalogueEntry('CODE_GENDER').protected).toBe(true);
    expect(modelInputs).not.toContain('CODE_GENDER');
    expect(modelInputs).toHaveLength(794);
    expect(modelInputIndices.map((i) => featureNames[i])).toEqual(modelInputs);
  });

  it('protects every feature computed from a listed attribute', () => {
    const built = buildCatalogue(['CODE_GENDER', 'DAYS_BIRTH']);
    const names = built.features.filter((f) => f.protected).map((f) => f.name);
    expect(names).toEqual(['CODE_GENDER', 'DAYS_BIRTH', 'DAYS_EMPLOYED_PERC']);
    expect(features.filter((f) => names.includes(f.name)).every((f) => f.block === 'application')).toBe(true);
  });

  it('refuses an attribute that is not an application column', () => {
    expect(() => buildCatalogue(['GENDER'])).toThrow(/GENDER is not a column of the application table/);
  });
});
