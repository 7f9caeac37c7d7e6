import type { DemoBaseProgress, DemoStep } from '../demo/demoBase.ts';
import { createProgress } from './progress.ts';

const LABELS: Record<DemoStep, string> = {
  generate: 'Demo base 1/4: generating clients',
  import: 'Demo base 2/4: importing',
  features: 'Demo base 3/4: computing features',
  scores: 'Demo base 4/4: scoring',
};

/** Progress of the demo base build, one bar (or log line) per step. */
export function demoProgress(): { onProgress: (progress: DemoBaseProgress) => void; stop: () => void } {
  const progress = createProgress();
  let step: DemoStep | undefined;
  return {
    onProgress(p) {
      if (p.step !== step) {
        if (step) progress.stop();
        step = p.step;
        progress.start(LABELS[p.step], p.total);
      }
      progress.update(p.done);
    },
    stop: () => progress.stop(),
  };
}
