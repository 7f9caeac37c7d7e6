import type { FitProgress } from './fitScoringModel.ts';

export interface TrainingEstimate {
  /** Share of the estimated work done, 0 to 1. */
  done: number;
  /** Seconds left at the pace so far; undefined before the first round. */
  secondsLeft: number | undefined;
}

/**
 * Progress and time left of a whole training (folds then the final model), from its progress events. The work is
 * counted in boosting rounds: a fold is expected to end at its current round bound, folds not yet
 * started are assumed to last as long as the ones done, and the final model takes the folds' mean best round count,
 * each of its rounds weighing folds / (folds − 1) of a fold's (it sees every row).
 */
export class TrainingEta {
  private readonly foldRounds: number[] = [];
  private readonly foldBest: number[] = [];
  private start: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  update(progress: FitProgress): TrainingEstimate {
    this.start ??= this.now();
    if (progress.stage === 'binning') return { done: 0, secondsLeft: undefined };
    const k = progress.folds;
    const finalWeight = k / (k - 1);
    let done: number;
    let total: number;
    if (progress.stage === 'cross-validation') {
      const fold = progress.fold ?? 0;
      this.foldRounds[fold] = progress.round;
      this.foldBest[fold] = progress.bestRounds ?? progress.round;
      const finished = this.foldRounds.slice(0, fold);
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      const typical = finished.length ? sum(finished) / finished.length : progress.maxRounds;
      const best = this.foldBest.slice(0, fold + 1);
      done = sum(finished) + progress.round;
      total =
        sum(finished) +
        progress.maxRounds +
        (k - fold - 1) * typical +
        finalWeight * Math.max(1, sum(best) / best.length);
    } else {
      const folds = this.foldRounds.reduce((s, x) => s + x, 0);
      done = folds + finalWeight * progress.round;
      total = folds + finalWeight * progress.maxRounds;
    }
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const elapsed = (this.now() - this.start) / 1000;
    return { done: share, secondsLeft: done > 0 ? (elapsed * (total - done)) / done : undefined };
  }
}

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${two(Math.floor((s % 3600) / 60))} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${two(s % 60)} s`;
  return `${s} s`;
}
