-- The ledger by channel, kind and time: the web UI's overview reads, per channel, the newest
-- acknowledgement, the attempts of the last hour (requests per minute) and the acknowledgements'
-- change-to-acknowledgement latencies, each an index range instead of a scan of the whole ledger.
CREATE INDEX ledger_channel_kind ON ledger (channel, kind, at);
