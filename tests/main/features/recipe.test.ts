import { describe, expect, it } from 'vitest';
import { tableSpec } from '../../../src-main/data/schema.ts';
import { blocks, dummyLevels, featureIndex, featureNames } from '../../../src-main/features/recipe.ts';

describe('the recipe', () => {
  it('gives the kernel’s 795 features in its block order', () => {
    expect(featureNames).toHaveLength(795);
    expect(blocks.map((b) => [b.name, b.end - b.start])).toEqual([
      ['application', 245],
      ['bureau', 116],
      ['previous', 249],
      ['pos', 18],
      ['installments', 26],
      ['creditCard', 141],
    ]);
    expect(new Set(featureNames).size).toBe(795);
  });

  it('names features as the kernel does', () => {
    for (const name of [
      'BURO_CREDIT_TYPE_Consumer credit_MEAN',
      'PREV_NAME_GOODS_CATEGORY_Photo / Cinema Equipment_MEAN',
      'CC_NAME_CONTRACT_STATUS_Sent proposal_VAR',
      'INSTAL_DPD_MEAN',
      'POS_COUNT',
      'BURO_STATUS_nan_MEAN_MEAN',
      'BURO_MONTHS_BALANCE_SIZE_SUM',
      'ACTIVE_DAYS_CREDIT_VAR',
      'CLOSED_MONTHS_BALANCE_MAX_MAX',
      'APPROVED_APP_CREDIT_PERC_VAR',
      'REFUSED_CNT_PAYMENT_SUM',
      'POS_NAME_CONTRACT_STATUS_Amortized debt_MEAN',
      'INSTAL_NUM_INSTALMENT_VERSION_NUNIQUE',
      'CC_COUNT',
      'NAME_TYPE_SUITE_Spouse, partner',
      'ORGANIZATION_TYPE_Trade: type 7',
      'PAYMENT_RATE',
    ])
      expect(featureNames, name).toContain(name);
  });

  it('keeps the application columns in file order, then the dummies, then the five ratios', () => {
    expect(featureNames.slice(0, 5)).toEqual([
      'CODE_GENDER',
      'FLAG_OWN_CAR',
      'FLAG_OWN_REALTY',
      'CNT_CHILDREN',
      'AMT_INCOME_TOTAL',
    ]);
    expect(featureNames.slice(240, 245)).toEqual([
      'DAYS_EMPLOYED_PERC',
      'INCOME_CREDIT_PERC',
      'INCOME_PER_PERSON',
      'ANNUITY_INCOME_PERC',
      'PAYMENT_RATE',
    ]);
    expect(featureIndex('NAME_CONTRACT_TYPE_Cash loans')).toBe(107);
    expect(featureNames.slice(0, 245).filter((n) => n.endsWith('_nan'))).toEqual([]);
  });

  it('orders a column’s dummies as pd.get_dummies does: levels sorted by code point, then _nan', () => {
    const prefix = 'PREV_NAME_CONTRACT_TYPE_';
    expect(featureNames.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length))).toEqual([
      'Cash loans_MEAN',
      'Consumer loans_MEAN',
      'Revolving loans_MEAN',
      'XNA_MEAN',
      'nan_MEAN',
    ]);
    // upper case before lower case, as Python sorts: the schema lists them most frequent first
    expect(dummyLevels('previous_application', 'NAME_YIELD_GROUP')).toEqual([
      'XNA',
      'high',
      'low_action',
      'low_normal',
      'middle',
    ]);
  });

  it('takes every level of the schema, whatever the data holds', () => {
    for (const column of tableSpec('previous_application').columns.filter((c) => c.type === 'category')) {
      const dummies = featureNames.filter((n) => n.startsWith(`PREV_${column.name}_`));
      expect(dummies, column.name).toHaveLength(column.levels!.length + 1);
    }
  });

  it('aggregates every credit card column with the five aggregates, dummies included', () => {
    const cc = featureNames.filter((n) => n.startsWith('CC_'));
    expect(cc.slice(0, 5)).toEqual([
      'CC_MONTHS_BALANCE_MIN',
      'CC_MONTHS_BALANCE_MAX',
      'CC_MONTHS_BALANCE_MEAN',
      'CC_MONTHS_BALANCE_SUM',
      'CC_MONTHS_BALANCE_VAR',
    ]);
    expect(cc.filter((n) => n.startsWith('CC_NAME_CONTRACT_STATUS_'))).toHaveLength(40);
    expect(cc.at(-1)).toBe('CC_COUNT');
  });

  it('refuses an unknown feature name', () => {
    expect(() => featureIndex('NOT_A_FEATURE')).toThrow(/no feature named NOT_A_FEATURE/);
  });
});
