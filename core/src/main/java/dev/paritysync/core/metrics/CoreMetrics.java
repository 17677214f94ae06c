package dev.paritysync.core.metrics;

import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.classify.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Micrometer meters of the resilience core, by name, and a recorder for them over one {@link
 * MeterRegistry}.
 *
 * <p>Every meter of one name always carries the same tag keys (Prometheus requires it): {@value
 * #ATTEMPTS} has {@code reason=none} unless the action is a dead letter. Delays and latencies are
 * {@link LatencyMeter}s: a timer with a percentile histogram, and gauges {@code <name>.percentile}
 * of the 0.5, 0.95 and 0.99 percentiles.
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

  // Retry delays reach the policy's cap, quota waits can be long; beyond this the top bucket.
  private static final Duration MAX_LATENCY = Duration.ofMinutes(10);

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();
  private final Map<String, LatencyMeter> retryDelays = new ConcurrentHashMap<>();
  private final Map<String, LatencyMeter> quotaWaits = new ConcurrentHashMap<>();
  private final Map<String, LatencyMeter> latencies = new ConcurrentHashMap<>();

  public CoreMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Counts one attempt of {@code channel} classified as {@code action}. */
  public void attempt(String channel, Action action) {
    Objects.requireNonNull(action, "action");
    String reason =
        action.kind() == Action.Kind.DEAD_LETTER
            ? Objects.requireNonNullElse(action.reason(), NO_REASON)
            : NO_REASON;
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

  /**
   * Registers the {@value #CIRCUIT_STATE} gauge of {@code channel} and {@code endpoint} as a
   * reading of {@code state} at each scrape (for breakers whose transitions, such as open to
   * half-open, happen as time passes rather than as events). Use either this or {@link
   * #circuitState(String, String, int)} for one circuit, not both. Returns the gauge, so its owner
   * can remove it from the registry when the breaker goes away.
   */
  public Gauge watchCircuit(String channel, String endpoint, Supplier<BreakerState> state) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(state, "state");
    return Gauge.builder(CIRCUIT_STATE, () -> stateCode(state.get()))
        .description("Circuit state: 0 closed, 1 half-open, 2 open")
        .tags(TAG_CHANNEL, channel, TAG_ENDPOINT, endpoint)
        .strongReference(true)
        .register(registry);
  }

  /** The gauge code of {@code state}: {@link #CIRCUIT_CLOSED}, half-open or open. */
  public static int stateCode(BreakerState state) {
    return switch (state) {
      case CLOSED -> CIRCUIT_CLOSED;
      case HALF_OPEN -> CIRCUIT_HALF_OPEN;
      case OPEN -> CIRCUIT_OPEN;
    };
  }

  /** The registry the meters are in. */
  public MeterRegistry registry() {
    return registry;
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

  private LatencyMeter timer(
      Map<String, LatencyMeter> cache, String name, String description, String channel) {
    Objects.requireNonNull(channel, "channel");
    return cache.computeIfAbsent(
        channel,
        c -> new LatencyMeter(registry, name, description, Tags.of(TAG_CHANNEL, c), MAX_LATENCY));
  }
}
