-- The store's generic tables. Portable SQL: runs unchanged on SQLite (>= 3.35) and PostgreSQL.
-- Ids are application-generated sortable strings (see dev.paritysync.store.Ids): no AUTOINCREMENT,
-- no SERIAL, no sequences. Instants are epoch milliseconds in BIGINT columns, JSON is TEXT.

-- A leased work queue. state: ready | leased | done | dead.
-- Claimable: (ready and next_attempt_at <= now) or (leased and lease_expires_at <= now).
CREATE TABLE work_items (
  id               VARCHAR(26) NOT NULL PRIMARY KEY,
  queue            TEXT        NOT NULL,
  subject          TEXT        NOT NULL,
  payload          TEXT        NOT NULL,
  state            VARCHAR(8)  NOT NULL CHECK (state IN ('ready', 'leased', 'done', 'dead')),
  attempts         INTEGER     NOT NULL,
  next_attempt_at  BIGINT      NOT NULL,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  created_at       BIGINT      NOT NULL,
  updated_at       BIGINT      NOT NULL
);
CREATE INDEX work_items_ready ON work_items (queue, state, next_attempt_at);
CREATE INDEX work_items_lease ON work_items (queue, state, lease_expires_at);
CREATE INDEX work_items_subject ON work_items (queue, subject);

-- The append-only audit trail. Nothing in the code updates or deletes a row of it.
CREATE TABLE ledger (
  id             VARCHAR(26) NOT NULL PRIMARY KEY,
  at             BIGINT      NOT NULL,
  kind           TEXT        NOT NULL,
  correlation_id TEXT,
  channel        TEXT,
  subject        TEXT,
  attributes     TEXT        NOT NULL
);
CREATE INDEX ledger_correlation ON ledger (correlation_id, at);
CREATE INDEX ledger_subject ON ledger (subject, at);

-- Dead letters and reconciliation items. queue: dead_letter | reconciliation;
-- state: open | replayed | discarded. Every entry and exit has a ledger row written in the same
-- transaction.
CREATE TABLE queue_items (
  id             VARCHAR(26) NOT NULL PRIMARY KEY,
  queue          VARCHAR(16) NOT NULL CHECK (queue IN ('dead_letter', 'reconciliation')),
  channel        TEXT        NOT NULL,
  subject        TEXT        NOT NULL,
  correlation_id TEXT,
  reason         TEXT        NOT NULL,
  evidence       TEXT        NOT NULL,
  attempts       TEXT        NOT NULL,
  state          VARCHAR(10) NOT NULL CHECK (state IN ('open', 'replayed', 'discarded')),
  created_at     BIGINT      NOT NULL,
  closed_at      BIGINT,
  closed_reason  TEXT
);
CREATE INDEX queue_items_list ON queue_items (queue, state, channel, created_at);
