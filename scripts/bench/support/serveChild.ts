import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');

export interface ServeChild {
  /** Where it answers, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  process: ChildProcess;
  /** Current and peak resident memory of the server (Linux /proc), in MiB; undefined elsewhere. */
  memory(): { rss: number; peak: number } | undefined;
  stop(): void;
}

/**
 * `scoring-desk serve` on a free loopback port, in a child process so that the load generator does not share its
 * event loop; resolves once it says where it listens.
 */
export async function startServeChild(dbPath: string, modelDir: string): Promise<ServeChild> {
  const server = spawn(
    process.execPath,
    [join(repo, 'bin/scoring-desk.js'), 'serve', '--db', dbPath, '--model', modelDir, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (http:\/\/\S+?)\//.exec(output);
      if (match) resolveUrl(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  return {
    url,
    process: server,
    memory() {
      try {
        const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
        const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
        return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
      } catch {
        return undefined;
      }
    },
    stop: () => server.kill('SIGTERM'),
  };
}
