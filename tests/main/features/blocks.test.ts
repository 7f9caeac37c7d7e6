import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientBase } from '../../../src-main/data/clientBase.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';
import { FeatureError, clientFeatures } from '../../../src-main/features/client.ts';
import { featureNames } from '../../../src-main/features/recipe.ts';
import { storedClientFeatures } from '../../../src-main/features/store.ts';
import { application, differences, emptyBase, featuresOf, insert } from './helpers.ts';

/**
 * Hand-computed cases for every block of the recipe and every pitfall of home-credit.md §1.9. The expected
 * values are worked out in the comments from the rows inserted; the kernel's pandas gives the same, except where
 * a division by zero gives ±inf/NaN there and missing here (docs/features.md).
 */

let db: ClientBase;

beforeAll(() => {
  ({ db } = emptyBase());
  insert(
    db,
    'application',
    application(1, {
      NAME_CONTRACT_TYPE: 'Cash loans',
      NAME_TYPE_SUITE: null,
      ORGANIZATION_TYPE: 'Not a Kaggle level',
      EXT_SOURCE_1: 0.5,
      OWN_CAR_AGE: null,
    }),
    application(2, {
      CODE_GENDER: 'M',
      FLAG_OWN_CAR: 'Y',
      FLAG_OWN_REALTY: 'N',
      DAYS_EMPLOYED: 365243,
      CNT_FAM_MEMBERS: 0,
    }),
    application(3, { CODE_GENDER: 'XNA' }),
    ...[10, 11, 12, 20, 30, 40, 50, 51].map((id) => application(id)),
  );
  insert(
    db,
    'bureau',
    {
      SK_ID_CURR: 10,
      SK_ID_BUREAU: 101,
      CREDIT_ACTIVE: 'Active',
      CREDIT_CURRENCY: 'currency 1',
      CREDIT_TYPE: 'Consumer credit',
      DAYS_CREDIT: -100,
      AMT_CREDIT_SUM: 1000,
      CNT_CREDIT_PROLONG: 0,
    },
    {
      SK_ID_CURR: 10,
      SK_ID_BUREAU: 102,
      CREDIT_ACTIVE: 'Closed',
      CREDIT_CURRENCY: 'currency 1',
      CREDIT_TYPE: 'Credit card',
      DAYS_CREDIT: -300,
      AMT_CREDIT_SUM: 3000,
      CNT_CREDIT_PROLONG: 1,
    },
    {
      SK_ID_CURR: 10,
      SK_ID_BUREAU: 103,
      CREDIT_ACTIVE: 'Closed',
      CREDIT_CURRENCY: null,
      CREDIT_TYPE: 'Car loan',
      DAYS_CREDIT: -500,
      CNT_CREDIT_PROLONG: 2,
    },
    { SK_ID_CURR: 11, SK_ID_BUREAU: 111, CREDIT_ACTIVE: 'Closed', DAYS_CREDIT: -50, AMT_CREDIT_SUM: 10 },
    { SK_ID_CURR: 11, SK_ID_BUREAU: 112, CREDIT_ACTIVE: 'Sold', DAYS_CREDIT: -60, AMT_CREDIT_SUM: 20 },
  );
  insert(
    db,
    'bureau_balance',
    { SK_ID_BUREAU: 101, MONTHS_BALANCE: -1, STATUS: 'C' },
    { SK_ID_BUREAU: 101, MONTHS_BALANCE: -2, STATUS: '0' },
    { SK_ID_BUREAU: 101, MONTHS_BALANCE: -3, STATUS: 'X' },
    { SK_ID_BUREAU: 101, MONTHS_BALANCE: -4, STATUS: null },
    { SK_ID_BUREAU: 102, MONTHS_BALANCE: -1, STATUS: '1' },
    { SK_ID_BUREAU: 102, MONTHS_BALANCE: -2, STATUS: '1' },
  );
  insert(
    db,
    'previous_application',
    {
      SK_ID_PREV: 201,
      SK_ID_CURR: 20,
      NAME_CONTRACT_STATUS: 'Approved',
      NAME_CONTRACT_TYPE: 'Cash loans',
      AMT_APPLICATION: 100,
      AMT_CREDIT: 200,
      CNT_PAYMENT: 12,
      NAME_GOODS_CATEGORY: 'Photo / Cinema Equipment',
      NAME_YIELD_GROUP: 'not a Kaggle level',
    },
    {
      SK_ID_PREV: 202,
      SK_ID_CURR: 20,
      NAME_CONTRACT_STATUS: 'Refused',
      AMT_APPLICATION: 50,
      AMT_CREDIT: 0,
      CNT_PAYMENT: null,
    },
    {
      SK_ID_PREV: 203,
      SK_ID_CURR: 20,
      NAME_CONTRACT_STATUS: 'Approved',
      AMT_APPLICATION: 300,
      AMT_CREDIT: 200,
      CNT_PAYMENT: 24,
      NAME_GOODS_CATEGORY: 'Mobile',
      NAME_YIELD_GROUP: 'high',
    },
  );
  insert(
    db,
    'POS_CASH_balance',
    {
      SK_ID_PREV: 301,
      SK_ID_CURR: 30,
      MONTHS_BALANCE: -1,
      SK_DPD: 0,
      SK_DPD_DEF: 0,
      NAME_CONTRACT_STATUS: 'Active',
    },
    {
      SK_ID_PREV: 301,
      SK_ID_CURR: 30,
      MONTHS_BALANCE: -2,
      SK_DPD: 5,
      SK_DPD_DEF: 1,
      NAME_CONTRACT_STATUS: 'Completed',
    },
    { SK_ID_PREV: 302, SK_ID_CURR: 30 },
  );
  const instalment = (row: Record<string, number | null>) => ({ SK_ID_PREV: 401, SK_ID_CURR: 40, ...row });
  insert(
    db,
    'installments_payments',
    // paid 10 days late, half the amount
    instalment({
      NUM_INSTALMENT_VERSION: 1,
      DAYS_INSTALMENT: -100,
      DAYS_ENTRY_PAYMENT: -90,
      AMT_INSTALMENT: 100,
      AMT_PAYMENT: 50,
    }),
    // paid 5 days early, in full
    instalment({
      NUM_INSTALMENT_VERSION: 1,
      DAYS_INSTALMENT: -200,
      DAYS_ENTRY_PAYMENT: -205,
      AMT_INSTALMENT: 100,
      AMT_PAYMENT: 100,
    }),
    // never paid: no payment date, no amount; an instalment of 0
    instalment({
      NUM_INSTALMENT_VERSION: 2,
      DAYS_INSTALMENT: -300,
      DAYS_ENTRY_PAYMENT: null,
      AMT_INSTALMENT: 0,
      AMT_PAYMENT: null,
    }),
    // paid on the day, 10 paid on an instalment of 0
    instalment({
      NUM_INSTALMENT_VERSION: null,
      DAYS_INSTALMENT: -400,
      DAYS_ENTRY_PAYMENT: -400,
      AMT_INSTALMENT: 0,
      AMT_PAYMENT: 10,
    }),
  );
  insert(
    db,
    'credit_card_balance',
    { SK_ID_PREV: 501, SK_ID_CURR: 50, MONTHS_BALANCE: -1, AMT_BALANCE: 100, NAME_CONTRACT_STATUS: 'Active' },
    { SK_ID_PREV: 501, SK_ID_CURR: 50, MONTHS_BALANCE: -2, AMT_BALANCE: 300, NAME_CONTRACT_STATUS: 'Active' },
    {
      SK_ID_PREV: 501,
      SK_ID_CURR: 50,
      MONTHS_BALANCE: -3,
      AMT_BALANCE: null,
      NAME_CONTRACT_STATUS: 'Sent proposal',
    },
    ...[-1, -2, -3].map((month) => ({
      SK_ID_PREV: 511,
      SK_ID_CURR: 51,
      MONTHS_BALANCE: month,
      AMT_CREDIT_LIMIT_ACTUAL: 0.1,
    })),
  );
});

