/**
 * The durable ARI engine: {@link dev.paritysync.hotel.engine.Ingest} writes truth and every
 * channel's outbox in one transaction, {@link dev.paritysync.hotel.engine.Batcher} turns a
 * channel's pending cells into leased work items, and {@link
 * dev.paritysync.hotel.engine.DeliveryWorker} sends them, keeping all retry state in the database.
 * Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.hotel.engine;

import org.jspecify.annotations.NullMarked;
