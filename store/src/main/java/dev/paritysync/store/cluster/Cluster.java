package dev.paritysync.store.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as a worker of the cluster that shares its database: registered in {@link
 * WorkerRegistry} with its host and pid, heartbeating every {@link #heartbeatEvery()} on the
 * injected {@link Scheduler}, and the entry to the cluster's shared state.
 *
 * <p>{@link #close()} cancels the heartbeat, releases this worker's leases (so singletons move at
 * once rather than when their leases expire) and marks the worker stopped. A worker that dies
 * without closing is seen as dead once its heartbeat is old, and its leases expire.
 *
 * <p>Thread-safe.
 */
public final class Cluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final Database db;
  private final Scheduler scheduler;
  private final String workerId;
  private final Duration heartbeatEvery;
  private final WorkerRegistry registry;
  private final Leases leases;
  private final SharedCircuits circuits;

  private final Object lock = new Object();
  private Scheduler.@Nullable Cancellable nextBeat; // guarded by lock
  private boolean closed; // guarded by lock

  private Cluster(
      Database db, Clock clock, Scheduler scheduler, String workerId, Duration heartbeatEvery) {
    this.db = db;
    this.scheduler = scheduler;
    this.workerId = workerId;
    this.heartbeatEvery = heartbeatEvery;
    this.registry = new WorkerRegistry(db, clock);
    this.leases = new Leases(db, clock);
    this.circuits = new SharedCircuits(db, clock, workerId);
  }

  /**
   * Registers this process as a new worker (id from {@link WorkerRegistry#newWorkerId(String)} with
   * {@code idPrefix}; this host; {@link ProcessHandle#current()}'s pid) and heartbeats every {@code
   * heartbeatEvery} on {@code scheduler} until {@link #close()}. A heartbeat that fails is logged
   * at WARN and the next one is still scheduled.
   *
   * @throws IllegalArgumentException when {@code heartbeatEvery} is not positive
   * @throws dev.paritysync.store.StoreException when the registration cannot be written
   */
  public static Cluster join(
      Database db, Clock clock, Scheduler scheduler, String idPrefix, Duration heartbeatEvery) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
    if (heartbeatEvery.isNegative() || heartbeatEvery.isZero()) {
      throw new IllegalArgumentException(
          "cluster heartbeatEvery must be positive, was " + heartbeatEvery);
    }
    String id = WorkerRegistry.newWorkerId(idPrefix);
    Cluster cluster = new Cluster(db, clock, scheduler, id, heartbeatEvery);
    cluster.registry.register(id, WorkerRegistry.hostName(), ProcessHandle.current().pid());
    log.info("joined the cluster as worker {} (heartbeat every {})", id, heartbeatEvery);
    cluster.scheduleBeat();
    return cluster;
  }

  private void scheduleBeat() {
    synchronized (lock) {
      if (!closed) {
        nextBeat = scheduler.schedule(heartbeatEvery, this::beat);
      }
    }
  }

  private void beat() {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    try {
      registry.heartbeat(workerId);
    } catch (RuntimeException e) {
      log.warn("heartbeat of worker {} failed: {}", workerId, e.toString());
    }
    scheduleBeat();
  }

  /** This worker's id, as registered. */
  public String workerId() {
    return workerId;
  }

  /**
   * Whether the database is shared by several workers (PostgreSQL), so quotas, circuits, the retry
   * budget and tokens should be shared through it; false on SQLite, which serves one process.
   */
  public boolean shared() {
    return db.dialect() == Dialect.POSTGRESQL;
  }

  /** How often this worker heartbeats. */
  public Duration heartbeatEvery() {
    return heartbeatEvery;
  }

  /** The registry of this cluster's workers. */
  public WorkerRegistry registry() {
    return registry;
  }

  /** The named leases of this cluster. */
  public Leases leases() {
    return leases;
  }

  /** The cluster's circuits, probed under this worker's id. */
  public SharedCircuits circuits() {
    return circuits;
  }

  /**
   * Leaves the cluster: cancels the heartbeat, releases this worker's leases, marks it stopped.
   * Idempotent. A database failure is logged at WARN, not thrown (the leases then expire and the
   * heartbeat ages).
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (nextBeat != null) {
        nextBeat.cancel();
      }
    }
    try {
      int released = leases.releaseAll(workerId);
      registry.stopped(workerId);
      log.info("worker {} left the cluster, releasing {} leases", workerId, released);
    } catch (RuntimeException e) {
      log.warn("worker {} could not leave the cluster in order: {}", workerId, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Cluster{workerId=" + workerId + ", shared=" + shared() + '}';
  }
}
