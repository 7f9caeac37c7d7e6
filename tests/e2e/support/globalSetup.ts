import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { ensureDemoBase } from './demoBase.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the server under test answers, e.g. http://127.0.0.1:41234/ */
    baseUrl: string;
  }
}

const readyTimeoutMs = 120_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('globalSetup: no free port found');
  return address.port;
}

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('api/getStatus', baseUrl), {
      method: 'POST',
      headers: API_HEADERS,
      body: '{}',
    });
    const page = await fetch(baseUrl);
    return response.ok && page.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `scoring-desk serve` on a copy of the e2e demo base (the renderer must be built: `npm run test:e2e` does
 * it) and hands its address to the tests; stops it afterwards. Prints how long the server took to be ready.
 * SCORING_DESK_E2E_URL points the tests at a server already running instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A server already running (e.g. on another base) can be tested instead: it must serve the built renderer.
  const external = process.env.SCORING_DESK_E2E_URL;
  if (external !== undefined) {
    if (!(await isReady(external)))
      throw new Error(`globalSetup: no Scoring Desk server answers on ${external}`);
    project.provide('baseUrl', external);
    return async () => {};
  }
  const base = ensureDemoBase();
  // The journey records decisions and prints: each run works on a copy, so every run starts from the same base.
  const scratch = mkdtempSync(path.join(tmpdir(), 'scoring-desk-e2e-'));
  const db = path.join(scratch, 'base.sqlite');
  copyFileSync(base.db, db);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/`;
  const output: string[] = [];
  const started = performance.now();
  const server: ChildProcess = spawn(
    process.execPath,
    ['bin/scoring-desk.js', 'serve', '--db', db, '--model', base.model, '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  while (!(await isReady(baseUrl))) {
    if (server.exitCode !== null || performance.now() - started > readyTimeoutMs) {
      server.kill('SIGKILL');
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(`globalSetup: scoring-desk serve did not get ready on ${baseUrl}:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.info(
    `[timing] server ready ${(performance.now() - started).toFixed(0)} ms after start (${baseUrl})`,
  );
  project.provide('baseUrl', baseUrl);

  return async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
    rmSync(scratch, { recursive: true, force: true });
  };
}