afterAll(() => db.close());

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 12);

describe('application block', () => {
  it('codes the binary columns as pd.factorize does on the real data', () => {
    const f = featuresOf(db, 1);
    const m = featuresOf(db, 2);
    expect([f('CODE_GENDER'), f('FLAG_OWN_CAR'), f('FLAG_OWN_REALTY')]).toEqual([1, 0, 0]);
    expect([m('CODE_GENDER'), m('FLAG_OWN_CAR'), m('FLAG_OWN_REALTY')]).toEqual([0, 1, 1]);
  });

  it('divides integers as reals: DAYS_EMPLOYED_PERC = -1000 / -10000', () => {
    const f = featuresOf(db, 1);
    expect(f('DAYS_EMPLOYED_PERC')).toBe(0.1);
    expect(f('INCOME_CREDIT_PERC')).toBe(0.5);
    expect(f('INCOME_PER_PERSON')).toBe(50000);
    expect(f('ANNUITY_INCOME_PERC')).toBe(0.1);
    expect(f('PAYMENT_RATE')).toBe(0.05);
  });

  it('reads DAYS_EMPLOYED 365243 as missing, and the ratio built on it too', () => {
    const m = featuresOf(db, 2);
    expect(m('DAYS_EMPLOYED')).toBeNaN();
    expect(m('DAYS_EMPLOYED_PERC')).toBeNaN();
    expect(featuresOf(db, 1)('DAYS_EMPLOYED')).toBe(-1000);
  });

  it('gives missing for a division by zero (pandas: inf)', () => {
    expect(featuresOf(db, 2)('INCOME_PER_PERSON')).toBeNaN();
  });

  it('passes numeric columns through, missing kept', () => {
    const f = featuresOf(db, 1);
    expect(f('EXT_SOURCE_1')).toBe(0.5);
    expect(f('OWN_CAR_AGE')).toBeNaN();
    expect(f('AMT_CREDIT')).toBe(200000);
  });

  it('one-hot encodes without _nan columns: a missing or unknown level is 0 in every dummy', () => {
    const f = featuresOf(db, 1);
    expect(f('NAME_CONTRACT_TYPE_Cash loans')).toBe(1);
    expect(f('NAME_CONTRACT_TYPE_Revolving loans')).toBe(0);
    const suite = featureNames.filter((n) => n.startsWith('NAME_TYPE_SUITE_'));
    expect(suite).toHaveLength(7);
    expect(suite.map(f)).toEqual(suite.map(() => 0));
    const organisation = featureNames.filter((n) => n.startsWith('ORGANIZATION_TYPE_'));
    expect(organisation).toHaveLength(58);
    expect(organisation.map(f)).toEqual(organisation.map(() => 0));
    expect(featureNames.filter((n) => n.endsWith('_nan') && !n.includes('_MEAN'))).toEqual([]);
  });

  it("leaves CODE_GENDER 'XNA' applications out, with a clear error on demand", () => {
    expect(() => clientFeatures(db, 3)).toThrow(FeatureError);
    expect(() => clientFeatures(db, 3)).toThrow(/CODE_GENDER = 'XNA'/);
  });
});

