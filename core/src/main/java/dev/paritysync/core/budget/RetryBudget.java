package dev.paritysync.core.budget;

import dev.paritysync.core.time.Clock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Caps retries at a fraction of recent first attempts, so a failing upstream never sees its load
 * multiplied by retries. Over a sliding window (default 10 s, kept as ten slices), a retry is
 * allowed while {@code retries < max(minRetries, floor(ratio × requests))}, where {@code requests}
 * counts first attempts and the product is taken in decimal (ratio 0.29 with 100 requests allows
 * 29, not the 28 binary floating point would give). Defaults: ratio 0.2, a floor of 10 retries per
 * window.
 *
 * <p>A retry that is refused is not dropped: the caller defers it by {@link #deferral()} and asks
 * again. Written by hand because neither Resilience4j nor Failsafe offers a ratio budget (Finagle's
 * {@code RetryBudget} and gRPC's retry throttling are the models). Thread-safe.
 */
public final class RetryBudget {
  /** Retries allowed per first attempt when the builder is not told otherwise. */
  public static final double DEFAULT_RATIO = 0.2;

  /** Retries always allowed per window when the builder is not told otherwise. */
  public static final int DEFAULT_MIN_RETRIES = 10;

  /** The sliding window when the builder is not told otherwise. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  private static final int SLICES = 10;

  private final Clock clock;
  private final double ratio;
  // The ratio as written (0.29, not 0.28999999999999998): floor(ratio × requests) must not lose a
  // retry to binary rounding.
  private final BigDecimal exactRatio;
  private final int minRetries;
  private final long sliceNanos;
  private final long[] requests = new long[SLICES];
  private final long[] retries = new long[SLICES];
  private long currentSlice;

  private RetryBudget(Builder b) {
    this.clock = b.clock;
    this.ratio = b.ratio;
    this.exactRatio = BigDecimal.valueOf(b.ratio);
    this.minRetries = b.minRetries;
    this.sliceNanos = Math.max(1, b.window.toNanos() / SLICES);
    this.currentSlice = Math.floorDiv(clock.nanoTime(), sliceNanos);
  }

  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /** Records a first attempt (not a retry). */
  public synchronized void onRequest() {
    roll();
    requests[index(currentSlice)]++;
  }

  /**
   * Takes one retry from the budget if it allows one; returns false, taking nothing, when the
   * budget is spent. A refused retry should be deferred by {@link #deferral()}, not dropped.
   */
  public synchronized boolean tryRetry() {
    roll();
    long req = 0;
    long ret = 0;
    for (int i = 0; i < SLICES; i++) {
      req += requests[i];
      ret += retries[i];
    }
    if (ret < allowed(req)) {
      retries[index(currentSlice)]++;
      return true;
    }
    return false;
  }

  /** How long to defer a refused retry: one slice of the window, when the oldest counts expire. */
  public Duration deferral() {
    return Duration.ofNanos(sliceNanos);
  }

  /** Requests and retries counted in the current window, for metrics and tests. */
  public synchronized Usage usage() {
    roll();
    long req = 0;
    long ret = 0;
    for (int i = 0; i < SLICES; i++) {
      req += requests[i];
      ret += retries[i];
    }
    return new Usage(req, ret, allowed(req));
  }

  /** max(minRetries, floor(ratio × requests)), computed in decimal. */
  private long allowed(long requests) {
    long share =
        exactRatio
            .multiply(BigDecimal.valueOf(requests))
            .setScale(0, RoundingMode.FLOOR)
            .longValue(); // at most 10 × requests: no overflow for any count a window can hold
    return Math.max(minRetries, share);
  }

  public double ratio() {
    return ratio;
  }

  public int minRetries() {
    return minRetries;
  }

  private void roll() {
    long slice = Math.floorDiv(clock.nanoTime(), sliceNanos);
    if (slice <= currentSlice) {
      return;
    }
    long steps = Math.min(SLICES, slice - currentSlice);
    for (long s = 1; s <= steps; s++) {
      int i = index(currentSlice + s);
      requests[i] = 0;
      retries[i] = 0;
    }
    currentSlice = slice;
  }

  private static int index(long slice) {
    return (int) Math.floorMod(slice, (long) SLICES);
  }

  /** Counts in the current window and the number of retries the window allows. */
  public record Usage(long requests, long retries, long allowedRetries) {}

  /** Builds a {@link RetryBudget}. */
  public static final class Builder {
    private final Clock clock;
    private double ratio = DEFAULT_RATIO;
    private int minRetries = DEFAULT_MIN_RETRIES;
    private Duration window = DEFAULT_WINDOW;

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Retries allowed per first attempt in the window; default 0.2. */
    public Builder withRatio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /** Retries always allowed per window, however few the requests; default 10. */
    public Builder withMinRetries(int minRetries) {
      this.minRetries = minRetries;
      return this;
    }

    /** The sliding window; default 10 s. */
    public Builder withWindow(Duration window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    public RetryBudget build() {
      if (!(ratio >= 0) || ratio > 10) {
        throw new IllegalArgumentException("retry budget ratio must be in [0, 10], was " + ratio);
      }
      if (minRetries < 0) {
        throw new IllegalArgumentException(
            "retry budget minRetries must be >= 0, was " + minRetries);
      }
      if (window.toMillis() < 10) {
        throw new IllegalArgumentException(
            "retry budget window must be at least 10 ms, was " + window);
      }
      return new RetryBudget(this);
    }
  }
}
