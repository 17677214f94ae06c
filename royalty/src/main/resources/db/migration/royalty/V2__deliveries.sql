-- The royalty module's tables. Portable SQL: runs unchanged on SQLite (>= 3.35) and PostgreSQL.
-- Ids are dev.paritysync.store.Ids strings; instants are epoch milliseconds (BIGINT).

-- Every delivery (one report file, or one pulled report) whose rows reached the lake and whose
-- dead letters reached the dead-letter queue. A delivery is the same as an earlier one when the
-- source matches and either the SHA-256 of its bytes or its DSR message id does.
CREATE TABLE royalty_deliveries (
  id           VARCHAR(26) NOT NULL PRIMARY KEY,
  source       TEXT        NOT NULL,
  report       TEXT        NOT NULL,
  sha256       VARCHAR(64) NOT NULL,
  message_id   TEXT,
  rows_read    BIGINT      NOT NULL,
  valid        BIGINT      NOT NULL,
  dead         BIGINT      NOT NULL,
  warnings     BIGINT      NOT NULL,
  ingested_at  BIGINT      NOT NULL
);
CREATE INDEX royalty_deliveries_sha ON royalty_deliveries (source, sha256);
CREATE INDEX royalty_deliveries_message ON royalty_deliveries (source, message_id);
