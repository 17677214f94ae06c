package dev.paritysync.bench.backoff;

import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The event list of a discrete-event simulation: events ordered by due time, ties broken by the
 * order they were scheduled, so a run with a fixed seed is reproducible. An event's subject may be
 * null (an arrival has no request yet). Not thread-safe.
 */
final class EventQueue<S> {
  private final PriorityQueue<Event<S>> queue = new PriorityQueue<>();
  private long sequence;

  void schedule(long atNanos, int type, @Nullable S subject, long aux) {
    queue.add(new Event<>(atNanos, sequence++, type, subject, aux));
  }

  /** The next event, or null when none is left. */
  @Nullable Event<S> poll() {
    return queue.poll();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  record Event<S>(long atNanos, long seq, int type, @Nullable S subject, long aux)
      implements Comparable<Event<S>> {
    @Override
    public int compareTo(Event<S> o) {
      int c = Long.compare(atNanos, o.atNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
