import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClientBase } from '../../../../src-main/data/clientBase.ts';
import { generateDemoData } from '../../../../src-main/data/demo/generate.ts';
import { importCsvFolder } from '../../../../src-main/data/import/importer.ts';
import { AuditLog } from '../../../../src-main/services/auditLog.ts';

/**
 * What the app writes into a client base (decisions, the audit log, identities) survives an import into that
 * base, and the demo identities of a folder are imported with it.
 */

let work: string;
let csv: string;

function decisionRow(clientId: number) {
  return {
    clientId,
    decidedAt: '2026-01-02T03:04:05.000Z',
    traceId: `trace-${clientId}`,
  };
}

function recordDecision(dbPath: string, clientId: number): void {
  const db = openClientBase(dbPath);
  try {
    const d = decisionRow(clientId);
    db.transaction(() => {
      db.prepare(
        `INSERT INTO decision (SK_ID_CURR, decided_at, manager, final_decision, model_decision, override_reason,
           client_comment, human_review_requested, model_version, probability, inputs_fingerprint, trace_id)
         VALUES (?, ?, 'anne', 'refused', 'granted', 'income not verified', NULL, 0, 'm1', 0.05, 'abc', ?)`,
      ).run(d.clientId, d.decidedAt, d.traceId);
      new AuditLog(db).append({
        actor: 'anne',
        action: 'decision',
        clientId,
        traceId: d.traceId,
        details: { finalDecision: 'refused' },
      });
    })();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'api-import-keeps-'));
  csv = join(work, 'csv');
  await generateDemoData({ clients: 150, seed: 7, outDir: csv });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('import into an existing base', () => {
  it('imports client_identity.csv and keeps decisions, the audit chain and identities through a re-import', async () => {
    const dbPath = join(work, 'keeps.sqlite');
    const first = await importCsvFolder({ dir: csv, dbPath });
    expect(first.tables.find((t) => t.table === 'client_identity')).toMatchObject({
      rowsRead: 150,
      imported: 150,
      rejected: 0,
      orphans: 0,
    });
    let db = openClientBase(dbPath);
    const [clientId] = db
      .prepare('SELECT SK_ID_CURR FROM application ORDER BY SK_ID_CURR LIMIT 1')
      .pluck()
      .all() as [number];
    const name = db
      .prepare('SELECT LAST_NAME FROM client_identity WHERE SK_ID_CURR = ?')
      .pluck()
      .get(clientId);
    expect(typeof name).toBe('string');
    db.close();
    recordDecision(dbPath, clientId);

    // The same folder again: every Kaggle row is a duplicate, the identities are rewritten.
    const again = await importCsvFolder({ dir: csv, dbPath });
    expect(again.tables.find((t) => t.table === 'application')?.imported).toBe(0);

    db = openClientBase(dbPath);
    try {
      expect(db.prepare('SELECT COUNT(*) FROM decision').pluck().get()).toBe(1);
      expect(db.prepare('SELECT trace_id FROM decision').pluck().get()).toBe(`trace-${clientId}`);
      expect(new AuditLog(db).verify()).toEqual({ ok: true, entries: 1, firstBreak: null });
      expect(db.prepare('SELECT COUNT(*) FROM client_identity').pluck().get()).toBe(150);
      expect(
        db.prepare('SELECT LAST_NAME FROM client_identity WHERE SK_ID_CURR = ?').pluck().get(clientId),
      ).toBe(name);
    } finally {
      db.close();
    }
  });

  it('carries over a decision recorded while the import was running, inside the swap', async () => {
    const dbPath = join(work, 'late.sqlite');
    await importCsvFolder({ dir: csv, dbPath });
    const db = openClientBase(dbPath);
    const ids = db
      .prepare('SELECT SK_ID_CURR FROM application ORDER BY SK_ID_CURR LIMIT 2')
      .pluck()
      .all() as number[];
    db.close();
    recordDecision(dbPath, ids[0]!);
    let written = false;
    await importCsvFolder({
      dir: csv,
      dbPath,
      onProgress(progress) {
        // The working copy was taken at 'prepare': this decision exists only in the base being replaced.
        if (progress.phase === 'index' && !written) {
          recordDecision(dbPath, ids[1]!);
          written = true;
        }
      },
    });
    expect(written).toBe(true);
    const after = openClientBase(dbPath);
    try {
      expect(after.prepare('SELECT SK_ID_CURR FROM decision ORDER BY id').pluck().all()).toEqual(ids);
      expect(new AuditLog(after).verify()).toEqual({ ok: true, entries: 2, firstBreak: null });
    } finally {
      after.close();
    }
  });

  it('lets the identities of the new folder win, and keeps those it does not bring', async () => {
    const dbPath = join(work, 'identities.sqlite');
    await importCsvFolder({ dir: csv, dbPath });
    const db = openClientBase(dbPath);
    const ids = db
      .prepare('SELECT SK_ID_CURR FROM client_identity ORDER BY SK_ID_CURR LIMIT 2')
      .pluck()
      .all() as number[];
    db.close();
    const dir = mkdtempSync(join(work, 'identity-only-'));
    writeFileSync(
      join(dir, 'client_identity.csv'),
      `SK_ID_CURR,FIRST_NAME,LAST_NAME,BRANCH,PHONE\n${ids[0]},Hélène,Nouveau-Nom,Lyon,\n0,Bad,Row,,\n999999999,Élise,Orpheline,,\n`,
    );
    const summary = await importCsvFolder({ dir, dbPath });
    expect(summary.tables).toEqual([
      expect.objectContaining({
        table: 'client_identity',
        rowsRead: 3,
        imported: 2,
        rejected: 1,
        orphans: 1,
      }),
    ]);
    const after = openClientBase(dbPath);
    try {
      expect(
        after
          .prepare('SELECT FIRST_NAME, LAST_NAME, PHONE FROM client_identity WHERE SK_ID_CURR = ?')
          .get(ids[0]),
      ).toEqual({ FIRST_NAME: 'Hélène', LAST_NAME: 'Nouveau-Nom', PHONE: null });
      expect(
        after.prepare('SELECT COUNT(*) FROM client_identity WHERE SK_ID_CURR = ?').pluck().get(ids[1]),
      ).toBe(1);
    } finally {
      after.close();
    }
  });

  it('refuses an identity file without the name columns, leaving the base as it was', async () => {
    const dbPath = join(work, 'refused.sqlite');
    await importCsvFolder({ dir: csv, dbPath });
    const dir = mkdtempSync(join(work, 'bad-identity-'));
    writeFileSync(join(dir, 'client_identity.csv'), 'SK_ID_CURR,FIRST_NAME\n100001,Anne\n');
    await expect(importCsvFolder({ dir, dbPath })).rejects.toThrow(
      /client_identity\.csv: required column missing from the header: LAST_NAME/,
    );
  });
});
