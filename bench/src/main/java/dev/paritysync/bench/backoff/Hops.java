package dev.paritysync.bench.backoff;

import java.util.random.RandomGenerator;

/**
 * The time one network hop takes, in nanoseconds of simulated time. One time unit of the
 * experiments is {@link #UNIT_NANOS} (1 ms).
 */
@FunctionalInterface
interface Hops {
  /** One time unit of the experiments, in nanoseconds: 1 ms. */
  long UNIT_NANOS = 1_000_000L;

  long nextNanos(RandomGenerator random);

  /** |N(mean, sd)| time units, as in the AWS post's simulator. */
  static Hops absNormal(double meanUnits, double sdUnits) {
    return random -> Math.round(Math.abs(meanUnits + sdUnits * random.nextGaussian()) * UNIT_NANOS);
  }

  /** Every hop takes exactly {@code units}; draws nothing from the random generator. */
  static Hops fixed(double units) {
    long nanos = Math.round(units * UNIT_NANOS);
    return random -> nanos;
  }

  static long nanos(double units) {
    return Math.round(units * UNIT_NANOS);
  }

  static double units(long nanos) {
    return nanos / (double) UNIT_NANOS;
  }
}
