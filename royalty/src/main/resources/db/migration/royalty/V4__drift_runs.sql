-- The last drift check of each period, kept when `paritysync royalty drift` is given --db or --url,
-- so that serve's web UI can show it. Portable SQL: runs unchanged on SQLite (>= 3.35) and
-- PostgreSQL. Only the counts and the top findings by amount are kept: every finding is in the
-- report files the check wrote (files: their paths, one a line).
CREATE TABLE royalty_drift_runs (
  period       VARCHAR(7) NOT NULL PRIMARY KEY,
  checked_at   BIGINT     NOT NULL,
  rows_checked BIGINT     NOT NULL,
  findings     BIGINT     NOT NULL,
  not_judged   BIGINT     NOT NULL,
  counts       TEXT       NOT NULL,
  files        TEXT       NOT NULL
);

-- The top findings of a period's last check, largest absolute amount first (place 1).
CREATE TABLE royalty_drift_findings (
  period           VARCHAR(7)  NOT NULL,
  place            INTEGER     NOT NULL,
  rule             VARCHAR(20) NOT NULL,
  source           TEXT        NOT NULL,
  territory        TEXT        NOT NULL,
  commercial_model TEXT,
  isrc             TEXT        NOT NULL,
  upc              TEXT,
  observed         TEXT        NOT NULL,
  expected         TEXT        NOT NULL,
  row_count        BIGINT      NOT NULL,
  quantity         BIGINT      NOT NULL,
  amount           TEXT        NOT NULL,
  PRIMARY KEY (period, place)
);
