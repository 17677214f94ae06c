package dev.paritysync.hotel.engine;

import dev.paritysync.core.admission.Circuit;
import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.cluster.SharedCircuits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One channel's circuit as the core's admission gate asks it. In one process it is the process's
 * breaker. In a cluster it is the cluster's circuit: this process's breaker only detects that the
 * channel fails (its opening opens the cluster's circuit until the open duration ends); once that
 * wait is over, exactly one worker of the cluster probes ({@link SharedCircuits#tryProbe}) and its
 * success closes the circuit for every worker, and hands the outage to {@link ResumeGate} once for
 * the cluster. Views of the cluster's circuit are cached for {@link #VIEW_TTL}, so an idle lane
 * costs a query a quarter second, not one per tick.
 *
 * <p>Thread-safe for the delivery worker's use: one run at a time asks and records.
 */
final class ChannelCircuit implements Circuit {
  /** How long a read of the cluster's circuit is trusted. */
  static final Duration VIEW_TTL = Duration.ofMillis(250);

  /** How long a probe is this worker's before another may take it. */
  static final Duration PROBE_LEASE = Duration.ofSeconds(30);

  private final String channel;
  private final String endpoint;
  private final Clock clock;
  private final Breaker breaker;
  // Both null in one process, both set in a cluster.
  private final @Nullable SharedCircuits circuits;
  private final @Nullable ResumeGate resumeGate;
  private SharedCircuits.@Nullable Circuit view;
  private long viewReadAtNanos;
  // This worker's probe is on the wire: the cluster's one probe, so no second request may follow
  // it until its answer is learned.
  private boolean probing;

  ChannelCircuit(
      String channel,
      Clock clock,
      Breaker breaker,
      @Nullable SharedCircuits circuits,
      @Nullable ResumeGate resumeGate) {
    this.channel = channel;
    this.endpoint = breaker.endpoint();
    this.clock = clock;
    this.breaker = breaker;
    this.circuits = circuits;
    this.resumeGate = resumeGate;
  }

  /** This process's breaker, alone. */
  static ChannelCircuit local(String channel, Clock clock, Breaker breaker) {
    return new ChannelCircuit(channel, clock, breaker, null, null);
  }

  /** Whether the circuit is the cluster's. */
  boolean shared() {
    return circuits != null;
  }

  @Override
  public Pass tryAcquire(QuotaKey key) {
    boolean probe = false;
    if (circuits != null) {
      SharedCircuits.Circuit c = view(false);
      if (c.state() != SharedCircuits.State.CLOSED) {
        if (probing || !circuits.tryProbe(channel, endpoint, PROBE_LEASE)) {
          return new Pass(untilOpenEnds(c), false);
        }
        probe = true;
      } else if (breaker.state() != BreakerState.CLOSED) {
        // Another worker's probe closed the cluster's circuit; this one's breaker follows.
        breaker.reset();
      }
    }
    if (!probe && !breaker.tryAcquire()) {
      Duration wait = breaker.untilHalfOpen();
      return new Pass(wait.isZero() ? RECHECK : wait, false);
    }
    probing = probe;
    return probe ? new Pass(Duration.ZERO, true) : Pass.GRANTED;
  }

  @Override
  public void release(QuotaKey key, Pass pass) {
    if (pass.probe()) {
      probing = false;
    } else {
      breaker.release();
    }
  }

  /**
   * Counts the answer: the breaker learns it, and in a cluster an opening opens the cluster's
   * circuit and a probe's success closes it.
   */
  @Override
  public void record(QuotaKey key, Pass pass, boolean healthFailure, Duration latency) {
    BreakerState before = breaker.state();
    if (healthFailure) {
      breaker.onFailure(latency);
    } else {
      breaker.onSuccess(latency);
    }
    SharedCircuits shared = circuits;
    if (shared != null) {
      settle(shared, pass, healthFailure, before, clock.instant());
    }
  }

  private void settle(
      SharedCircuits shared, Pass pass, boolean healthFailure, BreakerState before, Instant now) {
    if (pass.probe()) {
      probing = false;
    }
    Duration openFor = breaker.config().openDuration();
    if (healthFailure) {
      if (pass.probe() || (before != BreakerState.OPEN && breaker.state() == BreakerState.OPEN)) {
        shared.open(channel, endpoint, now.plus(openFor));
        view(true);
      }
      return;
    }
    if (pass.probe()) {
      ResumeGate resume = Objects.requireNonNull(resumeGate, "a shared circuit's resumeGate");
      shared
          .close(channel, endpoint)
          .ifPresent(openedAt -> resume.clusterClosed(channel, Duration.between(openedAt, now)));
      breaker.reset();
      view(true);
    }
  }

  /** The cluster's circuit: holds pushes on every worker while one verifies after an outage. */
  boolean held() {
    return circuits != null && view(false).held(clock.instant());
  }

  /** The circuit's state: the cluster's when shared, else this process's breaker's. */
  BreakerState state() {
    if (circuits == null) {
      return breaker.state();
    }
    return switch (view(false).state()) {
      case OPEN -> BreakerState.OPEN;
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      case CLOSED -> BreakerState.CLOSED;
    };
  }

  /**
   * Whether the circuit rests: open, its wait not over. Batches formed now would carry versions
   * that later changes supersede before the channel is back, so cells coalesce in the outbox.
   */
  boolean resting() {
    if (circuits != null) {
      SharedCircuits.Circuit c = view(false);
      return c.state() == SharedCircuits.State.OPEN
          && c.openUntil() != null
          && clock.instant().isBefore(c.openUntil());
    }
    return breaker.state() == BreakerState.OPEN && !breaker.untilHalfOpen().isZero();
  }

  private synchronized SharedCircuits.Circuit view(boolean refresh) {
    SharedCircuits.Circuit v = view;
    long nowNanos = clock.nanoTime();
    if (refresh || v == null || nowNanos - viewReadAtNanos >= VIEW_TTL.toNanos()) {
      v =
          Objects.requireNonNull(circuits, "a local circuit has no cluster view")
              .view(channel, endpoint);
      view = v;
      viewReadAtNanos = nowNanos;
    }
    return v;
  }

  private Duration untilOpenEnds(SharedCircuits.Circuit c) {
    if (c.state() == SharedCircuits.State.OPEN && c.openUntil() != null) {
      Duration d = Duration.between(clock.instant(), c.openUntil());
      if (d.compareTo(Duration.ZERO) > 0) {
        return d;
      }
    }
    return RECHECK;
  }
}
