/**
 * Reservations in: {@link dev.paritysync.hotel.poll.ReservationPoller} pulls the reservation feed
 * of a channel without webhooks at an interval adapted to its booking velocity, and {@link
 * dev.paritysync.hotel.poll.WebhookIntake} takes the signed webhooks of the others. Both keep every
 * revision once, turn the nights it holds into availability changes through the engine's ingest,
 * and hand new revisions to a {@link dev.paritysync.hotel.poll.ReservationSink} (the PMS). Types
 * are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.hotel.poll;

import org.jspecify.annotations.NullMarked;
