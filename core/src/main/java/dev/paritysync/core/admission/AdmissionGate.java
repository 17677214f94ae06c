package dev.paritysync.core.admission;

import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.headers.RateLimitHeaders;
import dev.paritysync.core.headers.RateLimitInfo;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one gate a request to a channel passes before it is sent, and what every answer teaches it.
 * Asked in this order, a refusal taking nothing from the gates after it: the <b>retry budget</b>
 * (retries only) → <b>concurrency</b> (a slot of the channel) → the <b>circuit</b> → a <b>pause</b>
 * the channel announced → the <b>quota</b>. The answer is a {@link Verdict}: admitted with a {@link
 * Permit}, or "not now, until T, because" a {@link Reason}.
 *
 * <p>An admitted request gives its permit back exactly once: {@link #learn} with its answer — the
 * circuit counts it, the quota token is released (an answer anchoring the key's windows to the
 * channel's, see {@link QuotaGate#released}), and a wait the channel announced pauses the whole
 * key: {@code Remaining: 0} with a reset on any answer (a 2xx included), and a server delay the
 * caller says pauses the key (a 429's or 503's {@code Retry-After}) — or {@link #unsent} when it
 * did not go.
 *
 * <p>One gate serves one channel; the quota it takes from may be shared by many gates, and by the
 * workers of a cluster. Defaults: no circuit, no budget (retries always allowed), no concurrency
 * limit, no metrics. Thread-safe.
 */
public final class AdmissionGate {

  /** What kind of asking a request does, so the budget counts each attempt once. */
  public enum Ask {
    /** A call's first attempt: counted by the budget when admitted. */
    FIRST,
    /** A retry: asks the budget first. */
    RETRY,
    /** The same attempt again, after a wait: the budget already answered for it. */
    AGAIN
  }

  private final Clock clock;
  private final QuotaGate quotas;
  private final ResetMode resetMode;
  private final Circuit circuit;
  private final @Nullable Budget budget;
  private final @Nullable ChannelSlots<Runnable> slots;
  private final @Nullable CoreMetrics metrics;

  private AdmissionGate(Builder b) {
    this.clock = b.clock;
    this.quotas = b.quotas;
    this.resetMode = b.resetMode;
    this.circuit = b.circuit;
    this.budget = b.budget;
    this.slots = b.concurrency > 0 ? new ChannelSlots<>(b.concurrency) : null;
    this.metrics = b.metrics;
  }

  /**
   * A gate taking its quota from {@code quotas}, reading rate-limit resets in {@code resetMode}.
   */
  public static Builder builder(Clock clock, QuotaGate quotas, ResetMode resetMode) {
    return new Builder(clock, quotas, resetMode);
  }

  /** Asks for one request of {@code key}; a refusal for concurrency is not queued. */
  public Verdict admit(QuotaKey key, Ask ask) {
    return admit(key, ask, null);
  }

  /**
   * Asks for one request of {@code key}. When every slot is taken and {@code onSlot} is given, it
   * waits in line and is run, on the releasing thread, once a slot is passed to it: the caller then
   * asks again with the same {@code onSlot} and finds the slot held for it.
   */
  public Verdict admit(QuotaKey key, Ask ask, @Nullable Runnable onSlot) {
    Objects.requireNonNull(key, "key");
    Instant now = clock.instant();
    if (ask == Ask.RETRY && budget != null && !budget.tryRetry()) {
      if (metrics != null) {
        metrics.budgetExhausted(key.channel());
      }
      return Verdict.refused(Reason.BUDGET, budget.deferral(), now);
    }
    boolean slot = slots != null;
    if (slots != null && !slots.acquireOrWait(onSlot)) {
      return Verdict.refused(Reason.CONCURRENCY, Duration.ZERO, now);
    }
    Circuit.Pass pass = circuit.tryAcquire(key);
    if (!pass.granted()) {
      releaseSlot(slot);
      return Verdict.refused(Reason.CIRCUIT, pass.delay(), now);
    }
    Duration wait = quotas.tryTake(key, 1);
    if (!wait.isZero()) {
      circuit.release(key, pass);
      releaseSlot(slot);
      if (metrics != null) {
        metrics.quotaWait(key.channel(), wait);
      }
      Reason why = quotas.pauseRemaining(key).isZero() ? Reason.QUOTA : Reason.PAUSE;
      return Verdict.refused(why, wait, now);
    }
    if (ask == Ask.FIRST && budget != null) {
      budget.onRequest();
    }
    return Verdict.admitted(new Permit(key, pass, slot), now);
  }

  /**
   * The request of {@code permit} was not sent after all (or failed before anything could reach the
   * channel): its quota token, circuit permission and slot go back. Does nothing when the permit
   * was already given back.
   */
  public void unsent(Permit permit) {
    if (!permit.close()) {
      return;
    }
    quotas.released(permit.key(), clock.instant(), false);
    circuit.release(permit.key(), permit.pass());
    releaseSlot(permit.holdsSlot());
  }

  /**
   * Learns from the answer to the request of {@code permit} and gives the permit back: the circuit
   * counts it ({@code healthFailure}: whether it speaks of the channel's health failing), the token
   * is released ({@code outcome} a transport failure: no answer came), {@code Remaining: 0} with a
   * reset pauses the key until the reset, and {@code keyPause} (a server delay that holds for the
   * whole key) pauses it too. Does nothing when the permit was already given back.
   */
  public void learn(
      Permit permit,
      Outcome outcome,
      boolean healthFailure,
      Optional<Duration> keyPause,
      Duration latency) {
    if (!permit.close()) {
      return;
    }
    QuotaKey key = permit.key();
    Instant now = clock.instant();
    circuit.record(key, permit.pass(), healthFailure, latency);
    quotas.released(key, now, !outcome.isFailure());
    RateLimitInfo limits = RateLimitHeaders.parse(outcome.headers(), resetMode, now);
    if (limits.exhausted() && limits.reset().isPresent()) {
      quotas.pauseUntil(key, now.plus(limits.reset().get()));
    }
    keyPause.ifPresent(d -> quotas.pauseUntil(key, now.plus(d)));
    releaseSlot(permit.holdsSlot());
  }

  /** How long {@code key} stays paused: a wait the channel announced; zero when it is not. */
  public Duration pausedFor(QuotaKey key) {
    return quotas.pauseRemaining(key);
  }

  private void releaseSlot(boolean held) {
    if (!held || slots == null) {
      return;
    }
    Runnable next = slots.release();
    if (next != null) {
      next.run();
    }
  }

  /** Builds an {@link AdmissionGate}. Not thread-safe. */
  public static final class Builder {
    private final Clock clock;
    private final QuotaGate quotas;
    private final ResetMode resetMode;
    private Circuit circuit = Circuit.none();
    private @Nullable Budget budget;
    private int concurrency;
    private @Nullable CoreMetrics metrics;

    private Builder(Clock clock, QuotaGate quotas, ResetMode resetMode) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.quotas = Objects.requireNonNull(quotas, "quotas");
      this.resetMode = Objects.requireNonNull(resetMode, "resetMode");
    }

    /** The circuit requests pass; default none. */
    public Builder withCircuit(Circuit circuit) {
      this.circuit = Objects.requireNonNull(circuit, "circuit");
      return this;
    }

    /** The retry budget retries ask and first attempts count in; default none. */
    public Builder withBudget(Budget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * At most {@code slots} admitted requests at once; default no limit.
     *
     * @throws IllegalArgumentException when {@code slots} is below 1, naming it
     */
    public Builder withConcurrency(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + slots);
      }
      this.concurrency = slots;
      return this;
    }

    /** Where refusals are counted (budget exhausted, quota waits); optional. */
    public Builder withMetrics(@Nullable CoreMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** The gate. */
    public AdmissionGate build() {
      return new AdmissionGate(this);
    }
  }
}
