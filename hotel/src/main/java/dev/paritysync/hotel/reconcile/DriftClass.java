package dev.paritysync.hotel.reconcile;

/** Why a cell of a channel's snapshot differs from truth. */
public enum DriftClass {
  /** The channel holds an older value we sent: an update was dropped or applied partly. */
  STALE(true),
  /**
   * The channel holds a value we never sent (edited in its extranet), or a cell truth does not have
   * (an extra cell).
   */
  UNKNOWN_VALUE(true),
  /** The channel holds nothing for a cell truth has and the channel acknowledged. */
  MISSING(true),
  /** The channel holds a room or rate code the channel's mapping does not know. */
  UNMAPPED(false),
  /** The cell is pending in the outbox or parked in a queue: not drift, it is on its way. */
  QUEUED(false),
  /** A batch carries the cell now: not drift. */
  IN_FLIGHT(false);

  private final boolean drift;

  DriftClass(boolean drift) {
    this.drift = drift;
  }

  /** Whether the class is drift (counts towards the drift % and the thresholds). */
  public boolean drift() {
    return drift;
  }
}
