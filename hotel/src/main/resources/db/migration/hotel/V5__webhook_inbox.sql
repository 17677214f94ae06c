-- Reservation webhooks as received (hotel.poll.WebhookIntake): every verified request's raw body,
-- written first in the transaction that processes it, so a body is kept exactly when its outcome
-- is. Portable SQL: SQLite and PostgreSQL. Instants are epoch milliseconds (BIGINT).
--
-- webhook_id is the sender's id (null when the strategy has none); the unique key makes a second
-- delivery of one id a duplicate. NULLs are distinct in a unique key on both databases, so webhooks
-- without an id are de-duplicated by reservation and revision (reservation_revisions) instead.
-- body is the UTF-8 text of the raw body, or its base64 when it is not UTF-8 (body_encoding).
-- status: received (only inside the transaction, never committed), applied (a new revision),
-- duplicate (a revision already received under another id), dead_lettered (verified but
-- unreadable: error says why). reservation and revision name what the body held, when readable.
CREATE TABLE webhook_inbox (
  id            VARCHAR(26) NOT NULL PRIMARY KEY,
  channel       TEXT        NOT NULL,
  webhook_id    TEXT,
  received_at   BIGINT      NOT NULL,
  body          TEXT        NOT NULL,
  body_encoding VARCHAR(6)  NOT NULL CHECK (body_encoding IN ('utf-8', 'base64')),
  status        VARCHAR(13) NOT NULL
                CHECK (status IN ('received', 'applied', 'duplicate', 'dead_lettered')),
  reservation   TEXT,
  revision      INTEGER,
  error         TEXT,
  UNIQUE (channel, webhook_id)
);
CREATE INDEX webhook_inbox_received ON webhook_inbox (channel, received_at);