describe('bureau block (BURO_, ACTIVE_, CLOSED_)', () => {
  it('aggregates every credit, skipping missing values', () => {
    const f = featuresOf(db, 10);
    expect([f('BURO_DAYS_CREDIT_MIN'), f('BURO_DAYS_CREDIT_MAX'), f('BURO_DAYS_CREDIT_MEAN')]).toEqual([
      -500, -100, -300,
    ]);
    // sample variance of -100, -300, -500: (200² + 0 + 200²) / 2
    expect(f('BURO_DAYS_CREDIT_VAR')).toBe(40000);
    expect([
      f('BURO_AMT_CREDIT_SUM_SUM'),
      f('BURO_AMT_CREDIT_SUM_MEAN'),
      f('BURO_AMT_CREDIT_SUM_MAX'),
    ]).toEqual([4000, 2000, 3000]);
    expect(f('BURO_CNT_CREDIT_PROLONG_SUM')).toBe(3);
  });

  it('gives 0 for the SUM of an all-missing column, missing for its MEAN and MAX', () => {
    const f = featuresOf(db, 10);
    expect(f('BURO_AMT_CREDIT_SUM_DEBT_SUM')).toBe(0);
    expect(f('BURO_AMT_CREDIT_SUM_DEBT_MEAN')).toBeNaN();
    expect(f('BURO_AMT_CREDIT_SUM_DEBT_MAX')).toBeNaN();
  });

  it('aggregates bureau_balance per credit first, then over the credits (a credit without months is skipped)', () => {
    const f = featuresOf(db, 10);
    expect(f('BURO_MONTHS_BALANCE_MIN_MIN')).toBe(-4);
    expect(f('BURO_MONTHS_BALANCE_MAX_MAX')).toBe(-1);
    // sizes 4 (a NULL status counted) and 2; credit 103 has none
    expect(f('BURO_MONTHS_BALANCE_SIZE_MEAN')).toBe(3);
    expect(f('BURO_MONTHS_BALANCE_SIZE_SUM')).toBe(6);
    // shares per credit: C 1/4 and 0; 1: 0 and 1; nan: 1/4 and 0
    expect(f('BURO_STATUS_C_MEAN_MEAN')).toBe(0.125);
    expect(f('BURO_STATUS_1_MEAN_MEAN')).toBe(0.5);
    expect(f('BURO_STATUS_nan_MEAN_MEAN')).toBe(0.125);
    expect(f('BURO_STATUS_5_MEAN_MEAN')).toBe(0);
  });

  it('gives the share of credits per level, the always-present _nan dummy included', () => {
    const f = featuresOf(db, 10);
    close(f('BURO_CREDIT_ACTIVE_Active_MEAN'), 1 / 3);
    close(f('BURO_CREDIT_ACTIVE_Closed_MEAN'), 2 / 3);
    expect(f('BURO_CREDIT_ACTIVE_nan_MEAN')).toBe(0);
    close(f('BURO_CREDIT_CURRENCY_currency 1_MEAN'), 2 / 3);
    close(f('BURO_CREDIT_CURRENCY_nan_MEAN'), 1 / 3);
    close(f('BURO_CREDIT_TYPE_Consumer credit_MEAN'), 1 / 3);
    expect(f('BURO_CREDIT_TYPE_Mortgage_MEAN')).toBe(0);
  });

  it('computes ACTIVE_ and CLOSED_ over their credits only', () => {
    const f = featuresOf(db, 10);
    expect(f('ACTIVE_DAYS_CREDIT_MEAN')).toBe(-100);
    expect(f('ACTIVE_DAYS_CREDIT_VAR')).toBeNaN(); // one credit
    expect(f('ACTIVE_AMT_CREDIT_SUM_SUM')).toBe(1000);
    expect(f('ACTIVE_MONTHS_BALANCE_SIZE_SUM')).toBe(4);
    expect(f('CLOSED_DAYS_CREDIT_MEAN')).toBe(-400);
    expect(f('CLOSED_DAYS_CREDIT_VAR')).toBe(20000);
    expect(f('CLOSED_AMT_CREDIT_SUM_SUM')).toBe(3000);
    expect(f('CLOSED_MONTHS_BALANCE_SIZE_SUM')).toBe(2);
    expect(f('CLOSED_AMT_CREDIT_SUM_DEBT_SUM')).toBe(0);
  });

  it('gives missing in every ACTIVE_ feature, SUMs included, to a client without an active credit', () => {
    const f = featuresOf(db, 11);
    const active = featureNames.filter((n) => n.startsWith('ACTIVE_'));
    expect(active).toHaveLength(27);
    expect(active.map(f).every(Number.isNaN)).toBe(true);
    // the sold credit counts in BURO_ but in neither ACTIVE_ nor CLOSED_
    expect(f('BURO_AMT_CREDIT_SUM_SUM')).toBe(30);
    expect(f('CLOSED_AMT_CREDIT_SUM_SUM')).toBe(10);
    expect(f('BURO_CREDIT_ACTIVE_Sold_MEAN')).toBe(0.5);
    // no bureau_balance at all: the SUM of an all-missing column is still 0
    expect(f('BURO_MONTHS_BALANCE_SIZE_SUM')).toBe(0);
    expect(f('BURO_MONTHS_BALANCE_SIZE_MEAN')).toBeNaN();
  });

  it('gives missing in the whole block to a client without credits', () => {
    const f = featuresOf(db, 12);
    const bureau = featureNames.filter((n) => /^(BURO|ACTIVE|CLOSED)_/.test(n));
    expect(bureau).toHaveLength(116);
    expect(bureau.map(f).every(Number.isNaN)).toBe(true);
  });
});

