import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../src-main/cli/main.ts';
import { runCli } from './support/runCli.ts';
import { createProgress } from '../../../src-main/cli/progress.ts';

const REPO = resolve(__dirname, '../../..');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-cli-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const run = runCli;

/** Runs the real executable, `node bin/scoring-desk.js`, from the repository root. */
function spawnCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['bin/scoring-desk.js', ...args], {
      cwd: REPO,
      env: { ...process.env, SCORING_DESK_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('scoring-desk help', () => {
  const commands = buildProgram().commands.map((c) => c.name());

  it('registers the known subcommands', () => {
    expect(commands).toEqual(expect.arrayContaining(['import', 'demo-data']));
  });

  it('prints the program help and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await run(flag);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: scoring-desk');
      for (const name of commands) expect(stdout).toContain(name);
    }
  });

  it.each(commands)('prints the help of "%s" and exits 0', async (name) => {
    const { code, stdout, stderr } = await run(name, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: scoring-desk ${name}`);
    expect(stderr).toBe('');
    const viaHelp = await run('help', name);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(stdout);
  });

  it('documents the import options', async () => {
    const { stdout } = await run('import', '--help');
    expect(stdout).toContain('--db <file>');
    expect(stdout).toContain('--rejects <file>');
    expect(stdout).toContain('<dir>');
  });
});

describe('scoring-desk usage errors exit 2', () => {
  it('for an unknown command', async () => {
    const { code, stderr } = await run('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('for an unknown option', async () => {
    const { code, stderr } = await run('import', work, '--db', join(work, 'x.sqlite'), '--colour');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--colour'/);
  });

  it('for a missing required option', async () => {
    const { code, stderr } = await run('import', work);
    expect(code).toBe(2);
    expect(stderr).toMatch(/required option '--db <file>' not specified/);
    // The help follows the error, so the user sees how to call it.
    expect(stderr).toContain('Usage: scoring-desk import');
  });

  it('for a missing argument', async () => {
    const { code, stderr } = await run('import', '--db', join(work, 'x.sqlite'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing required argument 'dir'/);
  });

  it('for no command at all', async () => {
    const { code, stderr } = await run();
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: scoring-desk');
  });
});

describe('scoring-desk failures exit 1', () => {
  it('when the folder to import does not exist', async () => {
    const missing = join(work, 'nowhere');
    const { code, stdout, stderr } = await run('import', missing, '--db', join(work, 'a.sqlite'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `scoring-desk: cannot read the folder ${missing}: ENOENT: no such file or directory, stat '${missing}'\n`,
    );
    expect(existsSync(join(work, 'a.sqlite'))).toBe(false);
  });

  it('when the folder holds no CSV file (real executable)', async () => {
    const empty = mkdtempSync(join(work, 'empty-'));
    writeFileSync(join(empty, 'notes.txt'), 'not a csv');
    const db = join(work, 'empty.sqlite');
    const { code, stdout, stderr } = await spawnCli(['import', empty, '--db', db]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // One line, the reason, nothing else (no stray progress line, no stack).
    expect(stderr).toMatch(
      new RegExp(
        `^scoring-desk: no Home Credit CSV file in ${escape(empty)} \\(expected any of: application_train\\.csv, .*\\)\\n$`,
      ),
    );
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith('empty.sqlite'))).toEqual([]);
  });

  it('gives the same exit codes through the real executable', async () => {
    const [help, usage] = await Promise.all([spawnCli(['--help']), spawnCli(['frobnicate'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: scoring-desk');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- progress ------------------------------------------------------------------------------------------------

class FakeStream extends Writable {
  output: string[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.output.push(chunk.toString());
    callback();
  }
}

function fakeStream(isTTY: boolean): FakeStream & NodeJS.WriteStream {
  const stream = new FakeStream(isTTY) as FakeStream & NodeJS.WriteStream;
  // Enough of a terminal for the bar.
  Object.assign(stream, {
    columns: 100,
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
  });
  return stream;
}

describe('createProgress on a non-terminal stream', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prints plain lines: at start, every 5 seconds at most, and at stop', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const stream = fakeStream(false);
    const progress = createProgress(stream);
    progress.start('Importing', 200);
    expect(stream.output).toEqual(['Importing: 0%\n']);
    progress.update(50, 'bureau.csv 1,000 rows');
    expect(stream.output).toHaveLength(1);
    vi.setSystemTime(new Date('2026-01-01T00:00:04.999Z'));
    progress.update(60, 'bureau.csv 1,200 rows');
    expect(stream.output).toHaveLength(1);
    vi.setSystemTime(new Date('2026-01-01T00:00:05Z'));
    progress.update(101, 'bureau.csv 2,020 rows');
    expect(stream.output.at(-1)).toBe('Importing: 50% (bureau.csv 2,020 rows)\n');
    vi.setSystemTime(new Date('2026-01-01T00:00:06Z'));
    progress.update(150, 'bureau.csv 3,000 rows');
    expect(stream.output).toHaveLength(2);
    progress.stop();
    expect(stream.output).toEqual([
      'Importing: 0%\n',
      'Importing: 50% (bureau.csv 2,020 rows)\n',
      'Importing: 100% (bureau.csv 3,000 rows)\n',
    ]);
    for (const line of stream.output) expect(line.includes('\u001b') || line.includes('\r')).toBe(false);
  });

  it('starts each task afresh and caps the percentage at 100', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const stream = fakeStream(false);
    const progress = createProgress(stream);
    progress.start('Preparing the base', 0);
    progress.stop();
    progress.start('Importing', 10);
    vi.setSystemTime(10_000);
    progress.update(25);
    progress.stop();
    expect(stream.output).toEqual([
      'Preparing the base: 0%\n',
      'Preparing the base: 100%\n',
      'Importing: 0%\n',
      'Importing: 100%\n',
      'Importing: 100%\n',
    ]);
  });

  it('prints nothing when stopped without being started, or stopped twice', () => {
    const stream = fakeStream(false);
    const progress = createProgress(stream);
    progress.stop();
    expect(stream.output).toEqual([]);
    progress.start('Indexing', 1);
    progress.stop();
    progress.stop();
    expect(stream.output).toEqual(['Indexing: 0%\n', 'Indexing: 100%\n']);
  });
});

describe('createProgress on a terminal', () => {
  it('draws a bar with the label instead of plain lines', () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream);
    progress.start('Importing', 100);
    progress.update(100, 'done');
    progress.stop();
    const text = stream.output.join('');
    expect(text).toContain('Importing [');
    expect(text).toContain('100%');
    expect(text).not.toContain('Importing: 0%\n');
    // Stopping again, or before any start, does nothing.
    const before = stream.output.length;
    progress.stop();
    createProgress(stream).stop();
    expect(stream.output.length).toBe(before);
  });
});
