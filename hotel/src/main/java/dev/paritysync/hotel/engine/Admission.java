package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.headers.RateLimitHeaders;
import dev.paritysync.core.headers.RateLimitInfo;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.cluster.SharedBudget;
import dev.paritysync.store.cluster.SharedCircuits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The gates one channel's batches pass before a request is sent — the retry budget (retries only),
 * the circuit, the quota — and what each answer teaches them: the breaker counts it, a pause the
 * channel announced (429 with Retry-After, or {@code Remaining: 0} with a reset on any answer, 2xx
 * included) is written to the quota, so no request of any worker sharing the quota goes out during
 * a wait the channel announced.
 *
 * <p>In one process the gates are this process's: its breaker, its {@link RetryBudget}, its quota.
 * In a cluster ({@linkplain #shared shared}), the quota and budget given are the cluster's and the
 * circuit is the cluster's too: this process's breaker only detects that the channel fails (its
 * opening opens the cluster's circuit until the open duration ends); once that wait is over,
 * exactly one worker of the cluster probes ({@link SharedCircuits#tryProbe}) and its success closes
 * the circuit for every worker, and hands the outage to {@link ResumeGate} once for the cluster.
 * Views of the cluster's circuit are cached for {@link #VIEW_TTL}, so an idle lane costs a query a
 * quarter second, not one per tick.
 *
 * <p>Thread-safe for the delivery worker's use: {@link #admit} and {@link #learn} are called by one
 * run at a time.
 */
final class Admission {
  /** How long a read of the cluster's circuit is trusted. */
  static final Duration VIEW_TTL = Duration.ofMillis(250);

  /** How long a probe is this worker's before another may take it. */
  static final Duration PROBE_LEASE = Duration.ofSeconds(30);

  private static final Duration CIRCUIT_RECHECK = Duration.ofSeconds(1);

  private final String channel;
  private final String endpoint;
  private final Clock clock;
  private final Breaker breaker;
  private final QuotaGate quotas;
  private final Budget budget;
  private final ResetMode resetMode;
  private final @Nullable SharedCircuits circuits;
  private final @Nullable ResumeGate resumeGate;
  private SharedCircuits.@Nullable Circuit view;
  private long viewReadAtNanos;
  // This worker's probe is on the wire: the cluster's one probe, so no second request may follow
  // it until its answer is learned.
  private boolean probing;

  private Admission(
      String channel,
      String endpoint,
      Clock clock,
      Breaker breaker,
      QuotaGate quotas,
      Budget budget,
      ResetMode resetMode,
      @Nullable SharedCircuits circuits,
      @Nullable ResumeGate resumeGate) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.clock = clock;
    this.breaker = breaker;
    this.quotas = quotas;
    this.budget = budget;
    this.resetMode = resetMode;
    this.circuits = circuits;
    this.resumeGate = resumeGate;
  }

  /** The gates of one process: its breaker, retry budget and quota. */
  static Admission local(
      String channel, Clock clock, Breaker breaker, QuotaGate quotas, RetryDecider decider) {
    RetryBudget b = decider.budget();
    return new Admission(
        channel,
        breaker.endpoint(),
        clock,
        breaker,
        quotas,
        Budget.of(b),
        decider.policy().resetMode(),
        null,
        null);
  }

  /**
   * The gates of a cluster's worker: {@code quotas} and {@code budget} are the cluster's, and the
   * circuit is {@code circuits}' row for the breaker's (channel, endpoint); {@code resumeGate}
   * verifies after an outage when this worker's probe closes it.
   */
  static Admission shared(
      String channel,
      Clock clock,
      Breaker breaker,
      QuotaGate quotas,
      SharedBudget budget,
      RetryDecider decider,
      SharedCircuits circuits,
      ResumeGate resumeGate) {
    return new Admission(
        channel,
        breaker.endpoint(),
        clock,
        breaker,
        quotas,
        Budget.of(budget),
        decider.policy().resetMode(),
        Objects.requireNonNull(circuits, "circuits"),
        Objects.requireNonNull(resumeGate, "resumeGate"));
  }

  /** Whether the circuit is the cluster's. */
  boolean shared() {
    return circuits != null;
  }

  /**
   * Asks every gate for one request of {@code key}; a refusal takes nothing from the gates after it
   * and says which gate refused and how long to wait.
   */
  Verdict admit(QuotaKey key, boolean retry) {
    if (retry && !budget.tryRetry().getAsBoolean()) {
      return Verdict.refused("retry_budget", budget.deferral().get());
    }
    boolean probe = false;
    if (circuits != null) {
      SharedCircuits.Circuit c = view(false);
      if (c.state() != SharedCircuits.State.CLOSED) {
        if (probing || !circuits.tryProbe(channel, endpoint, PROBE_LEASE)) {
          return Verdict.refused("circuit_open", untilOpenEnds(c));
        }
        probe = true;
      } else if (breaker.state() != BreakerState.CLOSED) {
        // Another worker's probe closed the cluster's circuit; this one's breaker follows.
        breaker.reset();
      }
    }
    if (!probe && !breaker.tryAcquire()) {
      Duration wait = breaker.untilHalfOpen();
      return Verdict.refused("circuit_open", wait.isZero() ? CIRCUIT_RECHECK : wait);
    }
    Duration wait = quotas.tryTake(key, 1);
    if (!wait.isZero()) {
      if (!probe) {
        breaker.release();
      }
      return Verdict.refused("quota", wait);
    }
    if (!retry) {
      budget.onRequest().run();
    }
    probing = probe;
    return Verdict.admitted(probe);
  }

  /**
   * A request of {@code key} admitted by {@code verdict} was not sent after all: gives its
   * permission back and releases its quota token.
   */
  void unsent(QuotaKey key, Verdict verdict) {
    quotas.released(key, clock.instant(), false);
    if (verdict.probe()) {
      probing = false;
    } else {
      breaker.release();
    }
  }

  /**
   * Learns from the answer to a request of {@code key} admitted by {@code verdict}: the breaker
   * counts it (and in a cluster, an opening opens the cluster's circuit, a probe's success closes
   * it), the request's quota token is released and an answer anchors the key's windows to the
   * channel's ({@link dev.paritysync.core.quota.QuotaGate#released}), and a wait the channel
   * announced pauses the key — {@code Retry-After} when the decision honours it for the whole key,
   * and {@code Remaining: 0} with a reset on any answer.
   */
  void learn(
      QuotaKey key,
      Verdict verdict,
      Outcome outcome,
      RetryDecider.Decision decision,
      Duration latency) {
    Instant now = clock.instant();
    BreakerState before = breaker.state();
    if (decision.healthFailure()) {
      breaker.onFailure(latency);
    } else {
      breaker.onSuccess(latency);
    }
    if (circuits != null) {
      settleCircuit(verdict, decision, before, now);
    }
    quotas.released(key, now, !outcome.isFailure());
    RateLimitInfo limits = RateLimitHeaders.parse(outcome.headers(), resetMode, now);
    if (limits.exhausted() && limits.reset().isPresent()) {
      quotas.pauseUntil(key, now.plus(limits.reset().get()));
    }
    if (decision.pausesKey() && decision.serverDelay().isPresent()) {
      quotas.pauseUntil(key, now.plus(decision.serverDelay().get()));
    }
  }

  /** The cluster's circuit: holds pushes on every worker while one verifies after an outage. */
  boolean held() {
    return circuits != null && view(false).held(clock.instant());
  }

  private void settleCircuit(
      Verdict verdict, RetryDecider.Decision decision, BreakerState before, Instant now) {
    if (verdict.probe()) {
      probing = false;
    }
    Duration openFor = breaker.config().openDuration();
    if (decision.healthFailure()) {
      if (verdict.probe()
          || (before != BreakerState.OPEN && breaker.state() == BreakerState.OPEN)) {
        sharedCircuits().open(channel, endpoint, now.plus(openFor));
        view(true);
      }
      return;
    }
    if (verdict.probe()) {
      ResumeGate gate = Objects.requireNonNull(resumeGate, "resumeGate");
      sharedCircuits()
          .close(channel, endpoint)
          .ifPresent(openedAt -> gate.clusterClosed(channel, Duration.between(openedAt, now)));
      breaker.reset();
      view(true);
    }
  }

  /**
   * Deletes the cluster's retry-budget counts that have left the budget's window; returns how many
   * rows went (0 in one process, whose budget is in memory).
   */
  int prune() {
    return budget.prune().getAsInt();
  }

  /** The circuit's state: the cluster's when shared, else this process's breaker's. */
  BreakerState circuitState() {
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

  /** The cluster's circuits; only a shared admission reaches here. */
  private SharedCircuits sharedCircuits() {
    return Objects.requireNonNull(circuits, "circuits");
  }

  private synchronized SharedCircuits.Circuit view(boolean refresh) {
    long nowNanos = clock.nanoTime();
    if (refresh || view == null || nowNanos - viewReadAtNanos >= VIEW_TTL.toNanos()) {
      view = sharedCircuits().view(channel, endpoint);
      viewReadAtNanos = nowNanos;
    }
    return view;
  }

  private Duration untilOpenEnds(SharedCircuits.Circuit c) {
    if (c.state() == SharedCircuits.State.OPEN && c.openUntil() != null) {
      Duration d = Duration.between(clock.instant(), c.openUntil());
      if (d.compareTo(Duration.ZERO) > 0) {
        return d;
      }
    }
    return CIRCUIT_RECHECK;
  }

  /**
   * What the gates said.
   *
   * @param gate the gate that refused ({@code retry_budget}, {@code circuit_open}, {@code quota}),
   *     or null when admitted
   * @param delay how long until asking again makes sense; zero when admitted
   * @param probe whether this request is the cluster's one probe of an open circuit
   */
  record Verdict(@Nullable String gate, Duration delay, boolean probe) {
    static Verdict admitted(boolean probe) {
      return new Verdict(null, Duration.ZERO, probe);
    }

    static Verdict refused(String gate, Duration delay) {
      return new Verdict(gate, delay, false);
    }

    boolean admittedNow() {
      return gate == null;
    }
  }

  /** The retry budget, this process's or the cluster's: the four calls the gates make of it. */
  private record Budget(
      BooleanSupplier tryRetry,
      Runnable onRequest,
      Supplier<Duration> deferral,
      IntSupplier prune) {

    static Budget of(RetryBudget b) {
      return new Budget(b::tryRetry, b::onRequest, b::deferral, () -> 0);
    }

    static Budget of(SharedBudget b) {
      return new Budget(b::tryRetry, b::onRequest, b::deferral, b::prune);
    }
  }
}
