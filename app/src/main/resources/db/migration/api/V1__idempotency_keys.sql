-- The ingest API's Idempotency-Key records (IETF draft-ietf-httpapi-idempotency-key-header).
-- Portable SQL: SQLite and PostgreSQL. Instants are epoch milliseconds (BIGINT).
-- A row is written in the same transaction as the changes it answered, so a key is never
-- recorded for work that rolled back, and a 202 is never lost from under its key.
CREATE TABLE idempotency_keys (
  idem_key    TEXT    NOT NULL PRIMARY KEY,
  fingerprint TEXT    NOT NULL,
  status      INTEGER NOT NULL,
  body        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
