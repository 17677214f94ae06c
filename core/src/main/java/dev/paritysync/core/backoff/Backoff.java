package dev.paritysync.core.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Exponential backoff with jitter: base delay, multiplier, cap and a maximum number of retries.
 * Immutable and thread-safe; the randomness is passed in, so a seeded generator makes every delay
 * reproducible.
 *
 * <p>Defaults (what {@link #builder()} starts from): base 1 s, ×2, +0–50 % proportional jitter, cap
 * 30 s, 5 retries. An application that wants its own defaults states them with the builder.
 */
public final class Backoff {
  private final long baseNanos;
  private final double multiplier;
  private final long capNanos;
  private final int maxRetries;
  private final Jitter jitter;

  private Backoff(Builder b) {
    this.baseNanos = b.base.toNanos();
    this.multiplier = b.multiplier;
    this.capNanos = b.cap.toNanos();
    this.maxRetries = b.maxRetries;
    this.jitter = b.jitter;
  }

  /** A builder over the defaults in the class comment. */
  public static Builder builder() {
    return new Builder();
  }

  public Duration base() {
    return Duration.ofNanos(baseNanos);
  }

  public double multiplier() {
    return multiplier;
  }

  public Duration cap() {
    return Duration.ofNanos(capNanos);
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Jitter jitter() {
    return jitter;
  }

  /** Whether another retry is allowed after {@code retriesDone} retries. */
  public boolean allowsRetry(int retriesDone) {
    return retriesDone < maxRetries;
  }

  /**
   * The exponential delay of retry {@code retry} (1-based) before jitter: min(cap, base × m^(n-1)).
   */
  public Duration exponential(int retry) {
    return Duration.ofNanos(exponentialNanos(retry));
  }

  /**
   * The delay before retry number {@code retry} (1 for the first retry).
   *
   * @param previous the delay chosen before the previous retry, used by decorrelated jitter; null
   *     or zero for the first retry
   */
  public Duration delay(int retry, @Nullable Duration previous, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
    }
    Objects.requireNonNull(random, "random");
    long d = exponentialNanos(retry);
    long nanos;
    switch (jitter.kind()) {
      case NONE:
        nanos = d;
        break;
      case FULL:
        nanos = uniform(random, 0, d);
        break;
      case EQUAL:
        nanos = d / 2 + uniform(random, 0, d - d / 2);
        break;
      case DECORRELATED:
        long prev =
            previous == null || previous.isZero() || previous.isNegative()
                ? baseNanos
                : previous.toNanos();
        long upper = saturatedMultiply(prev, 3);
        nanos = Math.min(capNanos, uniform(random, baseNanos, Math.max(baseNanos, upper)));
        break;
      case PROPORTIONAL:
        long extra = (long) Math.min(Long.MAX_VALUE / 2.0, d * jitter.proportion());
        nanos = Math.min(capNanos, d + uniform(random, 0, extra));
        break;
      default:
        throw new AssertionError(jitter.kind());
    }
    return Duration.ofNanos(nanos);
  }

  private long exponentialNanos(int retry) {
    double d = baseNanos * Math.pow(multiplier, retry - 1);
    if (!(d < capNanos)) { // also catches overflow to infinity
      return capNanos;
    }
    return (long) d;
  }

  private static long uniform(RandomGenerator random, long lo, long hi) {
    if (hi <= lo) {
      return lo;
    }
    // inclusive upper bound; hi < Long.MAX_VALUE because delays are capped far below it
    return random.nextLong(lo, hi + 1);
  }

  private static long saturatedMultiply(long a, long b) {
    long r = a * b;
    return (a != 0 && r / a != b) ? Long.MAX_VALUE - 1 : r;
  }

  @Override
  public String toString() {
    return "Backoff{base="
        + base()
        + ", multiplier="
        + multiplier
        + ", cap="
        + cap()
        + ", maxRetries="
        + maxRetries
        + ", jitter="
        + jitter
        + '}';
  }

  /**
   * Builds a {@link Backoff}; {@link #build()} validates and copies, so a built policy never
   * changes.
   */
  public static final class Builder {
    private Duration base = Duration.ofSeconds(1);
    private double multiplier = 2;
    private Duration cap = Duration.ofSeconds(30);
    private int maxRetries = 5;
    private Jitter jitter = Jitter.proportional(0.5);

    private Builder() {}

    public Builder withBase(Duration base) {
      this.base = Objects.requireNonNull(base, "base");
      return this;
    }

    public Builder withMultiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    public Builder withCap(Duration cap) {
      this.cap = Objects.requireNonNull(cap, "cap");
      return this;
    }

    public Builder withMaxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder withJitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public Backoff build() {
      if (base.isNegative() || base.isZero()) {
        throw new IllegalArgumentException("backoff base must be positive, was " + base);
      }
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("backoff multiplier must be >= 1, was " + multiplier);
      }
      if (cap.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff cap (" + cap + ") must not be below the base (" + base + ")");
      }
      if (cap.compareTo(Duration.ofDays(365)) > 0) {
        throw new IllegalArgumentException("backoff cap must be at most 365 days, was " + cap);
      }
      if (maxRetries < 0) {
        throw new IllegalArgumentException("backoff maxRetries must be >= 0, was " + maxRetries);
      }
      return new Backoff(this);
    }
  }
}