describe('previous applications block (PREV_, APPROVED_, REFUSED_)', () => {
  it('computes APP_CREDIT_PERC per application, missing when AMT_CREDIT is 0 (pandas: inf)', () => {
    const f = featuresOf(db, 20);
    // 100/200 and 300/200; 50/0 is missing
    expect([
      f('PREV_APP_CREDIT_PERC_MIN'),
      f('PREV_APP_CREDIT_PERC_MAX'),
      f('PREV_APP_CREDIT_PERC_MEAN'),
    ]).toEqual([0.5, 1.5, 1]);
    expect(f('PREV_APP_CREDIT_PERC_VAR')).toBe(0.5);
    expect(f('APPROVED_APP_CREDIT_PERC_VAR')).toBe(0.5);
    expect(f('REFUSED_APP_CREDIT_PERC_MEAN')).toBeNaN();
  });

  it('gives 0 for the SUM of a filtered group whose rows are all missing, missing for its MEAN', () => {
    const f = featuresOf(db, 20);
    expect(f('PREV_CNT_PAYMENT_SUM')).toBe(36);
    expect(f('PREV_CNT_PAYMENT_MEAN')).toBe(18);
    expect(f('APPROVED_CNT_PAYMENT_SUM')).toBe(36);
    expect(f('REFUSED_CNT_PAYMENT_SUM')).toBe(0);
    expect(f('REFUSED_CNT_PAYMENT_MEAN')).toBeNaN();
    expect(f('REFUSED_AMT_APPLICATION_MEAN')).toBe(50);
  });

  it('one-hot encodes all 16 text columns with _nan, from the full Kaggle levels', () => {
    const f = featuresOf(db, 20);
    close(f('PREV_NAME_GOODS_CATEGORY_Photo / Cinema Equipment_MEAN'), 1 / 3);
    close(f('PREV_NAME_GOODS_CATEGORY_nan_MEAN'), 1 / 3);
    close(f('PREV_NAME_CONTRACT_STATUS_Approved_MEAN'), 2 / 3);
    close(f('PREV_NAME_CONTRACT_TYPE_nan_MEAN'), 2 / 3);
    // a column never filled: its _nan dummy is 1, every level 0
    expect(f('PREV_NAME_PORTFOLIO_nan_MEAN')).toBe(1);
    expect(f('PREV_NAME_PORTFOLIO_POS_MEAN')).toBe(0);
    expect(featureNames.filter((n) => n.startsWith('PREV_') && n.endsWith('_nan_MEAN'))).toHaveLength(16);
  });

  it('puts a level outside the list in no dummy, not even _nan', () => {
    const f = featuresOf(db, 20);
    const yield_ = featureNames.filter((n) => n.startsWith('PREV_NAME_YIELD_GROUP_'));
    close(f('PREV_NAME_YIELD_GROUP_high_MEAN'), 1 / 3);
    close(f('PREV_NAME_YIELD_GROUP_nan_MEAN'), 1 / 3);
    close(
      yield_.map(f).reduce((a, b) => a + b),
      2 / 3,
    );
  });
});

