package dev.paritysync.core.time;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The only source of time in paritysync. Production code reads wall time and monotonic time through
 * an injected {@code Clock}, never through {@link System#nanoTime()} or {@link Instant#now()}, so
 * every wait, lease, token expiry and breaker window can be driven by {@link VirtualTime} in tests.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /** Wall-clock time, used for HTTP dates, leases stored in a database and ledger entries. */
  Instant instant();

  /**
   * Monotonic time in nanoseconds from an arbitrary origin; only differences are meaningful. Used
   * for latencies, token buckets and sliding windows.
   */
  long nanoTime();

  /** Milliseconds since the epoch, as {@link #instant()} gives them. */
  default long millis() {
    return instant().toEpochMilli();
  }

  /** A {@link java.time.Clock} view in UTC, for libraries that take one (Resilience4j). */
  default java.time.Clock asJavaClock() {
    return new JavaClockView(this, ZoneOffset.UTC);
  }

  /** The real clock of this machine. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
