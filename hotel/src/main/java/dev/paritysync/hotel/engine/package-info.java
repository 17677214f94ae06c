/**
 * The durable ARI engine: {@link dev.paritysync.hotel.engine.Ingest} writes truth and every
 * channel's outbox in one transaction, {@link dev.paritysync.hotel.engine.Batcher} turns a
 * channel's pending cells into leased work items, and {@link
 * dev.paritysync.hotel.engine.DeliveryWorker} sends them, keeping all retry state in the database.
 * {@link dev.paritysync.hotel.engine.HotelEngine} wires them per channel (its admission gate,
 * circuit and loop are package-private) and gives the rest: {@link
 * dev.paritysync.hotel.engine.Replay} of queued items, {@link
 * dev.paritysync.hotel.engine.ChannelReader} snapshots, verify before resume ({@link
 * dev.paritysync.hotel.engine.ResumeCheck}), and {@link dev.paritysync.hotel.engine.Retention} of
 * what is no longer needed. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.hotel.engine;

import org.jspecify.annotations.NullMarked;
