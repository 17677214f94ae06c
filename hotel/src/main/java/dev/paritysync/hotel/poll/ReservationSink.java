package dev.paritysync.hotel.poll;

/**
 * Where reservations go besides the availability they move: the PMS. Called once per new revision,
 * after it is committed to the {@code reservation_revisions} table and before the channel is told
 * it was received. A crash between the commit and the call skips the call; the table is the durable
 * record a PMS integration can re-read. The default, {@link #stored()}, does nothing more than the
 * table. Implementations must be thread-safe and should not block for long: they run on the
 * poller's scheduler, and on the HTTP server's thread for webhooks ({@link WebhookIntake}), before
 * the channel gets its answer.
 */
@FunctionalInterface
public interface ReservationSink {

  /** Receives one new revision. An exception is logged and does not undo or block anything. */
  void accept(Reservation reservation);

  /** The default: reservations are stored (in {@code reservation_revisions}) and nothing else. */
  static ReservationSink stored() {
    return r -> {};
  }
}
