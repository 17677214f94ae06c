package dev.paritysync.core.time;

import java.time.Duration;

/**
 * Runs tasks after a delay measured on {@link #clock()}. Everything in paritysync that waits does
 * so by scheduling a task here, never by sleeping a thread that holds work.
 *
 * <p>Implementations are thread-safe. Tasks run on the scheduler's own threads ({@link
 * #system(int)}) or on the thread that advances virtual time ({@link VirtualTime}).
 */
public interface Scheduler {

  /** The clock against which delays are measured. */
  Clock clock();

  /**
   * Runs {@code task} once, no sooner than {@code delay} from now. A zero or negative delay runs it
   * as soon as possible.
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduler on the machine's clock backed by a pool of daemon threads. */
  static SystemScheduler system(int threads) {
    return new SystemScheduler(threads, "paritysync-scheduler", Duration.ZERO);
  }

  /**
   * A scheduler on the machine's clock of one daemon thread named {@code <name>-1}, started by the
   * first task and ended after {@code idle} without work (and started again by the next task).
   */
  static SystemScheduler idling(String name, Duration idle) {
    return new SystemScheduler(1, name, idle);
  }

  /** A handle to cancel a scheduled task. */
  interface Cancellable {
    /** Cancels the task if it has not started; returns whether it was cancelled. */
    boolean cancel();
  }
}
