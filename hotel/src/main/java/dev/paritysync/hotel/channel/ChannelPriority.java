package dev.paritysync.hotel.channel;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The order in which a channel's pending cells go when its quota is the bottleneck: one lane per
 * {@link PriorityClass}, served in {@code order}, and a starvation bound: once a lane's oldest
 * pending cell has waited {@code maxWait}, that lane is served before the higher ones, oldest
 * first. Read from the channel's {@code priority} block:
 *
 * <pre>{@code
 * priority: {order: [close, availability, rate, restriction], maxWait: 5m}   # the default
 * priority: off                                                              # first in, first out
 * }</pre>
 *
 * Immutable.
 *
 * @param enabled false for first in, first out: one lane, batches claimed in due order
 * @param order every class exactly once, the first served first
 * @param maxWait how long a lane's oldest pending cell waits at most behind higher lanes, above 0
 */
public record ChannelPriority(boolean enabled, List<PriorityClass> order, Duration maxWait) {
  /** The default bound on how long a lower lane waits: 5 minutes. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);

  /** On: close, availability, rate, restriction, with a bound of 5 minutes. */
  public static final ChannelPriority DEFAULT =
      new ChannelPriority(true, List.of(PriorityClass.values()), DEFAULT_MAX_WAIT);

  /** Off: first in, first out. */
  public static final ChannelPriority OFF =
      new ChannelPriority(false, List.of(PriorityClass.values()), DEFAULT_MAX_WAIT);

  public ChannelPriority {
    order = List.copyOf(order);
    Objects.requireNonNull(maxWait, "maxWait");
    if (order.size() != PriorityClass.values().length
        || !EnumSet.copyOf(order).equals(EnumSet.allOf(PriorityClass.class))) {
      throw new IllegalArgumentException(
          "order must list each of close, availability, rate, restriction once, was " + order);
    }
    if (maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("maxWait must be above 0, was " + maxWait);
    }
  }

  /** The position of {@code c} in {@link #order}: 0 is served first. */
  public int rank(PriorityClass c) {
    return order.indexOf(c);
  }

  /**
   * The class of a cell whose pending changes touch the classes in {@code kinds} (bits of {@link
   * PriorityClass#bit()}): the highest-ranked of them; with no bit set, the first in order.
   */
  PriorityClass classOf(int kinds) {
    for (PriorityClass c : order) {
      if ((kinds & c.bit()) != 0) {
        return c;
      }
    }
    return order.get(0);
  }
}
