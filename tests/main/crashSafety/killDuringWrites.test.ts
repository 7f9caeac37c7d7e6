import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientBase, openClientBase } from '../../../src-main/data/clientBase.ts';
import { scoreClientBase } from '../../../src-main/model/batchScoring.ts';
import { loadClientScorer } from '../../../src-main/model/clientScoring.ts';
import { createServices } from '../../../src-main/services/index.ts';
import { demoModels } from '../explain/support/demoModel.ts';
import { apiFixture } from '../services/support/apiFixture.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';

/**
 * kill -9 in the middle of the writes that matter (batch scoring, decisions; the import has its own test in
 * tests/main/data/import), then reopen: the base passes its integrity check, everything acknowledged as committed
 * is there, and nothing half-written shows.
 */

const CLI = resolve(__dirname, '../../../bin/scoring-desk.js');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scoring-desk-crash-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copyOf(base: string, name: string): string {
  const path = join(work, name);
  const source = openClientBase(base);
  try {
    source.prepare('VACUUM INTO ?').run(path);
  } finally {
    source.close();
  }
  return path;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function killHard(child: ChildProcess): Promise<void> {
  expect(child.exitCode, 'the writer was still running when killed').toBeNull();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

function integrity(db: ClientBase): unknown {
  return db.pragma('integrity_check', { simple: true });
}

describe('kill -9 during batch scoring', () => {
  it('keeps whole batches only, loses none it committed, keeps the previous run, and can run again', async () => {
    const models = await demoModels();
    const dbPath = copyOf(models.db, 'scoring.sqlite');
    const scorer = await loadClientScorer(models.model);
    const version = scorer.metadata.modelVersion;
    let db = openClientBase(dbPath);
    // A complete earlier run with the same model: the killed run replaces its rows batch by batch.
    const first = await scoreClientBase(db, dbPath, scorer);
    const clients = db
      .prepare('SELECT SK_ID_CURR FROM client_features ORDER BY SK_ID_CURR')
      .pluck()
      .all() as number[];
    expect(first.clients).toBe(clients.length);
    const rescored = () =>
      db
        .prepare(
          'SELECT SK_ID_CURR FROM score WHERE model_version = ? AND scored_at <> ? ORDER BY SK_ID_CURR',
        )
        .pluck()
        .all(version, first.startedAt) as number[];

    const child = spawn(
      process.execPath,
      [CLI, 'score', '--db', dbPath, '--model', models.model, '--batch', '3'],
      {
        stdio: 'ignore',
      },
    );
    let seen = 0;
    await waitFor(() => (seen = rescored().length) >= 60, 'committed batches');
    await killHard(child);
    db.close();

    db = openClientBase(dbPath);
    try {
      expect(integrity(db)).toBe('ok');
      const ids = rescored();
      expect(ids.length).toBeGreaterThanOrEqual(seen);
      expect(ids.length).toBeLessThan(clients.length);
      // Batches go in client order, one transaction each: what changed is whole batches, from the first client.
      expect(ids.length % 3).toBe(0);
      expect(ids).toEqual(clients.slice(0, ids.length));
      // Every client still has one complete score: the earlier run's, or the new one.
      const complete = db
        .prepare(
          `SELECT COUNT(*) FROM score WHERE model_version = ?
             AND probability BETWEEN 0 AND 1 AND decision IN ('granted', 'refused') AND threshold IS NOT NULL`,
        )
        .pluck();
      expect(complete.get(version)).toBe(clients.length);
      // The killed run never finished: only the earlier run is recorded.
      expect(
        db.prepare('SELECT started_at FROM score_run WHERE model_version = ?').pluck().all(version),
      ).toEqual([first.startedAt]);

      const again = await scoreClientBase(db, dbPath, scorer);
      expect(again.clients).toBe(clients.length);
      expect(complete.get(version)).toBe(clients.length);
      expect(db.prepare('SELECT COUNT(*) FROM score_run WHERE model_version = ?').pluck().get(version)).toBe(
        2,
      );
    } finally {
      db.close();
    }
  }, 180_000);
});

describe('kill -9 during decision writes', () => {
  it('keeps every acknowledged decision with its audit entry, no decision without one, and an unbroken chain', async () => {
    const fixture = await apiFixture();
    const dbPath = fixture.dbPath;
    const pending = (() => {
      const db = openClientBase(dbPath);
      try {
        return db
          .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL ORDER BY SK_ID_CURR')
          .pluck()
          .all() as number[];
      } finally {
        db.close();
      }
    })();
    expect(pending.length).toBeGreaterThan(50);

    const child = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--db',
        dbPath,
        '--model',
        fixture.modelDir,
        '--port',
        '0',
        '--static',
        join(work, 'none'),
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => /on (http:\/\/\S+?)\//.test(output), 'the server');
    const url = /on (http:\/\/\S+?)\//.exec(output)![1]!;
    const named = await fetch(`${url}/api/setDesk`, {
      method: 'POST',
      headers: API_HEADERS,
      body: JSON.stringify({ manager: { name: 'Crash Test', branch: null } }),
    });
    expect(named.status).toBe(200);

    const acknowledged: { id: number; traceId: string }[] = [];
    let stop = false;
    let next = 0;
    const writer = async () => {
      while (!stop) {
        const clientId = pending[next++ % pending.length]!;
        try {
          const response = await fetch(`${url}/api/recordDecision`, {
            method: 'POST',
            headers: API_HEADERS,
            body: JSON.stringify({
              clientId,
              finalDecision: 'granted',
              offer: {},
              overrideReason: 'crash test',
            }),
          });
          if (response.status === 200)
            acknowledged.push((await response.json()) as { id: number; traceId: string });
          else expect.fail(`recordDecision answered ${response.status}: ${await response.text()}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 6 }, writer);
    await waitFor(() => acknowledged.length >= 40, 'acknowledged decisions');
    await killHard(child);
    stop = true;
    await Promise.all(writers);

    const db = openClientBase(dbPath);
    try {
      expect(integrity(db)).toBe('ok');
      const decisions = db.prepare('SELECT id, trace_id FROM decision').all() as {
        id: number;
        trace_id: string;
      }[];
      const audited = new Set(
        db.prepare("SELECT trace_id FROM audit_log WHERE action = 'decision'").pluck().all() as string[],
      );
      const traces = new Set(decisions.map((d) => d.trace_id));
      for (const ack of acknowledged) expect(traces.has(ack.traceId), `decision ${ack.id}`).toBe(true);
      // Both or neither: every decision has its audit entry and every decision entry its decision.
      expect([...traces].filter((t) => !audited.has(t))).toEqual([]);
      expect([...audited].filter((t) => !traces.has(t))).toEqual([]);
    } finally {
      db.close();
    }
    const services = await createServices({
      dbPath,
      modelDir: fixture.modelDir,
      deskManager: { name: 'Check', branch: null },
      onWarning: () => {},
    });
    try {
      const chain = await services.handlers.verifyAuditChain({});
      expect(chain).toMatchObject({ ok: true, firstBreak: null });
      expect(chain.entries).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await services.close();
      rmSync(fixture.dir, { recursive: true, force: true });
    }
  }, 180_000);
});