describe('POS_CASH_balance block (POS_)', () => {
  it('aggregates the monthly rows; SIZE and COUNT count rows, missing values included', () => {
    const f = featuresOf(db, 30);
    expect([f('POS_MONTHS_BALANCE_MAX'), f('POS_MONTHS_BALANCE_MEAN'), f('POS_MONTHS_BALANCE_SIZE')]).toEqual(
      [-1, -1.5, 3],
    );
    expect([f('POS_SK_DPD_MAX'), f('POS_SK_DPD_MEAN'), f('POS_SK_DPD_DEF_MEAN')]).toEqual([5, 2.5, 0.5]);
    close(f('POS_NAME_CONTRACT_STATUS_Active_MEAN'), 1 / 3);
    close(f('POS_NAME_CONTRACT_STATUS_nan_MEAN'), 1 / 3);
    expect(f('POS_NAME_CONTRACT_STATUS_XNA_MEAN')).toBe(0);
    expect(f('POS_COUNT')).toBe(3);
  });
});

describe('installments block (INSTAL_)', () => {
  it('counts a missing payment date as 0 days late and 0 days early, not as missing', () => {
    const f = featuresOf(db, 40);
    // DPD per instalment: 10, 0, 0 (no payment date), 0
    expect([f('INSTAL_DPD_MAX'), f('INSTAL_DPD_MEAN'), f('INSTAL_DPD_SUM')]).toEqual([10, 2.5, 10]);
    // DBD: 0, 5, 0, 0
    expect([f('INSTAL_DBD_MAX'), f('INSTAL_DBD_MEAN'), f('INSTAL_DBD_SUM')]).toEqual([5, 1.25, 5]);
  });

  it('computes PAYMENT_PERC (missing on an instalment of 0) and PAYMENT_DIFF per instalment', () => {
    const f = featuresOf(db, 40);
    // PAYMENT_PERC: 0.5, 1, missing (nothing paid), missing (10 / 0)
    expect([
      f('INSTAL_PAYMENT_PERC_MAX'),
      f('INSTAL_PAYMENT_PERC_MEAN'),
      f('INSTAL_PAYMENT_PERC_SUM'),
    ]).toEqual([1, 0.75, 1.5]);
    expect(f('INSTAL_PAYMENT_PERC_VAR')).toBe(0.125);
    // PAYMENT_DIFF: 50, 0, missing, -10; mean 40/3, sample variance (110² + 40² + 70²) / 9 / 2 = 3100/3
    expect(f('INSTAL_PAYMENT_DIFF_SUM')).toBe(40);
    close(f('INSTAL_PAYMENT_DIFF_MEAN'), 40 / 3);
    close(f('INSTAL_PAYMENT_DIFF_VAR'), 3100 / 3);
  });

  it('counts distinct versions, missing excluded, and every row', () => {
    const f = featuresOf(db, 40);
    expect(f('INSTAL_NUM_INSTALMENT_VERSION_NUNIQUE')).toBe(2);
    expect(f('INSTAL_COUNT')).toBe(4);
    expect([f('INSTAL_AMT_PAYMENT_MIN'), f('INSTAL_AMT_PAYMENT_SUM')]).toEqual([10, 160]);
    expect([f('INSTAL_DAYS_ENTRY_PAYMENT_MAX'), f('INSTAL_DAYS_ENTRY_PAYMENT_SUM')]).toEqual([-90, -695]);
  });
});

