/** Compiles the histogram kernel into src-main/model/histogramWasm.ts (`npm run build:kernel`). */
import { writeFileSync } from 'node:fs';
import { compileHistogramKernel, kernelModule, renderKernelModule } from './kernel/histogramKernel.ts';

const binary = await compileHistogramKernel();
writeFileSync(kernelModule, await renderKernelModule(binary));
console.log(`Wrote the histogram kernel (${binary.length} bytes of WebAssembly) to ${kernelModule}`);
