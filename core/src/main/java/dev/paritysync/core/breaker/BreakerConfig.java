package dev.paritysync.core.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a circuit breaker opens and recovers. It opens when, over the last {@code slidingWindowSize}
 * calls (and once at least {@code minimumCalls} were recorded), the failure rate reaches {@code
 * failureRateThreshold} percent, or when {@code consecutiveFailures} calls in a row fail. It stays
 * open for {@code openDuration}, then admits {@code halfOpenCalls} probes: all succeed and it
 * closes; any fails and it opens again.
 *
 * <p>Defaults ({@link #defaults()}): 50 %, a window of 20 calls, 10 calls before the rate counts, 5
 * consecutive failures, 30 s open, 3 half-open probes. Immutable; change a value with a {@code
 * withX} method.
 *
 * @param failureRateThreshold percent of failed calls that opens the breaker, in (0, 100]
 * @param slidingWindowSize calls the failure rate is computed over, at least 1
 * @param minimumCalls calls needed before the failure rate counts, 1 to {@code slidingWindowSize}
 * @param consecutiveFailures failures in a row that open the breaker, at least 1
 * @param openDuration how long the breaker stays open, at least 1 ms
 * @param halfOpenCalls probes admitted when half-open, at least 1
 */
public record BreakerConfig(
    float failureRateThreshold,
    int slidingWindowSize,
    int minimumCalls,
    int consecutiveFailures,
    Duration openDuration,
    int halfOpenCalls) {

  private static final BreakerConfig DEFAULTS =
      new BreakerConfig(50f, 20, 10, 5, Duration.ofSeconds(30), 3);

  public BreakerConfig {
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
      throw new IllegalArgumentException(
          "breaker failureRateThreshold must be in (0, 100], was " + failureRateThreshold);
    }
    if (slidingWindowSize < 1) {
      throw new IllegalArgumentException(
          "breaker slidingWindowSize must be at least 1, was " + slidingWindowSize);
    }
    if (minimumCalls < 1 || minimumCalls > slidingWindowSize) {
      throw new IllegalArgumentException(
          "breaker minimumCalls must be between 1 and slidingWindowSize ("
              + slidingWindowSize
              + "), was "
              + minimumCalls);
    }
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "breaker consecutiveFailures must be at least 1, was " + consecutiveFailures);
    }
    Objects.requireNonNull(openDuration, "openDuration");
    if (openDuration.toMillis() < 1) {
      throw new IllegalArgumentException(
          "breaker openDuration must be at least 1 ms, was " + openDuration);
    }
    if (halfOpenCalls < 1) {
      throw new IllegalArgumentException(
          "breaker halfOpenCalls must be at least 1, was " + halfOpenCalls);
    }
  }

  /** 50 %, 20 calls, 10 minimum calls, 5 consecutive failures, 30 s open, 3 half-open probes. */
  public static BreakerConfig defaults() {
    return DEFAULTS;
  }

  public BreakerConfig withFailureRateThreshold(float percent) {
    return new BreakerConfig(
        percent, slidingWindowSize, minimumCalls, consecutiveFailures, openDuration, halfOpenCalls);
  }

  /** The window and the minimum together, since the minimum may not exceed the window. */
  public BreakerConfig withSlidingWindow(int size, int minimumCalls) {
    return new BreakerConfig(
        failureRateThreshold, size, minimumCalls, consecutiveFailures, openDuration, halfOpenCalls);
  }

  public BreakerConfig withConsecutiveFailures(int failures) {
    return new BreakerConfig(
        failureRateThreshold,
        slidingWindowSize,
        minimumCalls,
        failures,
        openDuration,
        halfOpenCalls);
  }

  public BreakerConfig withOpenDuration(Duration duration) {
    return new BreakerConfig(
        failureRateThreshold,
        slidingWindowSize,
        minimumCalls,
        consecutiveFailures,
        duration,
        halfOpenCalls);
  }

  public BreakerConfig withHalfOpenCalls(int calls) {
    return new BreakerConfig(
        failureRateThreshold,
        slidingWindowSize,
        minimumCalls,
        consecutiveFailures,
        openDuration,
        calls);
  }
}
