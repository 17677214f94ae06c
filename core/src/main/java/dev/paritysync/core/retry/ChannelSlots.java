package dev.paritysync.core.retry;

import java.util.ArrayDeque;

/**
 * The concurrency limit of one channel: how many attempts are out, and who waits for a slot, in
 * arrival order. A released slot passes straight to the first waiter, so a burst of new calls
 * cannot overtake calls that were already waiting. Thread-safe.
 */
final class ChannelSlots<T> {
  private final int limit;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private int used;

  ChannelSlots(int limit) {
    this.limit = limit;
  }

  /** Takes a slot for {@code waiter}, or queues it and returns false. */
  synchronized boolean acquireOrWait(T waiter) {
    if (used >= limit) {
      waiting.add(waiter);
      return false;
    }
    used++;
    return true;
  }

  /** Gives a slot back; returns the waiter it passes to, or null when nobody waits. */
  synchronized T release() {
    T next = waiting.poll();
    if (next == null) {
      used--;
    }
    return next;
  }
}
