-- A delivery is complete or it is not recorded as complete, and one report has one set of rows
-- whatever the route. Portable SQL: runs unchanged on SQLite (>= 3.35) and PostgreSQL.
--
-- report_id names the report, whatever route it came by (the DSP's report id, a DSR's
-- MessageId/FileNumber, or the file's name without extensions); the lake's files of a report are
-- named after it. route: file | api. incomplete: why the delivery is not all there (a missing or
-- disagreeing FOOT, a cut-off gzip, a DSP manifest mismatch), NULL when complete. replaced_by: the
-- delivery of the same report that replaced this one's rows, NULL while this one's rows are the
-- report's. period, territory, usage_type: the report's when it has a single one (else NULL).
ALTER TABLE royalty_deliveries ADD COLUMN report_id TEXT;
UPDATE royalty_deliveries SET report_id = report;
ALTER TABLE royalty_deliveries ADD COLUMN route VARCHAR(4) NOT NULL DEFAULT 'file';
ALTER TABLE royalty_deliveries ADD COLUMN incomplete TEXT;
ALTER TABLE royalty_deliveries ADD COLUMN replaced_by VARCHAR(26);
ALTER TABLE royalty_deliveries ADD COLUMN period VARCHAR(7);
ALTER TABLE royalty_deliveries ADD COLUMN territory TEXT;
ALTER TABLE royalty_deliveries ADD COLUMN usage_type TEXT;
CREATE INDEX royalty_deliveries_report ON royalty_deliveries (source, report_id);
