import type { ClientBase } from '../data/clientBase.ts';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditAction, AuditEntry, ChainCheck } from '../api/contract.ts';

/**
 * The audit log: views, prints, decisions and exports, appended to `audit_log` (migration 5), never changed.
 * The table's triggers refuse UPDATE and DELETE; the hash chain makes a change made around them visible: each
 * entry's hash is sha256(prev_hash + canonical JSON of the entry), and prev_hash is the previous entry's hash
 * (GENESIS_HASH for the first). verifyAuditChain() walks the chain and names the first entry that breaks it.
 * What a chain cannot show on its own is the removal of the latest entries; an export handed to compliance
 * pins the chain's head at that time.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  actor: string;
  action: AuditAction;
  clientId: number | null;
  details: Record<string, unknown>;
  /** Given when the event shares the trace id of another record (a decision); a new one otherwise. */
  traceId?: string;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  SK_ID_CURR: number | null;
  trace_id: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level and no spaces: one text per value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

type HashedFields = Pick<AuditEntry, 'seq' | 'at' | 'actor' | 'action' | 'clientId' | 'traceId' | 'details'>;

export function entryHash(prevHash: string, entry: HashedFields): string {
  const { seq, at, actor, action, clientId, traceId, details } = entry;
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ seq, at, actor, action, clientId, traceId, details }))
    .digest('hex');
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    clientId: row.SK_ID_CURR,
    traceId: row.trace_id,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export class AuditLog {
  constructor(
    private readonly db: ClientBase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Appends one entry. Call it inside the transaction of the record it documents (a decision), so that both are
   * written or neither; on its own it opens an immediate transaction, so two writers cannot fork the chain.
   */
  append(event: AuditEvent): AuditEntry {
    const write = () => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const fields: HashedFields = {
        seq: (last?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        actor: event.actor,
        action: event.action,
        clientId: event.clientId,
        traceId: event.traceId ?? randomUUID(),
        details: JSON.parse(canonicalJson(event.details)) as Record<string, unknown>,
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = entryHash(prevHash, fields);
      this.db
        .prepare(
          `INSERT INTO audit_log (seq, at, actor, action, SK_ID_CURR, trace_id, details_json, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          fields.seq,
          fields.at,
          fields.actor,
          fields.action,
          fields.clientId,
          fields.traceId,
          canonicalJson(fields.details),
          prevHash,
          hash,
        );
      return { ...fields, prevHash, hash };
    };
    return this.db.inTransaction ? write() : this.db.transaction(write).immediate();
  }

  /** Every entry, oldest first. */
  *entries(): Generator<AuditEntry> {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<AuditRow>;
    for (const row of rows) yield toEntry(row);
  }

  /** The entry of a trace id, if any. */
  entryByTrace(traceId: string): AuditEntry | undefined {
    const row = this.db.prepare('SELECT * FROM audit_log WHERE trace_id = ?').get(traceId) as
      AuditRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  /** A client's entries, most recent first. */
  clientEntries(clientId: number, limit = 200): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE SK_ID_CURR = ? ORDER BY seq DESC LIMIT ?')
      .all(clientId, limit) as AuditRow[];
    return rows.map(toEntry);
  }

  /** The last entry a walk found sound (a sound chain numbers its entries 1, 2, ...: seq is also their count). */
  private checkpoint: { seq: number; hash: string } | undefined;

  /**
   * Walks the chain and reports the first entry whose link, hash or content does not hold. `since: 'checkpoint'`
   * starts after the last entry an earlier walk of this process found sound, as long as that entry is unchanged
   * (else from the start): the cheap check of getStatus, which would otherwise rehash a growing log on every call.
   * An older entry rewritten behind that point is found by the next whole walk (verifyAuditChain, the export, the
   * app's start).
   */
  verify(options: { since?: 'start' | 'checkpoint' } = {}): ChainCheck {
    const from = options.since === 'checkpoint' ? this.soundCheckpoint() : undefined;
    let prevHash = from?.hash ?? GENESIS_HASH;
    let expectedSeq = (from?.seq ?? 0) + 1;
    let count = from?.seq ?? 0;
    this.checkpoint = undefined;
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq')
      .iterate(from?.seq ?? 0) as Iterable<AuditRow>;
    for (const row of rows) {
      count++;
      const fail = (reason: string): ChainCheck => ({
        ok: false,
        entries: count,
        firstBreak: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq)
        return fail(`entry ${expectedSeq} is missing: the log jumps from ${expectedSeq - 1} to ${row.seq}`);
      if (row.prev_hash !== prevHash)
        return fail(`its prev_hash does not match the hash of entry ${row.seq - 1}`);
      let entry: AuditEntry;
      try {
        entry = toEntry(row);
      } catch {
        return fail('its details are not valid JSON');
      }
      if (entryHash(prevHash, entry) !== row.hash)
        return fail('its content does not match its hash: the entry was changed after it was written');
      prevHash = row.hash;
      expectedSeq++;
    }
    if (count > 0) this.checkpoint = { seq: count, hash: prevHash };
    return { ok: true, entries: count, firstBreak: null };
  }

  /** The checkpoint, if its entry is still there and still matches its hash. */
  private soundCheckpoint(): { seq: number; hash: string } | undefined {
    const checkpoint = this.checkpoint;
    if (!checkpoint) return undefined;
    const row = this.db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(checkpoint.seq) as
      AuditRow | undefined;
    if (row?.hash !== checkpoint.hash) return undefined;
    try {
      return entryHash(row.prev_hash, toEntry(row)) === checkpoint.hash ? checkpoint : undefined;
    } catch {
      return undefined;
    }
  }
}
