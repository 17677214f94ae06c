package dev.paritysync.app.config;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.poll.PollInterval;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one channel's reservations are polled, from its {@code channels.<name>.reservations} block
 * ({@code docs/polling.md}):
 *
 * <pre>{@code
 * channels:
 *   booking:
 *     reservations:
 *       mode: poll            # required; the only mode so far
 *       minInterval: 20s      # the delay for a busy channel
 *       maxInterval: 5m       # the delay for a quiet one
 *       alpha: 0.5            # weight of the newest poll in the booking-rate average, (0, 1]
 *       bookingsPerPoll: 1    # how many bookings a poll should bring
 *       jitter: 10%           # ± share of the delay, [0, 1)
 * }</pre>
 *
 * Every key but {@code mode} defaults as shown ({@link PollInterval}'s defaults); unknown keys are
 * errors naming their full path. Immutable and thread-safe.
 *
 * @param channel the channel polled
 * @param minInterval the shortest delay between polls
 * @param maxInterval the longest delay between polls
 * @param alpha the weight of the newest poll in the moving average
 * @param bookingsPerPoll how many bookings a poll should bring
 * @param jitter the jitter as a fraction of the delay
 */
public record PollingConfig(
    String channel,
    Duration minInterval,
    Duration maxInterval,
    double alpha,
    double bookingsPerPoll,
    double jitter) {

  /** The defaults of every key but {@code mode}. */
  public static final PollingConfig DEFAULTS =
      new PollingConfig(
          "",
          PollInterval.DEFAULT_MIN,
          PollInterval.DEFAULT_MAX,
          PollInterval.DEFAULT_ALPHA,
          PollInterval.DEFAULT_BOOKINGS_PER_POLL,
          PollInterval.DEFAULT_JITTER);

  public PollingConfig {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(minInterval, "minInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
  }

  /**
   * The channels of {@code channels} that have a {@code reservations} block, in configuration
   * order.
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown key
   */
  public static Map<String, PollingConfig> parseAll(Map<String, ChannelConfig> channels) {
    Map<String, PollingConfig> out = new LinkedHashMap<>();
    for (ChannelConfig c : channels.values()) {
      if (!c.reservations().asMap().isEmpty()) {
        out.put(c.name(), parse(c.name(), c.reservations()));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The block {@code m} ({@code channels.<channel>.reservations}, as {@link
   * ChannelConfig#reservations()} gives it).
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown key
   */
  public static PollingConfig parse(String channel, ConfigMap m) {
    String mode = m.string("mode", null);
    if (mode == null) {
      throw new IllegalArgumentException(m.key("mode") + ": is missing; expected poll");
    }
    if (!mode.equals("poll")) {
      throw new IllegalArgumentException(m.key("mode") + ": expected poll, was '" + mode + "'");
    }
    PollingConfig d = DEFAULTS;
    PollingConfig c =
        new PollingConfig(
            channel,
            m.positiveDuration("minInterval", d.minInterval()),
            m.duration("maxInterval", d.maxInterval()),
            m.decimal("alpha", d.alpha()),
            m.decimal("bookingsPerPoll", d.bookingsPerPoll()),
            m.decimal("jitter", d.jitter()));
    m.rejectUnknown();
    if (c.maxInterval().compareTo(c.minInterval()) < 0) {
      throw new IllegalArgumentException(
          m.key("maxInterval") + ": must not be below minInterval (" + c.minInterval() + ")");
    }
    if (!(c.alpha() > 0 && c.alpha() <= 1)) {
      throw new IllegalArgumentException(m.key("alpha") + ": must be in (0, 1], was " + c.alpha());
    }
    if (!(c.bookingsPerPoll() > 0) || Double.isInfinite(c.bookingsPerPoll())) {
      throw new IllegalArgumentException(
          m.key("bookingsPerPoll") + ": must be positive, was " + c.bookingsPerPoll());
    }
    if (!(c.jitter() >= 0 && c.jitter() < 1)) {
      throw new IllegalArgumentException(
          m.key("jitter") + ": must be in [0, 1), was " + c.jitter());
    }
    return c;
  }

  /** A fresh interval with these settings, its jitter seeded with {@code seed}. */
  public PollInterval interval(long seed) {
    return PollInterval.builder()
        .withMin(minInterval)
        .withMax(maxInterval)
        .withAlpha(alpha)
        .withBookingsPerPoll(bookingsPerPoll)
        .withJitter(jitter)
        .withSeed(seed)
        .build();
  }
}
