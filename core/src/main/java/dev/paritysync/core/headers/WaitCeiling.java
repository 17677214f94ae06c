package dev.paritysync.core.headers;

import java.time.Duration;
import java.util.Objects;

/**
 * The longest server-requested wait the engine honours. A wait within the ceiling is scheduled; a
 * wait beyond it is routed as the dead letter {@code wait_too_long} by the engine, never slept on.
 * Default: 15 minutes ({@link #defaults()}). Immutable and thread-safe.
 *
 * @param max the longest wait allowed, inclusive; zero or more
 */
public record WaitCeiling(Duration max) {
  private static final WaitCeiling DEFAULT = new WaitCeiling(Duration.ofMinutes(15));

  public WaitCeiling {
    Objects.requireNonNull(max, "max");
    if (max.isNegative()) {
      throw new IllegalArgumentException("wait ceiling max must not be negative, was " + max);
    }
  }

  /** Default ceiling 15 minutes. */
  public static WaitCeiling defaults() {
    return DEFAULT;
  }

  /**
   * True when {@code requested <= max}; a wait beyond the ceiling is routed as a dead letter
   * "wait_too_long" by the engine, never slept on.
   */
  public boolean allows(Duration requested) {
    Objects.requireNonNull(requested, "requested");
    return requested.compareTo(max) <= 0;
  }
}
