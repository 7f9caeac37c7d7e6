import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/apiFailure.ts';
import { parseInput } from '../../../src-main/api/dispatch.ts';
import { createServices, type Services } from '../../../src-main/services/index.ts';
import { apiFixture, fixtureServices, type ApiFixture } from './support/apiFixture.ts';
import { expectOutput } from './support/expectOutput.ts';

let fixture: ApiFixture;
let services: Services;
let pending: number[];
let past: number;

beforeAll(async () => {
  fixture = await apiFixture();
  services = await fixtureServices(fixture);
  const db = services.context.db;
  pending = db
    .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL ORDER BY SK_ID_CURR LIMIT 4')
    .pluck()
    .all() as number[];
  past = db
    .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NOT NULL LIMIT 1')
    .pluck()
    .get() as number;
});

afterAll(async () => {
  await services?.close();
});

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiFailure);
  return error as ApiFailure;
}

const call = <M extends 'recordDecision' | 'logEvent' | 'getScore'>(method: M, input: unknown) =>
  // Through the contract's parser, as a transport would call it.
  (services.handlers[method] as (input: unknown) => Promise<unknown>)(parseInput(method, input));

describe('decision record', () => {
  it('records the decision the model made, with model version, probability, inputs fingerprint and trace id', async () => {
    const clientId = pending[0]!;
    const score = (await call('getScore', { clientId })) as {
      decision: string;
      probability: number;
      modelVersion: string;
    };
    const record = await services.handlers.recordDecision(
      parseInput('recordDecision', {
        clientId,
        finalDecision: score.decision,
        offer: {},
        clientComment: '  Je conteste  ',
      }),
    );
    expectOutput('recordDecision', record);
    expect(record).toMatchObject({
      clientId,
      manager: 'Test Manager',
      finalDecision: score.decision,
      modelDecision: score.decision,
      overridden: false,
      overrideReason: null,
      clientComment: 'Je conteste',
      modelVersion: score.modelVersion,
      probability: score.probability,
    });
    expect(record.inputsFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const history = await services.handlers.getClientHistory({ clientId });
    expect(history.decisions.map((d) => d.traceId)).toEqual([record.traceId]);
    expect(history.events[0]).toMatchObject({ action: 'decision', traceId: record.traceId, clientId });
    const [found] = (
      await services.handlers.searchClients(parseInput('searchClients', { query: String(clientId) }))
    ).items;
    expect(found).toMatchObject({ clientId, status: 'decided', finalDecision: score.decision });
  });

  it('decides the offer a what-if made: scored again, compared with the model’s opinion on it, kept with its review', async () => {
    const db = services.context.db;
    const candidates = db
      .prepare('SELECT SK_ID_CURR FROM application WHERE TARGET IS NULL ORDER BY SK_ID_CURR DESC LIMIT 80')
      .pluck()
      .all() as number[];
    let found: { clientId: number; option: Record<string, number> } | null = null;
    for (const clientId of candidates) {
      const score = (await call('getScore', { clientId })) as { decision: string };
      if (score.decision !== 'refused') continue;
      const whatIf = await services.handlers.whatIf(
        parseInput('whatIf', { clientId, edits: {}, counterfactuals: true }),
      );
      const option = whatIf.counterfactuals?.options.find((o) => o.decision === 'granted');
      if (option) {
        found = { clientId, option: option.edits as Record<string, number> };
        break;
      }
    }
    expect(found, 'a refused pending client that an offer would turn').not.toBeNull();
    const { clientId, option } = found!;
    const discussed = await services.handlers.whatIf(
      parseInput('whatIf', { clientId, edits: option, counterfactuals: false }),
    );
    expect(discussed.before.decision).toBe('refused');
    expect(discussed.after.decision).toBe('granted');
    // Refusing the offer the model favours departs from its opinion: that needs a reason.
    const refusing = await failure(
      call('recordDecision', { clientId, finalDecision: 'refused', offer: option }),
    );
    expect(refusing.message).toMatch(/model's opinion on this offer \(granted\)/);

    const review = { secondsOnFile: 312, sectionsOpened: ['summary', 'explanation', 'what-if', 'decision'] };
    const record = await services.handlers.recordDecision(
      parseInput('recordDecision', { clientId, finalDecision: 'granted', offer: option, review }),
    );
    expectOutput('recordDecision', record);
    expect(record).toMatchObject({
      finalDecision: 'granted',
      modelDecision: 'granted',
      overridden: false,
      overrideReason: null,
      offer: discussed.applied,
      review,
      managerBranch: null,
    });
    expect(record.probability).toBeCloseTo(discussed.after.probability, 6);
    const storedScore = (await call('getScore', { clientId })) as { probability: number };
    expect(record.probability).not.toBeCloseTo(storedScore.probability, 6);
    const [entry] = (await services.handlers.getClientHistory({ clientId })).events;
    expect(entry).toMatchObject({
      action: 'decision',
      traceId: record.traceId,
      details: { offer: discussed.applied, review, probability: record.probability },
    });
    // The fingerprint is of the offer's inputs, not the stored application's.
    const asStored = await services.handlers.recordDecision(
      parseInput('recordDecision', { clientId, finalDecision: 'refused', offer: {} }),
    );
    expect(asStored).toMatchObject({ modelDecision: 'refused', offer: discussed.stored, review: null });
    expect(asStored.inputsFingerprint).not.toBe(record.inputsFingerprint);
  });

  it('requires an override reason when the final decision differs from the model’s', async () => {
    const clientId = pending[1]!;
    const score = (await call('getScore', { clientId })) as { decision: 'granted' | 'refused' };
    const other = score.decision === 'granted' ? 'refused' : 'granted';
    for (const overrideReason of [undefined, '', '   ']) {
      const error = await failure(
        call('recordDecision', { clientId, finalDecision: other, offer: {}, overrideReason }),
      );
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(/^overrideReason: required/);
    }
    const record = await services.handlers.recordDecision(
      parseInput('recordDecision', {
        clientId,
        finalDecision: other,
        offer: {},
        overrideReason: 'Revenus confirmés par bulletin',
      }),
    );
    expect(record).toMatchObject({ overridden: true, overrideReason: 'Revenus confirmés par bulletin' });
  });

  it('refuses, writing nothing, a past client, a stale model version, an offer out of range and no offer', async () => {
    const written = () =>
      services.context.db
        .prepare('SELECT (SELECT COUNT(*) FROM decision) + (SELECT COUNT(*) FROM audit_log)')
        .pluck()
        .get() as number;
    const before = written();
    const closed = await failure(
      call('recordDecision', { clientId: past, finalDecision: 'granted', offer: {} }),
    );
    expect(closed.code).toBe('conflict');
    expect(closed.message).toMatch(
      new RegExp(
        `^client ${past} is a past client \\(the loan was (repaid|defaulted)\\): only a pending application can be decided$`,
      ),
    );
    const clientId = pending[2]!;
    const stale = await failure(
      call('recordDecision', {
        clientId,
        finalDecision: 'granted',
        offer: {},
        modelVersion: 'an-older-model',
      }),
    );
    expect(stale.code).toBe('conflict');
    expect(stale.message).toMatch(/prepared with model an-older-model, but model .+ is loaded now: reload/);
    const { AMT_CREDIT } = services.context.db
      .prepare('SELECT AMT_CREDIT FROM application WHERE SK_ID_CURR = ?')
      .get(clientId) as { AMT_CREDIT: number };
    for (const [offer, message] of [
      [{ AMT_CREDIT: AMT_CREDIT * 20 }, /^AMT_CREDIT: .* outside the range this application allows/],
      [{ AMT_CREDIT: 1 }, /^AMT_CREDIT: 1 is outside the range/],
      [{ AMT_ANNUITY: 1 }, /^AMT_ANNUITY: 1 a month would take .* beyond the 600 months/],
    ] as const) {
      const error = await failure(
        call('recordDecision', { clientId, finalDecision: 'refused', offer, overrideReason: 'x' }),
      );
      expect(error.code, JSON.stringify(offer)).toBe('out_of_range');
      expect(error.message).toMatch(message);
    }
    expect(() => parseInput('recordDecision', { clientId, finalDecision: 'granted' })).toThrow(/offer/);
    expect(() =>
      parseInput('recordDecision', {
        clientId,
        finalDecision: 'granted',
        offer: { AMT_ANNUITY: 900, termMonths: 24 },
      }),
    ).toThrow(/not both/);
    expect(
      (await failure(call('recordDecision', { clientId: 1, finalDecision: 'granted', offer: {} }))).code,
    ).toBe('not_found');
    expect(written()).toBe(before);
  });

  it('keeps the decision table append-only', () => {
    expect(() =>
      services.context.db.prepare('UPDATE decision SET final_decision = ?').run('granted'),
    ).toThrow(/append-only/);
    expect(() => services.context.db.prepare('DELETE FROM decision').run()).toThrow(/append-only/);
  });

  it('lists decisions most recent first, by client or all, paged', async () => {
    const all = await services.handlers.listDecisions(parseInput('listDecisions', { pageSize: 1 }));
    expectOutput('listDecisions', all);
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.items).toHaveLength(1);
    const mine = await services.handlers.listDecisions(
      parseInput('listDecisions', { clientId: pending[1]! }),
    );
    expect(mine.items.map((d) => d.clientId)).toEqual([pending[1]]);
  });
});

describe('who acts', () => {
  let bare: Services;

  beforeAll(async () => {
    bare = await createServices({ dbPath: fixture.dbPath, modelDir: fixture.modelDir, onWarning: () => {} });
  });

  afterAll(async () => {
    await bare?.close();
  });

  const entries = () => services.context.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;

  it('records nothing in nobody’s name: a desk where no manager is named refuses every write', async () => {
    const clientId = pending[2]!;
    expect(await bare.handlers.getDesk({})).toEqual({ mode: 'desk', manager: null });
    const before = entries();
    const attempts = [
      bare.handlers.recordDecision(
        parseInput('recordDecision', { clientId, finalDecision: 'refused', offer: {}, overrideReason: 'x' }),
      ),
      bare.handlers.logEvent(parseInput('logEvent', { clientId, kind: 'print' })),
      bare.handlers.exportAuditLog(parseInput('exportAuditLog', {})),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt);
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/no manager is named at this desk/);
    }
    expect(entries()).toBe(before);
  });

  it('records the manager the desk names, with their branch, and logs who took and left the desk', async () => {
    const jeanne = { name: 'Jeanne Martin-Lefèvre', branch: 'Lyon Part-Dieu' };
    expect(await bare.handlers.setDesk(parseInput('setDesk', { manager: jeanne }))).toEqual({
      mode: 'desk',
      manager: jeanne,
    });
    expect(await bare.handlers.getDesk({})).toEqual({ mode: 'desk', manager: jeanne });
    const clientId = pending[2]!;
    const score = (await call('getScore', { clientId })) as { decision: 'granted' | 'refused' };
    const record = await bare.handlers.recordDecision(
      parseInput('recordDecision', { clientId, finalDecision: score.decision, offer: {} }),
    );
    expect(record.manager).toBe(jeanne.name);
    const history = await bare.handlers.getClientHistory({ clientId });
    expect(history.events[0]).toMatchObject({
      action: 'decision',
      actor: jeanne.name,
      details: { branch: jeanne.branch, via: 'desk' },
    });
    await bare.handlers.setDesk(parseInput('setDesk', { manager: null }));
    expect((await failure(bare.handlers.exportAuditLog(parseInput('exportAuditLog', {})))).code).toBe(
      'forbidden',
    );
    const desk = services.context.db
      .prepare(`SELECT actor, details_json FROM audit_log WHERE action = 'desk' ORDER BY seq`)
      .all() as { actor: string; details_json: string }[];
    expect(desk.map((d) => [d.actor, JSON.parse(d.details_json).event])).toEqual([
      [jeanne.name, 'named'],
      [jeanne.name, 'left'],
    ]);
  });

  it('takes a signed-in manager from the transport, and lets no one rename them', async () => {
    const token = bare.handlersFor({ via: 'token', manager: { name: 'Paul Durand', branch: null } });
    expect(await token.getDesk({})).toEqual({
      mode: 'token',
      manager: { name: 'Paul Durand', branch: null },
    });
    const error = await failure(
      token.setDesk(parseInput('setDesk', { manager: { name: 'Someone', branch: null } })),
    );
    expect(error.code).toBe('forbidden');
    const view = await token.logEvent(parseInput('logEvent', { clientId: pending[0]!, kind: 'view' }));
    const entry = (await bare.handlers.getClientHistory({ clientId: pending[0]! })).events.find(
      (e) => e.traceId === view.traceId,
    );
    expect(entry).toMatchObject({ actor: 'Paul Durand', details: { via: 'token', branch: null } });
    const anonymous = bare.handlersFor({ via: 'token', manager: null });
    expect(
      (await failure(anonymous.logEvent(parseInput('logEvent', { clientId: pending[0]!, kind: 'view' }))))
        .message,
    ).toMatch(/names no manager/);
  });

  it('refuses names that are not names, saying what is allowed', () => {
    for (const name of [
      '',
      '   ',
      '=HYPERLINK("http://x")',
      '<script>',
      'a'.repeat(101),
      'Jean\u202eNiram',
    ]) {
      expect(() => parseInput('setDesk', { manager: { name, branch: null } }), name).toThrow(/manager\.name/);
    }
    expect(() => parseInput('setDesk', { manager: { name: 'Ana', branch: 'x@y' } })).toThrow(
      /manager\.branch/,
    );
    expect(() => parseInput('setDesk', { manager: { name: 'Ana', branch: null, role: 'admin' } })).toThrow();
  });
});

