import type { ClientBase } from '../data/clientBase.ts';

/**
 * `var_samp(x)`, the sample variance (ddof 1) that SQLite lacks, as an aggregate of the connection. It is the
 * update pandas' groupby `var` runs (Welford's: a running mean and sum of squared deviations, in row order),
 * so it is numerically stable in one pass, exactly 0 for a constant group, and missing below two values.
 * Measured: one pass with it costs less than half of a second pass over the rows joined to their group's mean.
 */

export const VAR_SAMP = 'var_samp';

/** [count, mean, sum of squared deviations from the running mean] */
type State = [number, number, number];

function step(state: State, value: number | null): void {
  if (value === null) return;
  const n = ++state[0];
  const before = state[1];
  state[1] += (value - before) / n;
  state[2] += (value - state[1]) * (value - before);
}

export function registerVarSamp(db: ClientBase): void {
  db.aggregate(VAR_SAMP, {
    start: (): State => [0, 0, 0],
    step,
    result: ([n, , squares]: State) => (n < 2 ? null : squares / (n - 1)),
    deterministic: true,
  });
}
