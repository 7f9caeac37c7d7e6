import type { AuditEntry, Caller, CallerHandlers } from '../api/contract.ts';
import { csvLine } from '../data/csv/csvCell.ts';
import { canonicalJson } from './auditLog.ts';
import { notFound } from '../api/apiFailure.ts';
import { requireManager, requireRow, type ServiceContext } from './context.ts';

/**
 * Views and prints into the audit log, the chain check, and the export for compliance (JSON lines or CSV, every
 * entry with its prev_hash and hash, so that the receiver can re-verify the chain). An export is itself logged,
 * with the hash of the last entry it holds: the chain's head at that time.
 */

const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'SK_ID_CURR',
  'trace_id',
  'details_json',
  'prev_hash',
  'hash',
];

function auditCsvLine(entry: AuditEntry): string {
  return csvLine([
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.clientId,
    entry.traceId,
    canonicalJson(entry.details),
    entry.prevHash,
    entry.hash,
  ]);
}

export function createAuditService(
  context: ServiceContext,
): Pick<CallerHandlers, 'logEvent' | 'verifyAuditChain' | 'exportAuditLog'> {
  const { audit } = context;
  return {
    async logEvent({ clientId, kind, lang, view }, caller) {
      const manager = requireManager(caller, kind === 'print' ? 'a print' : 'a view');
      const row = requireRow(context, clientId);
      const probability = context.index.probability[row]!;
      const entry = audit.append({
        actor: manager.name,
        action: kind,
        clientId,
        details: {
          branch: manager.branch,
          via: caller.via,
          lang,
          view: view ?? null,
          // What the sheet or screen showed, so that the printed trace id leads back to it.
          modelVersion: context.model?.version ?? null,
          probability: Number.isNaN(probability) ? null : probability,
          finalDecision: context.index.finalDecisionOf(row),
        },
      });
      return { seq: entry.seq, at: entry.at, traceId: entry.traceId };
    },

    async verifyAuditChain() {
      return audit.verify();
    },

    async exportAuditLog({ format }, caller) {
      const manager = requireManager(caller, 'an export of the audit log');
      const chain = audit.verify();
      const lines: string[] = format === 'csv' ? [CSV_COLUMNS.join(',')] : [];
      let entries = 0;
      let head: string | null = null;
      for (const entry of audit.entries()) {
        lines.push(format === 'csv' ? auditCsvLine(entry) : JSON.stringify(entry));
        head = entry.hash;
        entries++;
      }
      const at = context.now();
      audit.append({
        actor: manager.name,
        action: 'export',
        clientId: null,
        details: { branch: manager.branch, via: caller.via, format, entries, head, chainOk: chain.ok },
      });
      const stamp = at.toISOString().replace(/[:.]/g, '-');
      return {
        format,
        fileName: `scoring-desk-audit-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}`,
        entries,
        content: lines.length > 0 ? `${lines.join('\n')}\n` : '',
        chain,
      };
    },
  };
}

/**
 * Saves the sheet of a print (logged by logEvent, whose trace id the sheet shows) as a PDF file with `save`, then
 * records where: for the desktop app's print to PDF, a transport feature rather than a method of the contract.
 */
export async function savePrintedSheet(
  context: ServiceContext,
  caller: Caller,
  traceId: string,
  save: () => Promise<{ path: string; bytes: number }>,
): Promise<{ path: string; bytes: number }> {
  const manager = requireManager(caller, 'a saved sheet');
  const print = context.audit.entryByTrace(traceId);
  if (!print || print.action !== 'print') {
    throw notFound(`no print with trace id ${traceId.slice(0, 100)} in the audit log`);
  }
  const saved = await save();
  context.audit.append({
    actor: manager.name,
    action: 'print_pdf',
    clientId: print.clientId,
    details: {
      branch: manager.branch,
      via: caller.via,
      printTraceId: traceId,
      path: saved.path,
      bytes: saved.bytes,
    },
  });
  return saved;
}
