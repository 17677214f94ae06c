package dev.paritysync.sim;

import dev.paritysync.core.time.Clock;
import io.github.bucket4j.TimeMeter;

/** Bucket4j reads time through the injected clock, so virtual time refills buckets. */
final class ClockTimeMeter implements TimeMeter {
  private final Clock clock;

  ClockTimeMeter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long currentTimeNanos() {
    return clock.nanoTime();
  }

  @Override
  public boolean isWallClockBased() {
    return false;
  }
}
