package dev.paritysync.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A clock and scheduler whose time moves only when a test moves it. {@link #advance(Duration)} runs
 * every task that falls due, in due order, with the clock set to each task's due time; tasks that a
 * running task schedules within the window run too. Nothing sleeps.
 *
 * <p>A delay too long to count in nanoseconds (about 292 years) saturates: the task is due at the
 * end of virtual time and runs only if time is advanced that far.
 *
 * <p>Thread-safe: tasks may be scheduled from any thread; they run on the thread that advances
 * time.
 */
public final class VirtualTime implements Clock, Scheduler {
  private final Object lock = new Object();
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long nanos;
  private final Instant epoch;
  private long sequence;

  /** Virtual time starting at {@code start}. */
  public VirtualTime(Instant start) {
    this.epoch = start;
  }

  /** Virtual time starting at 2026-01-01T00:00:00Z. */
  public VirtualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return epoch.plusNanos(nanos);
    }
  }

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return nanos;
    }
  }

  @Override
  public Clock clock() {
    return this;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    synchronized (lock) {
      long due = plusSaturated(nanos, delay);
      Task t = new Task(due, sequence++, task);
      queue.add(t);
      return () -> t.cancelled.compareAndSet(false, true);
    }
  }

  /** Moves time forward by {@code amount}, running every task due up to and including the end. */
  public void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("time cannot go backwards: " + amount);
    }
    long target;
    synchronized (lock) {
      target = plusSaturated(nanos, amount);
    }
    runUntil(target);
  }

  /** Runs the tasks due now, without moving time. Returns how many ran. */
  public int runDue() {
    long now;
    synchronized (lock) {
      now = nanos;
    }
    return runUntil(now);
  }

  /**
   * Jumps to the next due task and runs everything due at that instant. Returns false when nothing
   * is scheduled.
   */
  public boolean advanceToNext() {
    long due;
    synchronized (lock) {
      Task next = firstLive();
      if (next == null) {
        return false;
      }
      due = Math.max(nanos, next.due);
    }
    runUntil(due);
    return true;
  }

  /** The number of tasks waiting to run. */
  public int pending() {
    synchronized (lock) {
      int n = 0;
      for (Task t : queue) {
        if (!t.cancelled.get()) {
          n++;
        }
      }
      return n;
    }
  }

  /** The delay until the next task is due, or null when nothing is scheduled. */
  public @Nullable Duration untilNext() {
    synchronized (lock) {
      Task next = firstLive();
      return next == null ? null : Duration.ofNanos(Math.max(0, next.due - nanos));
    }
  }

  // A delay beyond about 292 years (Long.MAX_VALUE ns) means "never" rather than an overflow.
  private static long plusSaturated(long nanos, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      return nanos;
    }
    long d;
    try {
      d = delay.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    long sum = nanos + d;
    return sum < nanos ? Long.MAX_VALUE : sum;
  }

  private Task firstLive() {
    Task next;
    while ((next = queue.peek()) != null && next.cancelled.get()) {
      queue.poll();
    }
    return next;
  }

  private int runUntil(long target) {
    int ran = 0;
    while (true) {
      List<Task> batch = new ArrayList<>(1);
      synchronized (lock) {
        Task next = firstLive();
        if (next == null || next.due > target) {
          nanos = Math.max(nanos, target);
          return ran;
        }
        queue.poll();
        nanos = Math.max(nanos, next.due);
        batch.add(next);
      }
      for (Task t : batch) {
        if (t.cancelled.compareAndSet(false, true)) {
          t.runnable.run();
          ran++;
        }
      }
    }
  }

  private static final class Task implements Comparable<Task> {
    final long due;
    final long seq;
    final Runnable runnable;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Task(long due, long seq, Runnable runnable) {
      this.due = due;
      this.seq = seq;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
