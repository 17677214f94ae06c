package dev.paritysync.core.metrics;

import dev.paritysync.core.classify.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Micrometer meters of the resilience core, by name, and a recorder for them over one {@link
 * MeterRegistry}.
 *
 * <p>Every meter of one name always carries the same tag keys (Prometheus requires it): {@value
 * #ATTEMPTS} has {@code reason=none} unless the action is a dead letter. Timers of delays and
 * latencies publish the 0.5, 0.95 and 0.99 percentiles and a percentile histogram.
 *
 * <p>Thread-safe. Meters are created on first use and cached.
 */
public final class CoreMetrics {
  /** Counter of classified attempts; tags channel, action, reason. */
  public static final String ATTEMPTS = "paritysync.attempts";

  /** Timer of the delays chosen before retries; tag channel. */
  public static final String RETRY_DELAY = "paritysync.retry.delay";

  /** Gauge of a circuit's state (0 closed, 1 half-open, 2 open); tags channel, endpoint. */
  public static final String CIRCUIT_STATE = "paritysync.circuit.state";

  /** Counter of retries refused because the retry budget was spent; tag channel. */
  public static final String BUDGET_EXHAUSTED = "paritysync.budget.exhausted";

  /** Timer of waits for quota (rate limit) permits; tag channel. */
  public static final String QUOTA_WAIT = "paritysync.quota.wait";

  /** Timer of attempt latencies; tag channel. */
  public static final String ATTEMPT_LATENCY = "paritysync.attempt.latency";

  public static final String TAG_CHANNEL = "channel";
  public static final String TAG_ACTION = "action";
  public static final String TAG_REASON = "reason";
  public static final String TAG_ENDPOINT = "endpoint";

  /** The {@code reason} tag of attempts whose action is not a dead letter. */
  public static final String NO_REASON = "none";

  public static final int CIRCUIT_CLOSED = 0;
  public static final int CIRCUIT_HALF_OPEN = 1;
  public static final int CIRCUIT_OPEN = 2;

  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();
  private final Map<String, Timer> retryDelays = new ConcurrentHashMap<>();
  private final Map<String, Timer> quotaWaits = new ConcurrentHashMap<>();
  private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

  public CoreMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Counts one attempt of {@code channel} classified as {@code action}. */
  public void attempt(String channel, Action action) {
    Objects.requireNonNull(action, "action");
    String reason = action.kind() == Action.Kind.DEAD_LETTER ? action.reason() : NO_REASON;
    Counter.builder(ATTEMPTS)
        .description("Attempts by classified action")
        .tags(
            TAG_CHANNEL,
            channel,
            TAG_ACTION,
            action.kind().name().toLowerCase(Locale.ROOT),
            TAG_REASON,
            reason)
        .register(registry)
        .increment();
  }

  /** Records the delay chosen before a retry of {@code channel}. */
  public void retryDelay(String channel, Duration delay) {
    timer(retryDelays, RETRY_DELAY, "Delays chosen before retries", channel).record(delay);
  }

  /**
   * Sets the state of the circuit of {@code channel} and {@code endpoint}: {@link #CIRCUIT_CLOSED},
   * {@link #CIRCUIT_HALF_OPEN} or {@link #CIRCUIT_OPEN}.
   *
   * @throws IllegalArgumentException for any other code
   */
  public void circuitState(String channel, String endpoint, int stateCode) {
    if (stateCode < CIRCUIT_CLOSED || stateCode > CIRCUIT_OPEN) {
      throw new IllegalArgumentException(
          "circuit state must be 0 (closed), 1 (half-open) or 2 (open), was " + stateCode);
    }
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(endpoint, "endpoint");
    circuitStates
        .computeIfAbsent(
            channel + '\u0000' + endpoint,
            k -> {
              AtomicInteger value = new AtomicInteger();
              Gauge.builder(CIRCUIT_STATE, value, AtomicInteger::get)
                  .description("Circuit state: 0 closed, 1 half-open, 2 open")
                  .tags(TAG_CHANNEL, channel, TAG_ENDPOINT, endpoint)
                  .strongReference(true)
                  .register(registry);
              return value;
            })
        .set(stateCode);
  }

  /** Counts one retry of {@code channel} refused by the retry budget. */
  public void budgetExhausted(String channel) {
    Counter.builder(BUDGET_EXHAUSTED)
        .description("Retries refused because the retry budget was spent")
        .tags(TAG_CHANNEL, channel)
        .register(registry)
        .increment();
  }

  /** Records how long a call of {@code channel} waited for a quota permit. */
  public void quotaWait(String channel, Duration wait) {
    timer(quotaWaits, QUOTA_WAIT, "Waits for quota permits", channel).record(wait);
  }

  /** Records the latency of one attempt of {@code channel}. */
  public void attemptLatency(String channel, Duration latency) {
    timer(latencies, ATTEMPT_LATENCY, "Attempt latency", channel).record(latency);
  }

  private Timer timer(Map<String, Timer> cache, String name, String description, String channel) {
    Objects.requireNonNull(channel, "channel");
    return cache.computeIfAbsent(
        channel,
        c ->
            Timer.builder(name)
                .description(description)
                .tags(Tags.of(TAG_CHANNEL, c))
                .publishPercentiles(PERCENTILES)
                .publishPercentileHistogram()
                .register(registry));
  }
}
