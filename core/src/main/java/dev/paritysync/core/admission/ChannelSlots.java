package dev.paritysync.core.admission;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The concurrency limit of one channel: how many attempts are out, and who waits for a slot, in
 * arrival order. A released slot passes straight to the first waiter, which finds it held for it
 * when it asks again, so a burst of new calls cannot overtake calls that were already waiting.
 * Thread-safe.
 */
final class ChannelSlots<T> {
  private final int limit;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private final Set<T> handed = Collections.newSetFromMap(new IdentityHashMap<>());
  private int used;

  ChannelSlots(int limit) {
    this.limit = limit;
  }

  /**
   * Takes a slot for {@code waiter} (or finds the one passed to it), or, when {@code waiter} is not
   * null, queues it; returns whether it holds a slot now.
   */
  synchronized boolean acquireOrWait(@Nullable T waiter) {
    if (waiter != null && handed.remove(waiter)) {
      return true;
    }
    if (used >= limit) {
      if (waiter != null && !waiting.contains(waiter)) {
        waiting.add(waiter);
      }
      return false;
    }
    used++;
    return true;
  }

  /** Gives a slot back; returns the waiter it passes to, or null when nobody waits. */
  synchronized @Nullable T release() {
    T next = waiting.poll();
    if (next == null) {
      used--;
    } else {
      handed.add(next);
    }
    return next;
  }
}
