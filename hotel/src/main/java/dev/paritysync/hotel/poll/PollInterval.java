package dev.paritysync.hotel.poll;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The delay until the next poll of a channel without webhooks, from its booking velocity.
 *
 * <p>After each poll, {@link #next(int, Duration)} is told how many bookings (new, modified or
 * cancelled reservations) the poll brought and how long it covered. It keeps an exponential moving
 * average of bookings per minute,
 *
 * <pre>
 *   rate = bookings / elapsed minutes
 *   ema  = α · rate + (1 − α) · ema          (ema starts at 0)
 * </pre>
 *
 * and aims at about {@code bookingsPerPoll} bookings per poll:
 *
 * <pre>
 *   base  = bookingsPerPoll / ema minutes, clamped to [min, max]   (ema = 0 → max)
 *   delay = base · (1 + jitter · u), u uniform in [−1, 1) from the seeded random, clamped again
 * </pre>
 *
 * So a busy channel is polled every {@code min}, a quiet one every {@code max}, and a sudden spike
 * seen by one poll pulls the delay down by the factor α at once. Defaults: min 20 s, max 5 min, α
 * 0.5, 1 booking per poll, jitter ±10 %, seed 0.
 *
 * <p>Reads no clock: the caller says how much time a poll covered, so the sequence of delays is a
 * pure function of the observations and the seed. Not thread-safe; one poller owns one.
 */
public final class PollInterval {
  private final Duration min;
  private final Duration max;
  private final double alpha;
  private final double bookingsPerPoll;
  private final double jitter;
  private final SplittableRandom random;
  private double ema;

  private PollInterval(Builder b) {
    this.min = b.min;
    this.max = b.max;
    this.alpha = b.alpha;
    this.bookingsPerPoll = b.bookingsPerPoll;
    this.jitter = b.jitter;
    this.random = new SplittableRandom(b.seed);
  }

  /** Starts a builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** An interval with every default. */
  public static PollInterval defaults() {
    return builder().build();
  }

  /**
   * Records a poll that brought {@code bookings} over {@code elapsed} (the time since the previous
   * poll) and returns the delay until the next one, in [min, max].
   *
   * @throws IllegalArgumentException when {@code bookings} is negative or {@code elapsed} is not
   *     positive
   */
  public Duration next(int bookings, Duration elapsed) {
    if (bookings < 0) {
      throw new IllegalArgumentException("bookings must be >= 0, was " + bookings);
    }
    Objects.requireNonNull(elapsed, "elapsed");
    if (elapsed.isNegative() || elapsed.isZero()) {
      throw new IllegalArgumentException("elapsed must be positive, was " + elapsed);
    }
    double minutes = elapsed.toNanos() / 60e9;
    ema = alpha * (bookings / minutes) + (1 - alpha) * ema;
    return jittered(base());
  }

  /**
   * The delay after a poll that failed (nothing was learnt): the current base, jittered, without
   * updating the average.
   */
  Duration afterFailure() {
    return jittered(base());
  }

  /** The moving average of bookings per minute. */
  double bookingsPerMinute() {
    return ema;
  }

  /** The shortest delay {@link #next} returns. */
  public Duration min() {
    return min;
  }

  /** The longest delay {@link #next} returns. */
  public Duration max() {
    return max;
  }

  private double base() {
    double minNanos = min.toNanos();
    double maxNanos = max.toNanos();
    if (ema <= 0) {
      return maxNanos;
    }
    double nanos = bookingsPerPoll / ema * 60e9;
    return Math.max(minNanos, Math.min(maxNanos, nanos));
  }

  private Duration jittered(double baseNanos) {
    double u = jitter == 0 ? 0 : random.nextDouble(-1, 1);
    double nanos = baseNanos * (1 + jitter * u);
    nanos = Math.max(min.toNanos(), Math.min(max.toNanos(), nanos));
    return Duration.ofNanos(Math.round(nanos));
  }

  @Override
  public String toString() {
    return "PollInterval[min="
        + min
        + ", max="
        + max
        + ", alpha="
        + alpha
        + ", bookingsPerPoll="
        + bookingsPerPoll
        + ", jitter="
        + jitter
        + ", ema="
        + ema
        + "/min]";
  }

  /** Default shortest delay, for a busy channel: 20 s. */
  public static final Duration DEFAULT_MIN = Duration.ofSeconds(20);

  /** Default longest delay, for a quiet channel: 5 minutes. */
  public static final Duration DEFAULT_MAX = Duration.ofMinutes(5);

  /** Default weight of the newest poll in the moving average: 0.5. */
  public static final double DEFAULT_ALPHA = 0.5;

  /** Default number of bookings a poll should bring: 1. */
  public static final double DEFAULT_BOOKINGS_PER_POLL = 1;

  /** Default jitter, as a share of the delay: ±10 %. */
  public static final double DEFAULT_JITTER = 0.1;

  /**
   * Builds a {@link PollInterval}; {@link #build()} checks the settings together. Not thread-safe.
   */
  public static final class Builder {
    private Duration min = DEFAULT_MIN;
    private Duration max = DEFAULT_MAX;
    private double alpha = DEFAULT_ALPHA;
    private double bookingsPerPoll = DEFAULT_BOOKINGS_PER_POLL;
    private double jitter = DEFAULT_JITTER;
    private long seed;

    private Builder() {}

    /** The shortest delay, for a busy channel; default 20 s. */
    public Builder withMin(Duration min) {
      this.min = Objects.requireNonNull(min, "min");
      return this;
    }

    /** The longest delay, for a quiet channel; default 5 min. */
    public Builder withMax(Duration max) {
      this.max = Objects.requireNonNull(max, "max");
      return this;
    }

    /** The weight of the newest poll in the moving average, in (0, 1]; default 0.5. */
    public Builder withAlpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** How many bookings a poll should bring on average; default 1. */
    public Builder withBookingsPerPoll(double bookingsPerPoll) {
      this.bookingsPerPoll = bookingsPerPoll;
      return this;
    }

    /** The jitter as a fraction of the delay, in [0, 1); default 0.1 (±10 %). */
    public Builder withJitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Seeds the jitter; default 0. */
    public Builder withSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The interval.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public PollInterval build() {
      if (min.isNegative() || min.isZero()) {
        throw new IllegalArgumentException("min must be positive, was " + min);
      }
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("max (" + max + ") must not be below min (" + min + ")");
      }
      if (!(alpha > 0 && alpha <= 1)) {
        throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
      }
      if (!(bookingsPerPoll > 0) || Double.isInfinite(bookingsPerPoll)) {
        throw new IllegalArgumentException(
            "bookingsPerPoll must be positive, was " + bookingsPerPoll);
      }
      if (!(jitter >= 0 && jitter < 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
      }
      return new PollInterval(this);
    }
  }
}
