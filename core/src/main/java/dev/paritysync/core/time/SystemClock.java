package dev.paritysync.core.time;

import java.time.Instant;

/** The machine's clock: the one place that reads real time. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }
}
