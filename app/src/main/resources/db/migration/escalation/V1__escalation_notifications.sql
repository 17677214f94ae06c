-- Escalation notifications (app.escalation): per condition and receiver, what the receiver was told
-- and what is still to send, so a condition is announced once per receiver across restarts and
-- worker changes. Portable SQL: SQLite and PostgreSQL. Instants are epoch milliseconds (BIGINT).
--
-- condition_key is <condition>/<channel> (circuit_open/booking). state: firing (the condition
-- holds), resolved (it cleared after its fired event was delivered). fired_id and resolved_id are
-- the events' stable ids (the Standard Webhooks webhook-id); the event to send is the one of the
-- state. delivery: pending (not yet accepted by the receiver), sent (accepted), rejected (the
-- receiver answered a 4xx that a retry cannot fix). next_attempt_at: when to send next (a retry,
-- or an Alertmanager re-send while firing); null when nothing is due. attempts counts the failed
-- posts since the last accepted one.
CREATE TABLE escalation_notifications (
  condition_key   TEXT        NOT NULL,
  receiver        TEXT        NOT NULL,
  condition_name  TEXT        NOT NULL,
  channel         TEXT        NOT NULL,
  state           VARCHAR(8)  NOT NULL CHECK (state IN ('firing', 'resolved')),
  fired_id        VARCHAR(40) NOT NULL,
  resolved_id     VARCHAR(40),
  value           BIGINT      NOT NULL,
  threshold       BIGINT      NOT NULL,
  since           BIGINT      NOT NULL,
  fired_at        BIGINT      NOT NULL,
  resolved_at     BIGINT,
  delivery        VARCHAR(8)  NOT NULL CHECK (delivery IN ('pending', 'sent', 'rejected')),
  last_sent_at    BIGINT,
  attempts        INTEGER     NOT NULL,
  next_attempt_at BIGINT,
  last_error      TEXT,
  PRIMARY KEY (condition_key, receiver)
);
