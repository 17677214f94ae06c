-- Reservations taken by channels (polled now; webhooks later feed the same tables). Portable SQL:
-- SQLite and PostgreSQL. Dates yyyy-MM-dd (TEXT), instants epoch milliseconds (BIGINT).
-- V4 and not V3: V3 is left to the reconciliation work that is written at the same time.

-- Every revision of a reservation received, once: the primary key is the de-duplication.
-- ari_version is the version of the availability change it became (null when none: note says why);
-- acked_at is when the channel was told it was received (null until then).
CREATE TABLE reservation_revisions (
  channel     TEXT        NOT NULL,
  reservation TEXT        NOT NULL,
  revision    INTEGER     NOT NULL,
  property    TEXT        NOT NULL,
  room_type   TEXT        NOT NULL,
  arrival     VARCHAR(10) NOT NULL,
  departure   VARCHAR(10) NOT NULL,
  status      TEXT        NOT NULL,
  received_at BIGINT      NOT NULL,
  ari_version BIGINT,
  note        TEXT,
  acked_at    BIGINT,
  PRIMARY KEY (channel, reservation, revision)
);

-- Per channel and reservation: the newest revision and the stay it holds now, which a later
-- modification or cancellation gives back. room_type is the PMS code ('' when unmapped).
CREATE TABLE reservations (
  channel     TEXT        NOT NULL,
  reservation TEXT        NOT NULL,
  revision    INTEGER     NOT NULL,
  property    TEXT        NOT NULL,
  room_type   TEXT        NOT NULL,
  arrival     VARCHAR(10) NOT NULL,
  departure   VARCHAR(10) NOT NULL,
  status      TEXT        NOT NULL,
  PRIMARY KEY (channel, reservation)
);

-- Per polled channel: the feed's cursor and the entity tag of the last page, for conditional
-- requests after a restart.
CREATE TABLE reservation_feeds (
  channel     TEXT   NOT NULL PRIMARY KEY,
  feed_cursor BIGINT NOT NULL,
  etag        TEXT
);
