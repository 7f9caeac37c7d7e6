import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src-main/model/decision.ts';
import { creationDate } from '../../../src-main/model/modelMetadata.ts';
import { formatDuration, TrainingEta } from '../../../src-main/model/trainingEta.ts';

describe('decide', () => {
  it('refuses at and above the threshold, grants below, with the distance to it', () => {
    expect(decide(0.09, { threshold: 0.09 })).toEqual({ decision: 'refused', threshold: 0.09, margin: 0 });
    expect(decide(0.05, { threshold: 0.09 })).toMatchObject({ decision: 'granted' });
    expect(decide(0.05, { threshold: 0.09 }).margin).toBeCloseTo(-0.04, 15);
    expect(() => decide(1.2, { threshold: 0.09 })).toThrow(/between 0 and 1, not 1.2/);
    expect(() => decide(NaN, { threshold: 0.09 })).toThrow(RangeError);
  });

  it('is monotone: a higher probability is never granted when a lower one is refused (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b, t) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          return !(
            decide(low, { threshold: t }).decision === 'refused' &&
            decide(high, { threshold: t }).decision === 'granted'
          );
        },
      ),
    );
  });
});

describe('creationDate', () => {
  it('honours SOURCE_DATE_EPOCH, and refuses a malformed one', () => {
    expect(creationDate({ SOURCE_DATE_EPOCH: '1767225600' })).toBe('2026-01-01T00:00:00.000Z');
    expect(() => creationDate({ SOURCE_DATE_EPOCH: '2026-01-01' })).toThrow(
      /SOURCE_DATE_EPOCH must be whole seconds/,
    );
    const now = Date.parse(creationDate({}));
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
  });
});

describe('TrainingEta', () => {
  it('estimates the whole training from the folds so far, and reaches 100 % at the last final tree', () => {
    let clock = 0;
    const eta = new TrainingEta(() => clock);
    expect(eta.update({ stage: 'binning', folds: 4, round: 0, maxRounds: 100 })).toEqual({
      done: 0,
      secondsLeft: undefined,
    });
    // Fold 1 of 4 at tree 50 of at most 150 (best 50 so far), after 10 s.
    clock = 10_000;
    const early = eta.update({
      stage: 'cross-validation',
      fold: 0,
      folds: 4,
      round: 50,
      maxRounds: 150,
      bestRounds: 50,
    });
    // Work: 150 + 3 × 150 (folds to come) + 4/3 × 50 (final) = 666.7 rounds, 50 done.
    expect(early.done).toBeCloseTo(50 / (600 + (4 / 3) * 50), 12);
    expect(early.secondsLeft).toBeCloseTo((10 * (600 + (4 / 3) * 50 - 50)) / 50, 9);
    for (let fold = 0; fold < 4; fold++)
      eta.update({ stage: 'cross-validation', fold, folds: 4, round: 120, maxRounds: 120, bestRounds: 20 });
    clock = 50_000;
    const final = eta.update({ stage: 'final', folds: 4, round: 20, maxRounds: 20 });
    expect(final.done).toBe(1);
    expect(final.secondsLeft).toBe(0);
  });

  it('formats durations for the progress line', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3725)).toBe('1 h 02 min');
  });
});
