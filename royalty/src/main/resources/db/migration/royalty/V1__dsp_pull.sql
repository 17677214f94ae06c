-- The royalty DSP pull's staging tables. Portable SQL: runs unchanged on SQLite (>= 3.35) and
-- PostgreSQL. Instants are epoch milliseconds (BIGINT), dates yyyy-MM-dd (TEXT), decimals plain
-- strings (TEXT) so no amount is rounded, booleans 0/1 (INTEGER).

-- One row per report being pulled: its manifest as the DSP listed it, and the checkpoint.
-- next_cursor is the cursor of the next page to fetch (NULL: the first page); last_page is 1 once
-- the page without a next cursor is committed. state: pulling | complete | mismatch.
CREATE TABLE royalty_reports (
  source            TEXT        NOT NULL,
  report            TEXT        NOT NULL,
  period            VARCHAR(7)  NOT NULL,
  expected_rows     BIGINT      NOT NULL,
  expected_checksum VARCHAR(64) NOT NULL,
  next_cursor       TEXT,
  last_page         INTEGER     NOT NULL,
  pages             BIGINT      NOT NULL,
  state             VARCHAR(8)  NOT NULL CHECK (state IN ('pulling', 'complete', 'mismatch')),
  requested_at      BIGINT      NOT NULL,
  completed_at      BIGINT,
  PRIMARY KEY (source, report)
);

-- Every row of a report as staged, valid (valid = 1, with its validated columns) or dead
-- (valid = 0, with the field and reason; the dead letter itself is in queue_items). canonical is
-- the row in the DSP's canonical form, so the report's checksum can be recomputed from here. The
-- key makes a replayed page a no-op: it cannot duplicate a row.
CREATE TABLE royalty_rows (
  source           TEXT        NOT NULL,
  report           TEXT        NOT NULL,
  row_number       BIGINT      NOT NULL,
  valid            INTEGER     NOT NULL,
  canonical        TEXT        NOT NULL,
  period_start     VARCHAR(10),
  period_end       VARCHAR(10),
  partition_month  VARCHAR(7),
  territory        TEXT,
  isrc             VARCHAR(12),
  upc              VARCHAR(14),
  title            TEXT,
  artist           TEXT,
  commercial_model TEXT,
  use_type         TEXT,
  quantity         BIGINT,
  amount           TEXT,
  currency         VARCHAR(3),
  sale_type        VARCHAR(10),
  normalisations   TEXT,
  dead_field       TEXT,
  dead_reason      TEXT,
  PRIMARY KEY (source, report, row_number)
);
