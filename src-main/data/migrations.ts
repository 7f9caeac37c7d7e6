import type { ClientBase } from './clientBase.ts';
import { createIndexSql, createTableSql, tables } from './schema.ts';

/**
 * Each migration moves the client base from `version - 1` to `version`; `PRAGMA user_version` records where a
 * base stands. Later layers (features, scores, decisions, audit) append their own migrations here.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: ClientBase): void;
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
  {
    version: 4,
    description: 'the scores of every client per model version, and the scoring runs',
    up(db) {
      db.exec(`CREATE TABLE score_run (
        id INTEGER PRIMARY KEY,
        model_version TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        clients INTEGER NOT NULL
      ) STRICT`);
      // One row per client and model version: a new model scores beside the old one, so decisions recorded under
      // an earlier model keep the probability they were taken on.
      db.exec(`CREATE TABLE score (
        SK_ID_CURR INTEGER NOT NULL,
        model_version TEXT NOT NULL,
        probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
        decision TEXT NOT NULL CHECK (decision IN ('granted', 'refused')),
        threshold REAL NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (model_version, SK_ID_CURR)
      ) STRICT, WITHOUT ROWID`);
      db.exec('CREATE INDEX score_client ON score (SK_ID_CURR)');
    },
  },
  {
    version: 5,
    description: 'demo identities, the decision record and the chained, append-only audit log',
    up(db) {
      // Kaggle has no names; the demo generator writes client_identity.csv so managers can search by name.
      db.exec(`CREATE TABLE client_identity (
        SK_ID_CURR INTEGER PRIMARY KEY,
        FIRST_NAME TEXT NOT NULL,
        LAST_NAME TEXT NOT NULL,
        BRANCH TEXT,
        PHONE TEXT
      ) STRICT`);
      db.exec('CREATE INDEX client_identity_last_name ON client_identity (LAST_NAME COLLATE NOCASE)');
      // The human decision is the one that counts; the model's is kept beside it, and a different one needs a reason.
      db.exec(`CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        SK_ID_CURR INTEGER NOT NULL,
        decided_at TEXT NOT NULL,
        manager TEXT NOT NULL,
        final_decision TEXT NOT NULL CHECK (final_decision IN ('granted', 'refused')),
        model_decision TEXT NOT NULL CHECK (model_decision IN ('granted', 'refused')),
        override_reason TEXT,
        client_comment TEXT,
        human_review_requested INTEGER NOT NULL CHECK (human_review_requested IN (0, 1)),
        model_version TEXT NOT NULL,
        probability REAL NOT NULL,
        inputs_fingerprint TEXT NOT NULL,
        trace_id TEXT NOT NULL UNIQUE,
        CHECK (final_decision = model_decision OR length(trim(coalesce(override_reason, ''))) > 0)
      ) STRICT`);
      db.exec('CREATE INDEX decision_client ON decision (SK_ID_CURR, decided_at)');
      // Each entry holds the hash of the previous one, so a rewritten or removed entry breaks the chain.
      db.exec(`CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        SK_ID_CURR INTEGER,
        trace_id TEXT NOT NULL UNIQUE,
        details_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT`);
      db.exec('CREATE INDEX audit_log_client ON audit_log (SK_ID_CURR, seq)');
      for (const table of ['decision', 'audit_log']) {
        for (const event of ['UPDATE', 'DELETE']) {
          db.exec(`CREATE TRIGGER ${table}_no_${event.toLowerCase()} BEFORE ${event} ON ${table}
            BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`);
        }
      }
    },
  },
  {
    version: 6,
    description: 'the decision keeps the offer decided, how the file was reviewed and the manager’s branch',
    up(db) {
      // JSON: the offer as the contract's offerSchema, the review as its reviewSchema. NULL in the rows written
      // before: those decisions were on the stored application, with no review recorded.
      db.exec('ALTER TABLE decision ADD COLUMN offer_json TEXT');
      db.exec('ALTER TABLE decision ADD COLUMN review_json TEXT');
      db.exec('ALTER TABLE decision ADD COLUMN manager_branch TEXT');
    },
  },
];

export const latestVersion = migrations.at(-1)?.version ?? 0;
