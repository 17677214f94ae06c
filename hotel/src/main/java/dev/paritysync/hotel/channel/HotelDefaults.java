package dev.paritysync.hotel.channel;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.headers.WaitCeiling;
import dev.paritysync.core.retry.ChannelPolicy;
import java.time.Duration;

/**
 * The hotel engine's resilience defaults for a channel: what a channel gets for every key its
 * {@code resilience} block leaves out. This is the one place they are written; core's {@link
 * ChannelPolicy} has neutral defaults of its own and knows nothing of these. docs/resilience.md
 * ("Defaults") lists them, and {@code HotelDefaultsTest} pins the two together.
 *
 * <p>Quotas are not here: a channel without configured quotas gets its adapter's documented ones
 * ({@code hotel.adapter}), else none. The classification table is core's HTTP table, under the
 * adapter's rows. Static; every value is immutable.
 */
public final class HotelDefaults {
  /** Base 1 s, ×2, +0–50 % proportional jitter, cap 30 s, 5 retries. */
  public static final Backoff BACKOFF =
      Backoff.builder()
          .withBase(Duration.ofSeconds(1))
          .withMultiplier(2)
          .withCap(Duration.ofSeconds(30))
          .withMaxRetries(5)
          .withJitter(Jitter.proportional(0.5))
          .build();

  /** A server's requested wait is honoured up to 15 minutes; beyond, the batch is dead-lettered. */
  public static final WaitCeiling WAIT_CEILING = new WaitCeiling(Duration.ofMinutes(15));

  /** {@code RateLimit-Reset} / {@code X-RateLimit-Reset} count seconds from the response. */
  public static final ResetMode RATE_LIMIT_RESET = ResetMode.DELTA_SECONDS;

  /** Retries allowed per first attempt within {@link #RETRY_BUDGET_WINDOW}: 20 %. */
  public static final double RETRY_BUDGET_RATIO = 0.2;

  /** Retries always allowed within {@link #RETRY_BUDGET_WINDOW}, however few the requests. */
  public static final int RETRY_BUDGET_MIN_RETRIES = 10;

  /** The retry budget's sliding window: 10 s. */
  public static final Duration RETRY_BUDGET_WINDOW = Duration.ofSeconds(10);

  /**
   * Opens at 50 % failures over 20 calls (once 10 are in) or at 5 failures in a row; stays open 30
   * s; then lets 3 probes through.
   */
  public static final BreakerConfig BREAKER =
      new BreakerConfig(50f, 20, 10, 5, Duration.ofSeconds(30), 3);

  /** Requests in flight per channel. */
  public static final int CONCURRENCY = 4;

  private HotelDefaults() {}

  /** The defaults above as the policy of {@code channel}, with core's classification table. */
  public static ChannelPolicy policy(String channel) {
    return ChannelPolicy.builder(channel)
        .withBackoff(BACKOFF)
        .withClassification(ClassificationTable.defaults())
        .withWaitCeiling(WAIT_CEILING)
        .withResetMode(RATE_LIMIT_RESET)
        .withRetryBudget(RETRY_BUDGET_RATIO, RETRY_BUDGET_MIN_RETRIES, RETRY_BUDGET_WINDOW)
        .withBreaker(BREAKER)
        .withConcurrency(CONCURRENCY)
        .build();
  }

  /**
   * Channel {@code channel}'s {@code resilience} block read over these defaults, its errors naming
   * the block's key paths ({@code channels.<channel>.resilience…}, as {@link
   * ChannelConfig#resilience()} gives it).
   *
   * @throws IllegalArgumentException naming the key path of the first unknown key or bad value
   */
  public static ChannelPolicy policy(String channel, ConfigMap resilience) {
    return ChannelPolicy.fromConfig(policy(channel), resilience);
  }
}