describe('credit card block (CC_)', () => {
  it('applies MIN, MAX, MEAN, SUM and VAR to every column, the dummies included', () => {
    const f = featuresOf(db, 50);
    expect(['MIN', 'MAX', 'MEAN', 'SUM', 'VAR'].map((a) => f(`CC_AMT_BALANCE_${a}`))).toEqual([
      100, 300, 200, 400, 20000,
    ]);
    expect(f('CC_MONTHS_BALANCE_VAR')).toBe(1);
    const active = (a: string) => f(`CC_NAME_CONTRACT_STATUS_Active_${a}`);
    expect([active('MIN'), active('MAX'), active('SUM')]).toEqual([0, 1, 2]);
    close(active('MEAN'), 2 / 3);
    close(active('VAR'), 1 / 3);
    expect(f('CC_NAME_CONTRACT_STATUS_Sent proposal_SUM')).toBe(1);
    expect(f('CC_NAME_CONTRACT_STATUS_nan_MAX')).toBe(0);
    expect(f('CC_COUNT')).toBe(3);
  });

  it('gives 0 for the SUM of an all-missing column and missing for its MEAN and VAR', () => {
    const f = featuresOf(db, 50);
    expect(f('CC_AMT_DRAWINGS_ATM_CURRENT_SUM')).toBe(0);
    expect(f('CC_AMT_DRAWINGS_ATM_CURRENT_MEAN')).toBeNaN();
    expect(f('CC_AMT_DRAWINGS_ATM_CURRENT_VAR')).toBeNaN();
  });

  it('gives exactly 0 for the variance of a constant column (0.1 three times)', () => {
    expect(featuresOf(db, 51)('CC_AMT_CREDIT_LIMIT_ACTUAL_VAR')).toBe(0);
  });
});

describe('batch over the same base', () => {
  it('gives every client exactly the features computed on demand, and no row to an XNA application', async () => {
    await computeFeatures(db);
    const ids = db
      .prepare('SELECT SK_ID_CURR FROM client_features ORDER BY SK_ID_CURR')
      .pluck()
      .all() as number[];
    expect(ids).toEqual([1, 2, 10, 11, 12, 20, 30, 40, 50, 51]);
    for (const id of ids) {
      expect(differences(storedClientFeatures(db, id)!, clientFeatures(db, id), featureNames)).toEqual([]);
    }
    // a client without any history row stores NULL blocks, read back as missing
    const client1 = db.prepare('SELECT bureau, creditCard FROM client_features WHERE SK_ID_CURR = 1').get();
    expect(client1).toEqual({ bureau: null, creditCard: null });
  });
});
