package dev.paritysync.hotel.channel;

import java.util.Locale;

/**
 * What a change to a cell does, as far as the order of delivery under a binding quota cares: a
 * pending cell belongs to the class of the highest-ranked of these its pending changes touch (see
 * {@link ChannelPriority}). Each class is one bit of the outbox's {@code pending_kinds}, so a cell
 * that changes again before it is sent keeps every class it was given.
 */
public enum PriorityClass {
  /** Availability set to 0 or a stop-sell ({@code closed: true}): unsent, it is an overbooking. */
  CLOSE,
  /**
   * Any other availability: availability above 0, or a stop-sell lifted ({@code closed: false}).
   */
  AVAILABILITY,
  /** A rate. */
  RATE,
  /** Minimum or maximum length of stay, closed to arrival or to departure. */
  RESTRICTION;

  /** This class's bit in a set of classes ({@code 1 << ordinal}). */
  public int bit() {
    return 1 << ordinal();
  }

  /** The name the configuration uses: {@code close}, {@code availability}, … */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every class's bit: the set a cell of unknown kind is given, so it goes in the top lane. */
  public static final int ALL = 0b1111;
}
