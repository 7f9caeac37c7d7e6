import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileHistogramKernel,
  kernelModule,
  renderKernelModule,
} from '../../../scripts/kernel/histogramKernel.ts';

describe('the committed histogram kernel', () => {
  it('is what its AssemblyScript source compiles to (run `npm run build:kernel` after editing it)', async () => {
    const rendered = await renderKernelModule(await compileHistogramKernel());
    expect(rendered).toBe(readFileSync(kernelModule, 'utf8'));
  }, 60_000);
});
