import cliProgress from 'cli-progress';

/** Progress of one long task: a bar on a terminal, a plain line every few seconds otherwise (logs, CI). */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number, detail?: string): void;
  /** Ends the task; a failed one keeps the figure it reached instead of showing 100 %. */
  stop(outcome?: 'done' | 'failed'): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} [{bar}] {percentage}% | {detail}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(label, total) {
      if (running) bar.stop();
      bar.start(Math.max(total, 1), 0, { label, detail: '' });
      running = true;
    },
    update(done, detail = '') {
      bar.update(done, { detail });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

const LINE_INTERVAL_MS = 5_000;

function lineProgress(stream: NodeJS.WriteStream): Progress {
  let label = '';
  let total = 1;
  let lastPrinted = 0;
  let lastDone = 0;
  let lastDetail = '';
  let running = false;
  const print = (done: number, detail: string) => {
    const pct = Math.min(100, Math.floor((100 * done) / total));
    stream.write(`${label}: ${pct}%${detail ? ` (${detail})` : ''}\n`);
    lastPrinted = Date.now();
  };
  return {
    start(newLabel, newTotal) {
      label = newLabel;
      total = Math.max(newTotal, 1);
      lastDone = 0;
      lastDetail = '';
      running = true;
      print(0, '');
    },
    update(done, detail = '') {
      lastDone = done;
      lastDetail = detail;
      if (Date.now() - lastPrinted >= LINE_INTERVAL_MS) print(done, detail);
    },
    stop(outcome = 'done') {
      // Like the bar: stopping what was never started (or is already stopped) prints nothing.
      if (running) print(outcome === 'done' ? Math.max(lastDone, total) : lastDone, lastDetail);
      running = false;
    },
  };
}
