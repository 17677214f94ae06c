package dev.paritysync.core.time;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Scheduler} on the machine's clock, backed by daemon threads named {@code <name>-<n>}.
 * Its threads may end after a time without work (and start again with the next task), so a
 * scheduler nobody uses keeps no thread. Thread-safe. Close it to stop its threads.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;

  /**
   * {@code threads} threads named after {@code name}; with a positive {@code idle} each ends after
   * that long without work, with {@link Duration#ZERO} they stay until {@link #close()}.
   */
  SystemScheduler(int threads, String name, Duration idle) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    if (!idle.isZero() && !idle.isNegative()) {
      executor.setKeepAliveTime(idle.toMillis(), TimeUnit.MILLISECONDS);
      executor.allowCoreThreadTimeOut(true);
    }
  }

  @Override
  public Clock clock() {
    return Clock.system();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    long nanos = Math.max(0, delay.toNanos());
    ScheduledFuture<?> future = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
