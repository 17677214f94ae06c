package dev.paritysync.core.time;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Scheduler} on the machine's clock. Close it to stop its threads. */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService executor;

  SystemScheduler(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "paritysync-scheduler-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = Executors.newScheduledThreadPool(threads, factory);
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
