package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Runs a task every interval on a scheduler until cancelled; a failing run waits for the next. */
final class WorkerLoop implements Scheduler.Cancellable, Runnable {
  private final Scheduler scheduler;
  private final Duration interval;
  private final Runnable task;
  private volatile boolean cancelled;
  private volatile Scheduler.@Nullable Cancellable next;

  private WorkerLoop(Scheduler scheduler, Duration interval, Runnable task) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.task = task;
  }

  static WorkerLoop start(Scheduler scheduler, Duration interval, Runnable task) {
    WorkerLoop loop = new WorkerLoop(scheduler, interval, task);
    loop.schedule();
    return loop;
  }

  private void schedule() {
    if (!cancelled) {
      next = scheduler.schedule(interval, this);
    }
  }

  @Override
  public void run() {
    try {
      task.run();
    } catch (RuntimeException e) {
      // Claimed batches stay leased and come back when the lease expires; try again next tick.
    } finally {
      schedule();
    }
  }

  @Override
  public boolean cancel() {
    cancelled = true;
    Scheduler.Cancellable n = next;
    return n == null || n.cancel();
  }
}
