package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Scheduler} on the system clock whose {@link #close()} drops the tasks not yet started
 * and then waits (up to a limit) for the ones running, so a process can close its database after
 * the last delivery loop let go of it. Thread-safe.
 */
final class DrainingScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;
  private final Duration drain;

  DrainingScheduler(int threads, Duration drain) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("paritysync-run-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    this.drain = drain;
  }

  @Override
  public Clock clock() {
    return Clock.system();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f =
        executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Drops pending tasks and waits up to the drain limit for running ones; then interrupts. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
