import { attachDatabaseFile, openDatabaseFile } from '../clientBase.ts';

/**
 * Records written to the client base while an import was running (decisions, audit entries, identities added by
 * the app between the working copy being taken and the swap) are carried into the working copy just before it
 * replaces the base, so that the swap loses none of them. Rows already in the copy stay as they are: the decision
 * record and the audit log only grow (ids and sequence numbers only increase), and an identity the imported
 * folder brought wins over the base's.
 */

/** Tables the app writes to, with the column that only increases (undefined: copy rows whose key is absent). */
const APP_TABLES: readonly { table: string; increasing?: string }[] = [
  { table: 'decision', increasing: 'id' },
  { table: 'audit_log', increasing: 'seq' },
  { table: 'client_identity' },
];

export function carryOverLateRecords(workingCopy: string, base: string): number {
  const db = openDatabaseFile(workingCopy);
  try {
    db.pragma('busy_timeout = 5000');
    attachDatabaseFile(db, base, 'current');
    const present = new Set(
      db.prepare("SELECT name FROM current.sqlite_schema WHERE type = 'table'").pluck().all() as string[],
    );
    let carried = 0;
    db.transaction(() => {
      for (const { table, increasing } of APP_TABLES) {
        // A base from before these tables (schema version < 5) has nothing to carry.
        if (!present.has(table)) continue;
        const sql = increasing
          ? `INSERT INTO main.${table} SELECT * FROM current.${table}
             WHERE ${increasing} > (SELECT COALESCE(MAX(${increasing}), 0) FROM main.${table}) ORDER BY ${increasing}`
          : `INSERT OR IGNORE INTO main.${table} SELECT * FROM current.${table}`;
        carried += db.prepare(sql).run().changes;
      }
    }).immediate();
    db.exec('DETACH current');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return carried;
  } finally {
    db.close();
  }
}
