import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familySteps } from '../../../src-renderer/charts/familySteps.ts';

describe('familySteps', () => {
  it('keeps the largest families by size and sums the rest, so the total is unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { maxLength: 15 }),
        fc.integer({ min: 1, max: 10 }),
        (contributions, limit) => {
          const families = contributions.map((contribution, index) => ({ label: `f${index}`, contribution }));
          const steps = familySteps(families, 'other', limit);
          const total = contributions.reduce((a, b) => a + b, 0);
          expect(steps.reduce((sum, step) => sum + step.delta, 0)).toBeCloseTo(total, 12);
          expect(steps.length).toBeLessThanOrEqual(limit + 1);
          const named = steps.filter((step) => step.label !== 'other').map((step) => Math.abs(step.delta));
          expect(named).toEqual([...named].sort((a, b) => b - a));
        },
      ),
    );
  });
});
