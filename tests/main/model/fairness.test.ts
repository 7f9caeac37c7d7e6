import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, ageBand, ratesByGroup, UNKNOWN_GROUP } from '../../../src-main/model/fairness.ts';

describe('ratesByGroup', () => {
  it('gives refusal and error rates per group at the threshold', () => {
    const p = [0.5, 0.05, 0.2, 0.3, 0.02, 0.01];
    const y = [1, 0, 0, 1, 0, 1];
    const g = ['F', 'F', 'F', 'M', 'M', 'M'];
    const [f, m] = ratesByGroup(p, y, g, 0.1);
    // F: refused 0.5 (defaulter) and 0.2 (good): 2/3 refused, TPR 1/1, FPR 1/2.
    expect(f).toMatchObject({ group: 'F', count: 3, truePositiveRate: 1, falsePositiveRate: 0.5 });
    expect(f!.refusalRate).toBeCloseTo(2 / 3, 12);
    expect(f!.defaultRate).toBeCloseTo(1 / 3, 12);
    // M: refused 0.3 (defaulter) only; the defaulter at 0.01 is granted: TPR 1/2, FPR 0/1.
    expect(m).toMatchObject({ group: 'M', truePositiveRate: 0.5, falsePositiveRate: 0 });
    expect(m!.meanPredicted).toBeCloseTo(0.11, 12);
  });

  it('says NaN for an error rate a group cannot have', () => {
    const [only] = ratesByGroup([0.5], [0], ['X'], 0.1);
    expect(only!.truePositiveRate).toBeNaN();
    expect(only!.falsePositiveRate).toBe(1);
  });
});

describe('ageBand', () => {
  const days = (years: number) => -Math.ceil(years * 365.25);
  it('puts whole years of age into the report bands, the bounds in the older band', () => {
    expect(ageBand(days(24.99))).toBe('<25');
    expect(ageBand(days(25))).toBe('25–34');
    expect(ageBand(days(34.9))).toBe('25–34');
    expect(ageBand(days(35))).toBe('35–44');
    expect(ageBand(days(45))).toBe('45–54');
    expect(ageBand(days(55))).toBe('55–64');
    expect(ageBand(days(64.99))).toBe('55–64');
    expect(ageBand(days(65))).toBe('65+');
    expect(ageBand(days(90))).toBe('65+');
  });

  it('says unknown when the birth date is not recorded', () => {
    expect(ageBand(null)).toBe(UNKNOWN_GROUP);
    expect(ageBand(NaN)).toBe(UNKNOWN_GROUP);
  });

  it('gives every age a band, and older clients a band no younger (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 40_000 }), (a, b) => {
        const [young, old] = a < b ? [a, b] : [b, a];
        const bandYoung = AGE_BANDS.indexOf(ageBand(-young) as (typeof AGE_BANDS)[number]);
        const bandOld = AGE_BANDS.indexOf(ageBand(-old) as (typeof AGE_BANDS)[number]);
        return bandYoung >= 0 && bandOld >= bandYoung;
      }),
    );
  });
});
