-- Priority lanes (docs/engine.md, "Lanes"). Portable SQL: SQLite and PostgreSQL.
--
-- ari_outbox: the classes the pending version's changes touch (bits: 1 close, 2 availability,
-- 4 rate, 8 restriction; OR-ed as a cell coalesces, so it keeps every class it was given) and when
-- its oldest unsent change was accepted (epoch ms); the same two for the version in flight, so a
-- batch that ends unsent gives its cells back their classes and their age. NULL (rows from before
-- this migration, or set pending by a replay) reads as every class, accepted now.
ALTER TABLE ari_outbox ADD COLUMN pending_kinds INTEGER;
ALTER TABLE ari_outbox ADD COLUMN pending_since BIGINT;
ALTER TABLE ari_outbox ADD COLUMN inflight_kinds INTEGER;
ALTER TABLE ari_outbox ADD COLUMN inflight_since BIGINT;

-- ari_batches: the batch's lane (close, availability, rate, restriction; NULL when the channel's
-- priority is off), when its oldest change was accepted, and the first higher lane it waited
-- behind (a batch of that lane went first while this one was due) and since when.
ALTER TABLE ari_batches ADD COLUMN lane VARCHAR(16);
ALTER TABLE ari_batches ADD COLUMN waiting_since BIGINT;
ALTER TABLE ari_batches ADD COLUMN waited_behind VARCHAR(16);
ALTER TABLE ari_batches ADD COLUMN waited_behind_since BIGINT;
