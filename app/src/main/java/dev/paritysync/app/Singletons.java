package dev.paritysync.app;

import dev.paritysync.core.time.Scheduler;
import dev.paritysync.store.cluster.Leases;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components of which a cluster runs exactly one (a channel's reservation poller, the
 * reconciliation timetable, pruning), each behind a named lease: every third of the lease this
 * worker takes or renews each lease ({@link Leases#tryHold}), starts the component of a lease it
 * gained and stops the component of one it lost. A worker that finds a lease held by another looks
 * again when that lease expires (if that comes before its next round), so when the holder dies (and
 * stops renewing) another worker takes the lease over, and starts the component, within one lease
 * period of the holder's last renewal.
 *
 * <p>A component is made fresh by its factory each time the lease is gained (pollers and timetables
 * cannot be restarted once closed). A factory that fails gives the lease back, so that another
 * worker may try; this one tries again at its next round. A lease that cannot be renewed (the
 * database is unreachable) counts as lost: the component stops before the lease can expire under
 * it.
 *
 * <p>{@link #start()} runs the first round on the caller's thread, so a worker alone starts its
 * components before it returns; later rounds run on the scheduler. {@link #close()} stops every
 * component and gives its lease back, so another worker takes over at its next round rather than
 * after the lease expires. Thread-safe.
 */
final class Singletons implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Singletons.class);

  /** The soonest a round follows another, so an expiry seen in the past does not spin. */
  private static final Duration MIN_DELAY = Duration.ofMillis(1);

  private final Leases leases;
  private final String workerId;
  private final Duration lease;
  private final Duration every;
  private final Scheduler scheduler;
  private final Map<String, Supplier<? extends AutoCloseable>> factories = new LinkedHashMap<>();
  private final Map<String, AutoCloseable> running = new LinkedHashMap<>();
  private Scheduler.@Nullable Cancellable next;
  private boolean started;
  private boolean closed;

  /**
   * Singletons held in {@code leases} by {@code workerId} for {@code lease} at a time, renewed on
   * {@code scheduler} every third of it.
   */
  Singletons(Leases leases, String workerId, Duration lease, Scheduler scheduler) {
    this.leases = Objects.requireNonNull(leases, "leases");
    this.workerId = Objects.requireNonNull(workerId, "workerId");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("singleton lease must be positive, was " + lease);
    }
    this.lease = lease;
    this.every = lease.dividedBy(3);
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Adds the singleton {@code name}, whose {@code start} makes and starts its component; the
   * component's {@code close()} stops it.
   *
   * @throws IllegalStateException after {@link #start()}, or when {@code name} is already added
   */
  synchronized Singletons add(String name, Supplier<? extends AutoCloseable> start) {
    if (started) {
      throw new IllegalStateException("singleton " + name + " added after start");
    }
    if (factories.putIfAbsent(name, Objects.requireNonNull(start, "start")) != null) {
      throw new IllegalStateException("singleton " + name + " added twice");
    }
    return this;
  }

  /** Takes what leases it can now, starting their components, and renews them from now on. */
  synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "singletons closed" : "singletons already started");
    }
    started = true;
    round();
  }

  /** Whether this worker runs the component of {@code name} now. */
  synchronized boolean running(String name) {
    return running.containsKey(name);
  }

  /** The names of the singletons added, in order. */
  synchronized java.util.Set<String> names() {
    return java.util.Set.copyOf(factories.keySet());
  }

  private synchronized void round() {
    if (closed) {
      return;
    }
    Duration delay = every;
    try {
      for (Map.Entry<String, Supplier<? extends AutoCloseable>> e : factories.entrySet()) {
        Instant othersExpiry = hold(e.getKey(), e.getValue());
        if (othersExpiry != null) {
          // Just after the expiry, so the lease is free however its end instant is counted.
          Duration untilFree =
              Duration.between(scheduler.clock().instant(), othersExpiry).plus(MIN_DELAY);
          if (untilFree.compareTo(delay) < 0) {
            delay = untilFree.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : untilFree;
          }
        }
      }
    } finally {
      next = scheduler.schedule(delay, this::round);
    }
  }

  /**
   * Takes or renews lease {@code name}, starting or stopping its component; returns when the lease
   * another worker holds expires, or null when this worker holds it or the holder is unknown.
   */
  private @Nullable Instant hold(String name, Supplier<? extends AutoCloseable> factory) {
    boolean held;
    Instant othersExpiry = null;
    try {
      held = leases.tryHold(name, workerId, lease);
      if (!held) {
        othersExpiry = leases.holder(name).map(Leases.Lease::expiresAt).orElse(null);
      }
    } catch (RuntimeException e) {
      log.warn("singleton {}: worker {} cannot renew its lease: {}", name, workerId, e.toString());
      held = false;
    }
    boolean runs = running.containsKey(name);
    if (held && !runs) {
      try {
        running.put(name, factory.get());
        log.info("singleton {}: worker {} holds it, started", name, workerId);
      } catch (RuntimeException e) {
        log.warn("singleton {}: worker {} cannot start it: {}", name, workerId, e.toString());
        release(name);
      }
    } else if (!held && runs) {
      stop(name);
      log.info("singleton {}: worker {} lost it, stopped", name, workerId);
    }
    return othersExpiry;
  }

  private void stop(String name) {
    AutoCloseable component = running.remove(name);
    if (component == null) {
      return; // not running here: nothing to stop
    }
    try {
      component.close();
    } catch (Exception e) {
      log.warn("singleton {}: stopping it failed: {}", name, e.toString());
    }
  }

  private void release(String name) {
    try {
      leases.release(name, workerId);
    } catch (RuntimeException e) {
      log.warn("singleton {}: worker {} cannot release it: {}", name, workerId, e.toString());
    }
  }

  /** Stops renewing, stops every component this worker runs and releases its lease. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (next != null) {
      next.cancel();
    }
    for (String name : java.util.List.copyOf(running.keySet())) {
      stop(name);
      release(name);
      log.info("singleton {}: worker {} stopping, released it", name, workerId);
    }
  }

  /**
   * Runs {@code task} every {@code period} on {@code scheduler}, the first run at once, until the
   * returned handle is closed; a run that throws is logged and the next still comes.
   */
  static AutoCloseable repeating(Scheduler scheduler, Duration period, String what, Runnable task) {
    Object lock = new Object();
    Scheduler.Cancellable[] next = new Scheduler.Cancellable[1];
    boolean[] stopped = new boolean[1];
    Runnable[] run = new Runnable[1];
    run[0] =
        () -> {
          synchronized (lock) {
            if (stopped[0]) {
              return;
            }
          }
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("{} failed: {}", what, e.toString());
          } finally {
            synchronized (lock) {
              if (!stopped[0]) {
                next[0] = scheduler.schedule(period, run[0]);
              }
            }
          }
        };
    synchronized (lock) {
      next[0] = scheduler.schedule(Duration.ZERO, run[0]);
    }
    return () -> {
      synchronized (lock) {
        stopped[0] = true;
        next[0].cancel();
      }
    };
  }
}
