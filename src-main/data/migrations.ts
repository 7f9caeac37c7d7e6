import type { Database } from 'better-sqlite3';
import { createIndexSql, createTableSql, tables } from './schema.ts';

/**
 * Each migration moves the client base from `version - 1` to `version`; `PRAGMA user_version` records where a
 * base stands. Later layers (features, scores, decisions, audit) append their own migrations here.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'the seven Home Credit tables, their join indexes and the import log',
    up(db) {
      for (const table of tables) {
        db.exec(createTableSql(table));
        for (const sql of createIndexSql(table)) db.exec(sql);
      }
      db.exec(`CREATE TABLE import_run (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        source TEXT NOT NULL,
        summary_json TEXT NOT NULL
      ) STRICT`);
    },
  },
  {
    version: 2,
    description:
      'the features of every client (one vector per client) and the state of their last computation',
    up(db) {
      // One row: which feature definitions the stored vectors follow, and how far each source table was read.
      db.exec(`CREATE TABLE feature_set (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        fingerprint TEXT NOT NULL,
        names_json TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        sources_json TEXT NOT NULL
      ) STRICT`);
      // The vector is a little-endian Float64Array in feature_set order, NaN = missing: read back in one copy.
      db.exec(`CREATE TABLE client_features (
        SK_ID_CURR INTEGER PRIMARY KEY,
        TARGET INTEGER,
        vector BLOB NOT NULL
      ) STRICT`);
    },
  },
  {
    version: 3,
    description: 'client_features keeps one vector per feature block, NULL for a block without rows',
    up(db) {
      // Vectors of the version 2 layout are dropped: the next `scoring-desk features` recomputes them.
      db.exec('DROP TABLE client_features');
      db.exec('DELETE FROM feature_set');
      // Little-endian Float64Array per block in the recipe's order, NaN = missing; a client without rows in a
      // history table has NULL there, which reads back as a block of NaN.
      db.exec(`CREATE TABLE client_features (
        SK_ID_CURR INTEGER PRIMARY KEY,
        TARGET INTEGER,
        application BLOB NOT NULL,
        bureau BLOB,
        previous BLOB,
        pos BLOB,
        installments BLOB,
        creditCard BLOB
      ) STRICT`);
    },
  },
];

export const latestVersion = migrations.at(-1)?.version ?? 0;
