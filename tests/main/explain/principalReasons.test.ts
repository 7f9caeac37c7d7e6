import { describe, expect, it } from 'vitest';
import { catalogueEntry } from '../../../src-main/features/catalogue.ts';
import type { FeatureReference } from '../../../src-main/explain/explanationReference.ts';
import { featureLabel, formatFeatureValue } from '../../../src-main/explain/formatValue.ts';
import { reasonSentence } from '../../../src-main/explain/principalReasons.ts';

/** A reference whose repaid quantiles (5, 10, 25, 50, 75, 90, 95 %) are given. */
function reference(
  repaidQuantiles: number[] | null,
  extra: Partial<FeatureReference> = {},
): FeatureReference {
  return {
    name: 'x',
    min: repaidQuantiles ? repaidQuantiles[0]! : null,
    max: repaidQuantiles ? repaidQuantiles[6]! : null,
    missingShare: 0,
    quantiles: repaidQuantiles,
    repaidQuantiles,
    repaidMean: null,
    meanAbsShap: 0,
    ...extra,
  };
}

const ext3 = catalogueEntry('EXT_SOURCE_3');
const scores = reference([0.1, 0.2, 0.42, 0.55, 0.68, 0.75, 0.8]);

describe('reasonSentence', () => {
  it('says the client is low, with the value and where most clients who repaid stand', () => {
    expect(reasonSentence('external_scores', ext3, 0.21, scores, 'en')).toBe(
      'Your external credit scores are low: 0.21 (External credit score 3), where most clients who repaid have 0.42 or more',
    );
    expect(reasonSentence('external_scores', ext3, 0.21, scores, 'fr')).toBe(
      'Vos scores de crédit externes sont bas : 0,21 (Score de crédit externe 3), alors que la plupart des clients qui ont remboursé ont 0,42 ou plus',
    );
  });

  it('compares with the median when the value is between the quartile and the median, and says "half"', () => {
    expect(reasonSentence('external_scores', ext3, 0.5, scores, 'en')).toMatch(
      /low: 0\.5 .*, where half of the clients who repaid have 0\.55 or more$/,
    );
    expect(reasonSentence('external_scores', ext3, 0.6, scores, 'en')).toMatch(
      /high: 0\.6 .*, where half of the clients who repaid have 0\.55 or less$/,
    );
    expect(reasonSentence('external_scores', ext3, 0.55, scores, 'en')).toBe(
      'External credit score 3: 0.55 (median among clients who repaid: 0.55)',
    );
  });

  it('uses the generic sentence for a family without its own, in both languages', () => {
    const credit = catalogueEntry('AMT_CREDIT');
    const amounts = reference([100_000, 150_000, 250_000, 450_000, 700_000, 900_000, 1_000_000]);
    expect(reasonSentence('loan_terms', credit, 1_200_000, amounts, 'en')).toBe(
      'Amount of the credit: €1,200,000, where most clients who repaid have €700,000 or less',
    );
    expect(reasonSentence('loan_terms', credit, 1_200_000, amounts, 'fr')).toBe(
      `Montant du crédit : 1${NNBSP}200${NNBSP}000${NBSP}€, alors que la plupart des clients qui ont remboursé ont 700${NNBSP}000${NBSP}€ ou moins`,
    );
  });

  it('drops "or less" when the reference is the smallest value there is', () => {
    const entry = catalogueEntry('INSTAL_DPD_MEAN');
    const late = reference([0, 0, 0, 0, 0, 1, 2]);
    expect(reasonSentence('instalment_repayment', entry, 6, late, 'en')).toMatch(
      /^Some instalments were paid late: .* 6 days, where most clients who repaid have 0 days$/,
    );
  });

  it('reads days before the application as lengths: a shorter time in the job is "low"', () => {
    const employed = catalogueEntry('DAYS_EMPLOYED');
    const days = reference([-6000, -4000, -3000, -1650, -800, -400, -200]);
    expect(reasonSentence('age_employment', employed, -150, days, 'en')).toBe(
      'Time in current job: 0.4 years, where most clients who repaid have 2.2 years or more',
    );
    expect(reasonSentence('age_employment', employed, -5000, days, 'en')).toBe(
      'Time in current job: 13.7 years, where most clients who repaid have 8.2 years or less',
    );
  });

  it('states a missing value, a flag against the share of clients who repaid, and a value without reference', () => {
    expect(reasonSentence('external_scores', ext3, NaN, scores, 'en')).toBe(
      'An external credit score is missing from your file (External credit score 3)',
    );
    const phone = catalogueEntry('FLAG_PHONE');
    expect(
      reasonSentence(
        'documents_contact',
        phone,
        0,
        reference([0, 0, 0, 0, 1, 1, 1], { repaidMean: 0.3 }),
        'en',
      ),
    ).toBe('Gave a phone number: no, as for 70% of the clients who repaid');
    expect(reasonSentence('loan_terms', catalogueEntry('AMT_CREDIT'), 5e5, reference(null), 'fr')).toBe(
      `Montant du crédit : 500${NNBSP}000${NBSP}€`,
    );
  });
});

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('labels and values', () => {
  it('strips notes the formatted value carries and formats by unit and locale', () => {
    expect(featureLabel(catalogueEntry('FLAG_OWN_CAR'), 'en')).toBe('Owns a car');
    expect(formatFeatureValue(catalogueEntry('FLAG_OWN_CAR'), 1, 'fr')).toBe('oui');
    expect(featureLabel(catalogueEntry('DAYS_BIRTH'), 'fr')).toBe('Âge');
    expect(formatFeatureValue(catalogueEntry('DAYS_BIRTH'), -15_000, 'fr')).toBe('41,1 ans');
    expect(formatFeatureValue(catalogueEntry('AMT_ANNUITY'), 24_903.5, 'en')).toBe('€24,904');
    expect(formatFeatureValue(catalogueEntry('EXT_SOURCE_2'), 0.5123, 'fr')).toBe('0,512');
    expect(formatFeatureValue(catalogueEntry('EXT_SOURCE_2'), NaN, 'en')).toBe('not provided');
  });
});
