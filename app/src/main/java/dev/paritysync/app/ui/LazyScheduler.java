package dev.paritysync.app.ui;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A scheduler of one daemon thread on the machine's clock, started by the first task only: a UI
 * nobody watches live runs no thread. Thread-safe.
 */
final class LazyScheduler implements Scheduler {
  private final Clock clock;
  private @Nullable SystemScheduler threads;

  LazyScheduler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    if (threads == null) {
      threads = Scheduler.system(1);
    }
    return threads.schedule(delay, task);
  }
}
