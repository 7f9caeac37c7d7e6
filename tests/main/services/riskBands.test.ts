import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marginText, riskBandOf, riskBands } from '../../../src-main/services/riskBands.ts';

describe('risk bands', () => {
  it('cover [0, 1] without gap, and each probability falls in the band whose bounds hold it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (t, p) => {
          const bands = riskBands(t);
          expect(bands[0]!.from).toBe(0);
          expect(bands.at(-1)!.to).toBe(1);
          bands.slice(1).forEach((band, i) => expect(band.from).toBe(bands[i]!.to));
          const band = bands.find((b) => b.band === riskBandOf(p, t))!;
          expect(p >= band.from && (p < band.to || band.to === 1)).toBe(true);
          expect(riskBandOf(p, t) === 'high' || riskBandOf(p, t) === 'very_high').toBe(p >= t);
        },
      ),
    );
  });

  it('say the margin in words, in both languages', () => {
    expect(marginText(0.07, 0.1, 'fr')).toBe('3,0 points sous le seuil');
    expect(marginText(0.115, 0.1, 'fr')).toBe('1,5 point au-dessus du seuil');
    expect(marginText(0.09, 0.1, 'en')).toBe('1.0 point under the limit');
    expect(marginText(0.2, 0.1, 'en')).toBe('10.0 points over the limit');
    expect(marginText(0.1, 0.1, 'en')).toBe('at the limit');
  });
});
