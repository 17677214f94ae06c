package dev.paritysync.sim;

import java.util.Random;

/**
 * One seeded draw per request that reaches the fault stage, so the same seed and the same sequence
 * of requests give the same faults. Thread-safe; under concurrency the order of draws follows the
 * order in which requests reach the dice.
 */
final class FaultDice {
  enum Fault {
    NONE,
    S500,
    S502,
    S503,
    S504,
    S429,
    RESET,
    SLOW,
    /** A 200 whose body is cut off mid-document (only the simulated DSP draws it). */
    TRUNCATE
  }

  private final Random random;
  private final double[] cumulative;
  private final Fault[] faults;

  FaultDice(SimConfig c) {
    this(
        c.seed(),
        new Fault[] {
          Fault.S500, Fault.S502, Fault.S503, Fault.S504, Fault.S429, Fault.RESET, Fault.SLOW
        },
        new double[] {c.p500(), c.p502(), c.p503(), c.p504(), c.p429(), c.pReset(), c.pSlow()});
  }

  /** Dice drawing {@code faults[i]} with probability {@code ps[i]}, else {@link Fault#NONE}. */
  FaultDice(long seed, Fault[] faults, double[] ps) {
    if (faults.length != ps.length) {
      throw new IllegalArgumentException("one probability per fault");
    }
    this.random = new Random(seed);
    this.faults = faults.clone();
    cumulative = new double[ps.length];
    double sum = 0;
    for (int i = 0; i < ps.length; i++) {
      sum += ps[i];
      cumulative[i] = sum;
    }
  }

  synchronized Fault draw() {
    double x = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return faults[i];
      }
    }
    return Fault.NONE;
  }
}
