-- Reconciliation reports (hotel.reconcile.ReportStore): every pass's report as JSON, its status
-- (CLEAN, AUTO_CORRECTED, UNREADABLE, REVIEW, APPROVED), and who approved a REVIEW and when.
CREATE TABLE reconciliation_reports (
  id          VARCHAR(26) NOT NULL PRIMARY KEY,
  created_at  BIGINT      NOT NULL,
  status      VARCHAR(16) NOT NULL,
  report      TEXT        NOT NULL,
  decided_at  BIGINT,
  decided_by  TEXT
);
CREATE INDEX reconciliation_reports_status ON reconciliation_reports (status, created_at);
