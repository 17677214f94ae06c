package dev.paritysync.bench.chaos;

import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Real-time waits of the soak, on a scheduler like every other wait (no thread sleeps). */
final class Waits {
  private static final Scheduler TIMER = Scheduler.system(2);

  private Waits() {}

  /** Waits {@code d} of real time; returns early, interrupted flag set, when interrupted. */
  static void pause(Duration d) {
    CountDownLatch done = new CountDownLatch(1);
    TIMER.schedule(d, done::countDown);
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
