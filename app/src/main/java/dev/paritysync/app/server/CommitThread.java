package dev.paritysync.app.server;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that commits {@code POST /v1/changes} groups of one store, as a {@link Scheduler}
 * on the machine's clock: a daemon thread named {@code paritysync-ingest-commit}, started on demand
 * and ended after a minute without work, so an unused or forgotten server keeps no thread.
 * Thread-safe.
 */
final class CommitThread implements Scheduler {
  private static final Duration IDLE = Duration.ofMinutes(1);

  private final ScheduledThreadPoolExecutor executor;

  CommitThread() {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "paritysync-ingest-commit");
              t.setDaemon(true);
              return t;
            });
    executor.setKeepAliveTime(IDLE.toMillis(), TimeUnit.MILLISECONDS);
    executor.allowCoreThreadTimeOut(true);
    executor.setRemoveOnCancelPolicy(true);
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
}
