package dev.paritysync.bench.backoff;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * What a client of the four-hop model ({@link FaithfulClosedSystem}) sleeps after it loses a write.
 * The first five are the kinds of aws-samples/aws-arch-backoff-simulator (Apache-2.0), under its
 * names; the last is ours. All but {@link #NONE} are computed by core's {@link Backoff} with base 5
 * units, ×2, cap 2000 units.
 */
enum SleepKind {
  /** The original's "None": no sleep at all; the next read goes out with the lost write's reply. */
  NONE("None", null),
  /** The original's "Exponential": min(cap, base × 2^n), no jitter (core's {@code none}). */
  EXPONENTIAL("Exponential", Jitter.none()),
  /**
   * The original's "Decorr": min(cap, uniform(base, 3 × previous sleep)), first previous = base.
   */
  DECORR("Decorr", Jitter.decorrelated()),
  /** The original's "EqualJitter": d/2 + uniform(0, d/2), d = min(cap, base × 2^n). */
  EQUAL_JITTER("EqualJitter", Jitter.equal()),
  /** The original's "FullJitter": uniform(0, d), d = min(cap, base × 2^n). */
  FULL_JITTER("FullJitter", Jitter.full()),
  /** Ours, not in the original: min(cap, d + uniform(0, d/2)), the hotel default's jitter. */
  PROPORTIONAL("Proportional +0–50%", Jitter.proportional(0.5));

  static final double BASE_UNITS = 5;
  static final double CAP_UNITS = 2000;

  private final String label;
  private final @Nullable Backoff backoff;

  SleepKind(String label, @Nullable Jitter jitter) {
    this.label = label;
    this.backoff =
        jitter == null
            ? null
            : Backoff.builder()
                .withBase(Duration.ofNanos(Hops.nanos(BASE_UNITS)))
                .withMultiplier(2)
                .withCap(Duration.ofNanos(Hops.nanos(CAP_UNITS)))
                .withMaxRetries(Integer.MAX_VALUE)
                .withJitter(jitter)
                .build();
  }

  /** The column heading; for the original's kinds, the name its results file uses. */
  String label() {
    return label;
  }

  /** Whether aws-arch-backoff-simulator has this kind (and so a reference mean). */
  boolean inOriginal() {
    return this != PROPORTIONAL;
  }

  /**
   * The sleep, in nanoseconds of simulated time, after a client's {@code n}-th lost write (n = 1
   * for the first).
   *
   * @param previousNanos the sleep chosen after the previous lost write, 0 for the first; only
   *     decorrelated jitter reads it
   */
  long sleepNanos(int n, long previousNanos, RandomGenerator random) {
    if (n < 1) {
      throw new IllegalArgumentException("lost writes count from 1, was " + n);
    }
    if (backoff == null) {
      return 0; // core has no kind that never sleeps: its Jitter.none() is the original's
      // Exponential
    }
    // Core numbers retries so that retry r sleeps min(cap, base × 2^(r-1)): its first retry sleeps
    // base. The original sleeps min(cap, base × 2^n) with n = 1 after the first lost write, i.e.
    // 2 × base first. So the original's n is core's retry n + 1; decorrelated ignores the number.
    Duration previous = previousNanos == 0 ? null : Duration.ofNanos(previousNanos);
    return backoff.delay(n + 1, previous, random).toNanos();
  }
}
