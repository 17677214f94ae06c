-- The requests of a shared quota key still in flight, and ends near a window's boundary
-- (store.cluster.Flights): a window refills less those, so a request taken late in one window
-- that arrives in the channel's next one is counted there too.
ALTER TABLE cluster_quotas ADD COLUMN flights TEXT NOT NULL DEFAULT '';
