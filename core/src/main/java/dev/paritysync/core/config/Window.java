package dev.paritysync.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A window of time configured as offsets from a start ({@code {from: 1m, to: 5m}}), as {@link
 * ConfigMap#windows} reads it: {@code 0 <= from < to}. Immutable.
 *
 * @param from where the window opens, inclusive
 * @param to where it closes, exclusive
 */
public record Window(Duration from, Duration to) {
  /**
   * @throws IllegalArgumentException unless {@code 0 <= from < to}
   */
  public Window {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isNegative() || to.compareTo(from) <= 0) {
      throw new IllegalArgumentException(
          "a window must satisfy 0 <= from < to, got [" + from + ", " + to + ")");
    }
  }

  /** Whether {@code offset} lies in {@code [from, to)}. */
  public boolean contains(Duration offset) {
    return offset.compareTo(from) >= 0 && offset.compareTo(to) < 0;
  }
}
