-- Tracing and latency: the W3C traceparent of the ingest call that accepted a change (null when
-- tracing is off), so the delivery attempts a worker makes later, in another transaction or
-- process, continue its trace; and an index by version, so a worker finds when and under which
-- trace the versions of a batch were accepted.
ALTER TABLE ari_changes ADD COLUMN traceparent TEXT;
CREATE INDEX ari_changes_version ON ari_changes (version);