describe('audit log', () => {
  it('gives a print its trace id and keeps views and prints in the client history', async () => {
    const clientId = pending[3]!;
    const view = await services.handlers.logEvent(
      parseInput('logEvent', { clientId, kind: 'view', view: 'file' }),
    );
    const print = await services.handlers.logEvent(
      parseInput('logEvent', { clientId, kind: 'print', lang: 'en' }),
    );
    expectOutput('logEvent', print);
    expect(print.traceId).not.toBe(view.traceId);
    const history = await services.handlers.getClientHistory({ clientId });
    expect(history.events.map((e) => [e.action, e.traceId])).toEqual([
      ['print', print.traceId],
      ['view', view.traceId],
    ]);
    expect(history.events[0]?.details).toMatchObject({ lang: 'en', modelVersion: expect.any(String) });
  });

  it('exports every entry with its chain, in JSON lines and CSV, and logs the export', async () => {
    const chain = await services.handlers.verifyAuditChain({});
    expect(chain.ok).toBe(true);
    const jsonl = await services.handlers.exportAuditLog(parseInput('exportAuditLog', {}));
    expectOutput('exportAuditLog', jsonl);
    const lines = jsonl.content
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; prevHash: string; hash: string });
    expect(lines).toHaveLength(chain.entries);
    lines.forEach((entry, i) => expect(entry.prevHash).toBe(i === 0 ? '0'.repeat(64) : lines[i - 1]!.hash));
    const csv = await services.handlers.exportAuditLog(parseInput('exportAuditLog', { format: 'csv' }));
    expect(csv.content.split('\n')[0]).toBe(
      'seq,at,actor,action,SK_ID_CURR,trace_id,details_json,prev_hash,hash',
    );
    // The first export was logged: the second one holds one entry more.
    expect(csv.entries).toBe(jsonl.entries + 1);
    expect(csv.fileName).toMatch(/\.csv$/);
  });

  it('writes no audit CSV cell a spreadsheet would run as a formula', async () => {
    const name = "-2+3+cmd|' /C calc'!A0";
    const handlers = services.handlersFor({ via: 'token', manager: { name, branch: null } });
    await handlers.logEvent(parseInput('logEvent', { clientId: pending[0]!, kind: 'view' }));
    const csv = await handlers.exportAuditLog(parseInput('exportAuditLog', { format: 'csv' }));
    const rows = parse(csv.content) as string[][];
    expect(rows.at(-1)![2]).toBe(`'${name}`);
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !Number.isFinite(Number(cell)))).toEqual(
      [],
    );
  });

  it('gives the chain state in getStatus, walking on from its last check, and sees that check’s entry change', async () => {
    const full = await services.handlers.verifyAuditChain({});
    const first = await services.handlers.getStatus({});
    expect(first.auditChain).toEqual(full);
    await call('logEvent', { clientId: pending[0], kind: 'view' });
    const second = await services.handlers.getStatus({});
    expect(second.auditChain).toEqual({ ok: true, entries: full.entries + 1, firstBreak: null });
    const last = second.auditChain.entries;
    const raw = new Database(fixture.dbPath);
    try {
      raw.exec('DROP TRIGGER audit_log_no_update');
      const actor = raw.prepare('SELECT actor FROM audit_log WHERE seq = ?').pluck().get(last) as string;
      const setActor = raw.prepare('UPDATE audit_log SET actor = ? WHERE seq = ?');
      setActor.run('someone else', last);
      const third = await services.handlers.getStatus({});
      expect(third.auditChain).toMatchObject({ ok: false, firstBreak: { seq: last } });
      setActor.run(actor, last);
      raw.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    } finally {
      raw.close();
    }
    expect(await services.handlers.verifyAuditChain({})).toMatchObject({ ok: true });
  });

  it('detects an entry rewritten behind the triggers’ back, and names it', async () => {
    const before = await services.handlers.verifyAuditChain({});
    expect(before).toMatchObject({ ok: true });
    const raw = new Database(fixture.dbPath);
    try {
      raw.exec('DROP TRIGGER audit_log_no_update');
      raw.prepare('UPDATE audit_log SET details_json = ? WHERE seq = 2').run('{"finalDecision":"granted"}');
    } finally {
      raw.close();
    }
    const after = await services.handlers.verifyAuditChain({});
    expect(after).toEqual({
      ok: false,
      entries: 2,
      firstBreak: { seq: 2, reason: expect.stringMatching(/content does not match its hash/) },
    });
  });

  it('detects a removed entry', async () => {
    const raw = new Database(fixture.dbPath);
    try {
      raw.exec('DROP TRIGGER audit_log_no_delete');
      raw.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    } finally {
      raw.close();
    }
    const check = await services.handlers.verifyAuditChain({});
    expect(check.firstBreak).toEqual({ seq: 2, reason: expect.stringMatching(/entry 1 is missing/) });
  });
});
