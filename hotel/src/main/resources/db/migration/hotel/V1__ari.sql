-- The hotel's ARI tables. Portable SQL: runs unchanged on SQLite (>= 3.35) and PostgreSQL.
-- Instants are epoch milliseconds (BIGINT), dates are yyyy-MM-dd (TEXT), decimals are plain
-- strings (TEXT) so no rate is rounded, booleans are 0/1 (INTEGER). A room-type cell
-- (availability) has rate_plan '' so that the cell key can be a primary key.

-- One row: the last version handed out. Bumped in every ingest transaction, so versions only grow.
CREATE TABLE ari_version (
  id      INTEGER NOT NULL PRIMARY KEY,
  version BIGINT  NOT NULL
);
INSERT INTO ari_version (id, version) VALUES (1, 0);

-- Every accepted change, as the PMS sent it.
CREATE TABLE ari_changes (
  id             VARCHAR(26) NOT NULL PRIMARY KEY,
  correlation_id TEXT        NOT NULL,
  version        BIGINT      NOT NULL,
  received_at    BIGINT      NOT NULL,
  payload        TEXT        NOT NULL
);

-- The truth: the newest accepted value of every cell, and the version and change that set it.
CREATE TABLE ari_truth (
  property            TEXT        NOT NULL,
  room_type           TEXT        NOT NULL,
  rate_plan           TEXT        NOT NULL,
  date                VARCHAR(10) NOT NULL,
  version             BIGINT      NOT NULL,
  rate                TEXT,
  currency            VARCHAR(3),
  availability        INTEGER,
  min_los             INTEGER,
  max_los             INTEGER,
  closed              INTEGER,
  closed_to_arrival   INTEGER,
  closed_to_departure INTEGER,
  change_id           VARCHAR(26) NOT NULL,
  PRIMARY KEY (property, room_type, rate_plan, date)
);

-- Per channel and cell: the newest version not yet sent (pending), the version in flight and the
-- batch (work item) carrying it, and the newest version the channel acknowledged. A pending
-- version waits while another is in flight, so an older value never lands after a newer one.
CREATE TABLE ari_outbox (
  channel          TEXT        NOT NULL,
  property         TEXT        NOT NULL,
  room_type        TEXT        NOT NULL,
  rate_plan        TEXT        NOT NULL,
  date             VARCHAR(10) NOT NULL,
  pending_version  BIGINT,
  inflight_version BIGINT,
  inflight_batch   VARCHAR(26),
  acked_version    BIGINT,
  PRIMARY KEY (channel, property, room_type, rate_plan, date)
);
CREATE INDEX ari_outbox_batch ON ari_outbox (channel, inflight_batch);
CREATE INDEX ari_outbox_pending ON ari_outbox (channel, pending_version);

-- Per batch (the work item with the same id): the retry state the decider resumes from, and how
-- many claims were given back unsent (open circuit, spent quota or retry budget), so the attempt
-- number sent to the channel counts real sends only.
CREATE TABLE ari_batches (
  id                   VARCHAR(26) NOT NULL PRIMARY KEY,
  channel              TEXT        NOT NULL,
  property             TEXT        NOT NULL,
  retries              INTEGER     NOT NULL,
  previous_delay_millis BIGINT     NOT NULL,
  auth_refreshed       INTEGER     NOT NULL,
  deferrals            INTEGER     NOT NULL,
  created_at           BIGINT      NOT NULL
);
