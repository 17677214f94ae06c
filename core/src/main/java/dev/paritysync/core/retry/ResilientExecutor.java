package dev.paritysync.core.retry;

import dev.paritysync.core.admission.AdmissionGate;
import dev.paritysync.core.admission.Budget;
import dev.paritysync.core.admission.Circuit;
import dev.paritysync.core.admission.Permit;
import dev.paritysync.core.admission.Reason;
import dev.paritysync.core.admission.Verdict;
import dev.paritysync.core.auth.AccessToken;
import dev.paritysync.core.auth.CredentialsException;
import dev.paritysync.core.auth.OAuth2ClientCredentials;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.TraceContext;
import dev.paritysync.core.http.TransportException;
import dev.paritysync.core.log.LogContext;
import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls against channels under each channel's {@link ChannelPolicy}, waiting only by
 * scheduling on the injected {@link Scheduler} — no thread sleeps while holding work.
 *
 * <p>Composition, outermost first: <b>concurrency limit</b> (per channel) → <b>circuit breaker</b>
 * (per channel and endpoint) → <b>quota</b> (per channel, scope and endpoint, including pauses a
 * server asked for) → <b>OAuth2 token</b> → <b>the exchange</b> → <b>classification</b> → ack, dead
 * letter, reconcile, refresh-and-retry-once, or retry after the server's delay or the backoff —
 * each retry first asking the channel's <b>retry budget</b>, which defers rather than drops it.
 *
 * <p>Every retry of a call carries the call's idempotency key. A server's wait beyond the channel's
 * ceiling dead-letters the call ({@code wait_too_long}) instead of sleeping on it. A 429 or 503
 * with a wait, or any response with {@code Remaining: 0} and a reset, pauses the whole quota key,
 * not only the call.
 *
 * <p>This executor keeps retries in memory; an engine that keeps them as data ({@code
 * next_attempt_at}) uses {@link RetryDecider} directly. Thread-safe.
 */
public final class ResilientExecutor {
  private static final Logger log = LoggerFactory.getLogger(ResilientExecutor.class);
  private static final Duration HALF_OPEN_RECHECK = Duration.ofMillis(500);

  private final Scheduler scheduler;
  private final Clock clock;
  private final Map<String, ChannelPolicy> policies;
  private final Map<String, RetryDecider> deciders = new HashMap<>();
  private final Map<String, OAuth2ClientCredentials> auth;
  private final Quotas quotas;
  private final Breakers breakers;
  private final @Nullable CoreMetrics metrics;
  private final @Nullable AttemptListener listener;
  private final RandomGenerator random;
  private final Map<String, AdmissionGate> gates = new HashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private ResilientExecutor(Builder b) {
    this.scheduler = b.scheduler;
    this.clock = b.scheduler.clock();
    this.policies = Map.copyOf(b.policies);
    this.auth = Map.copyOf(b.auth);
    this.metrics = b.metrics;
    this.listener = b.listener;
    this.random = Objects.requireNonNull(b.random, "random"); // build() checked
    Quotas.Builder qb = Quotas.builder(clock);
    for (ChannelPolicy p : policies.values()) {
      p.quotas().forEach((endpoint, limits) -> qb.withLimits(p.channel(), endpoint, limits));
      deciders.put(p.channel(), new RetryDecider(p, p.newRetryBudget(clock), random));
    }
    this.quotas = qb.build();
    this.breakers = new Breakers(clock);
    for (ChannelPolicy p : policies.values()) {
      gates.put(
          p.channel(),
          AdmissionGate.builder(clock, quotas, p.resetMode())
              .withCircuit(Circuit.perEndpoint(breakers, p.breaker(), HALF_OPEN_RECHECK))
              .withBudget(Budget.of(decider(p.channel()).budget()))
              .withConcurrency(p.concurrency())
              .withMetrics(metrics)
              .build());
    }
    breakers.onStateChange(
        change -> {
          log.info(
              "circuit {} {} → {} (channel {}, endpoint {})",
              change.channel(),
              change.from(),
              change.to(),
              change.channel(),
              change.endpoint());
          if (metrics != null) {
            metrics.circuitState(change.channel(), change.endpoint(), stateCode(change.to()));
          }
        });
  }

  public static Builder builder(Scheduler scheduler) {
    return new Builder(scheduler);
  }

  /** Starts a call; the future completes when it is acknowledged, dead-lettered or reconciled. */
  public CompletableFuture<CallResult> submit(Call call) {
    CallRun run = new CallRun(call, decider(call.channel()));
    scheduler.schedule(Duration.ZERO, run::admit);
    return run.result;
  }

  /** HTTP exchanges currently outstanding, across channels. */
  public int inFlight() {
    return inFlight.get();
  }

  public Quotas quotas() {
    return quotas;
  }

  public Breakers breakers() {
    return breakers;
  }

  /** The retry budget of {@code channel}. */
  public RetryBudget budget(String channel) {
    return decider(channel).budget();
  }

  /** The policy of {@code channel}, or null when no policy names it. */
  public @Nullable ChannelPolicy policy(String channel) {
    return policies.get(channel);
  }

  private RetryDecider decider(String channel) {
    RetryDecider decider = deciders.get(channel);
    if (decider == null) {
      throw new IllegalArgumentException(
          "no policy for channel '" + channel + "' (known: " + policies.keySet() + ")");
    }
    return decider;
  }

  private TraceContext newTrace() {
    synchronized (random) {
      return TraceContext.newRoot(random);
    }
  }

  private String childSpan(TraceContext trace) {
    synchronized (random) {
      return trace.child(random).header();
    }
  }

  private static int stateCode(BreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** The state of one call across its attempts. Steps run one at a time, on scheduler threads. */
  private final class CallRun {
    final Call call;
    final RetryDecider decider;
    final AdmissionGate gate;
    final QuotaKey key;
    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    final long started = clock.nanoTime();
    final TraceContext trace = newTrace();
    // One identity for the whole call: a slot passed on while it waits is found held for it.
    final Runnable onSlot = () -> later(Duration.ZERO, this::admit);
    RetryDecider.State state = RetryDecider.State.initial();
    AdmissionGate.Ask ask = AdmissionGate.Ask.FIRST;
    int attempts;
    @Nullable Permit permit;
    @Nullable AccessToken token;
    @Nullable Exchanged last;

    CallRun(Call call, RetryDecider decider) {
      this.call = call;
      this.decider = decider;
      this.gate = Objects.requireNonNull(gates.get(call.channel()), call.channel());
      this.key = new QuotaKey(call.channel(), call.scope(), call.endpoint());
    }

    /**
     * Asks the channel's {@link AdmissionGate}, then fetches credentials, then sends. A slot is
     * held only while an attempt is being made, never across a wait, so calls waiting for a
     * backoff, the budget, a paused key or an open circuit do not starve the others; a call that
     * waits for a slot is woken when one passes to it.
     */
    void admit() {
      Verdict verdict = gate.admit(key, ask, onSlot);
      if (verdict.admitted()
          || (ask == AdmissionGate.Ask.RETRY && verdict.reason() != Reason.BUDGET)) {
        ask = AdmissionGate.Ask.AGAIN; // the budget answered for this attempt
      }
      if (!verdict.admitted()) {
        if (verdict.reason() != Reason.CONCURRENCY) {
          later(verdict.delay(), this::admit);
        }
        return;
      }
      Permit p = verdict.permit();
      permit = p;
      OAuth2ClientCredentials credentials = auth.get(call.channel());
      if (credentials == null) {
        send(p);
        return;
      }
      credentials
          .token()
          .whenComplete(
              (t, error) -> scheduler.schedule(Duration.ZERO, () -> tokenCame(p, t, error)));
    }

    void tokenCame(Permit p, @Nullable AccessToken t, @Nullable Throwable error) {
      if (error != null) {
        gate.unsent(p);
        Throwable cause = unwrap(error);
        String reason =
            cause instanceof CredentialsException
                ? ((CredentialsException) cause).reason()
                : "credentials";
        finish(CallResult.Status.DEAD_LETTER, reason, List.of());
        return;
      }
      token = t;
      // time passed while the token came: a pause may have begun meanwhile
      Duration paused = gate.pausedFor(key);
      if (!paused.isZero()) {
        gate.unsent(p);
        later(paused, this::admit);
        return;
      }
      send(p);
    }

    void send(Permit p) {
      attempts++;
      CallContext context =
          new CallContext(
              call.correlationId(),
              call.idempotencyKey(),
              childSpan(trace),
              call.channel(),
              call.scope(),
              attempts);
      long sentAt = clock.nanoTime();
      CompletableFuture<Exchanged> future;
      inFlight.incrementAndGet();
      try (LogContext.Scope scope = LogContext.open(context)) {
        future = call.exchange().send(context, token);
      } catch (RuntimeException e) {
        future = CompletableFuture.failedFuture(e);
      }
      future.whenComplete(
          (exchanged, error) -> {
            // Hand the outcome back to the scheduler first, then count the exchange as done, so a
            // driver that waits for "nothing in flight" never misses the follow-up step.
            scheduler.schedule(
                Duration.ZERO,
                () -> {
                  try (LogContext.Scope scope = LogContext.open(context)) {
                    handle(p, context, sentAt, exchanged, error);
                  }
                });
            inFlight.decrementAndGet();
          });
    }

    void handle(Permit p, CallContext context, long sentAt, Exchanged exchanged, Throwable error) {
      Duration latency = Duration.ofNanos(clock.nanoTime() - sentAt);
      if (error != null) {
        Throwable cause = unwrap(error);
        if (!(cause instanceof TransportException)) {
          gate.unsent(p);
          log.error("exchange failed unexpectedly on channel {}", call.channel(), cause);
          finish(CallResult.Status.DEAD_LETTER, "internal_error", List.of());
          return;
        }
        exchanged = new Exchanged(Outcome.failure(((TransportException) cause).kind()), null);
      }
      last = exchanged;
      Outcome outcome = exchanged.outcome();
      Instant now = clock.instant();
      RetryDecider.Decision decision = decider.decide(state, outcome, now);
      Optional<Duration> serverDelay = decision.serverDelay();
      gate.learn(
          p,
          outcome,
          decision.healthFailure(),
          decision.pausesKey() ? serverDelay : Optional.empty(),
          latency);
      if (metrics != null) {
        metrics.attempt(call.channel(), decision.action());
        metrics.attemptLatency(call.channel(), latency);
      }
      if (listener != null) {
        listener.onAttempt(
            new AttemptEvent(
                context,
                now,
                outcome,
                decision.action(),
                latency,
                decision.delay().orElse(null),
                serverDelay.orElse(null)));
      }
      state = decision.next();
      act(decision, outcome);
    }

    void act(RetryDecider.Decision decision, Outcome outcome) {
      switch (decision.kind()) {
        case ACK -> finish(CallResult.Status.ACKNOWLEDGED, null, List.of());
        case RECONCILE -> finish(CallResult.Status.RECONCILE, "conflict", List.of());
        case DEAD_LETTER ->
            finish(CallResult.Status.DEAD_LETTER, decision.reason(), outcome.fieldErrors());
        case REFRESH_AUTH -> {
          OAuth2ClientCredentials credentials = auth.get(call.channel());
          if (credentials == null) {
            finish(CallResult.Status.DEAD_LETTER, "auth", List.of());
            return;
          }
          if (token != null) {
            credentials.invalidate(token);
          }
          later(Duration.ZERO, this::admit);
        }
        case RETRY -> {
          Duration delay = decision.delay().orElseThrow();
          if (metrics != null) {
            metrics.retryDelay(call.channel(), delay);
          }
          ask = AdmissionGate.Ask.RETRY; // asks the budget when it is due
          later(delay, this::admit);
        }
      }
    }

    void later(Duration delay, Runnable step) {
      scheduler.schedule(
          delay,
          () -> {
            try {
              step.run();
            } catch (RuntimeException e) {
              log.error("step failed on channel {}", call.channel(), e);
              finish(CallResult.Status.DEAD_LETTER, "internal_error", List.of());
            }
          });
    }

    void finish(
        CallResult.Status status,
        @Nullable String reason,
        List<dev.paritysync.core.classify.FieldError> errors) {
      if (permit != null) {
        gate.unsent(permit); // nothing when its answer was learned already
      }
      result.complete(
          new CallResult(
              status,
              reason,
              errors,
              attempts,
              last,
              Duration.ofNanos(clock.nanoTime() - started)));
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Builds a {@link ResilientExecutor}. */
  public static final class Builder {
    private final Scheduler scheduler;
    private final Map<String, ChannelPolicy> policies = new HashMap<>();
    private final Map<String, OAuth2ClientCredentials> auth = new HashMap<>();
    private @Nullable CoreMetrics metrics;
    private @Nullable AttemptListener listener;
    private @Nullable RandomGenerator random;

    private Builder(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    public Builder withPolicy(ChannelPolicy policy) {
      if (policies.putIfAbsent(policy.channel(), policy) != null) {
        throw new IllegalArgumentException("channel '" + policy.channel() + "' configured twice");
      }
      return this;
    }

    /** OAuth2 client credentials for {@code channel}; calls on it carry its token. */
    public Builder withAuth(String channel, OAuth2ClientCredentials credentials) {
      auth.put(channel, Objects.requireNonNull(credentials, "credentials"));
      return this;
    }

    public Builder withMetrics(CoreMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    public Builder onAttempt(AttemptListener listener) {
      this.listener = listener;
      return this;
    }

    /** The randomness for jitter and trace ids; seed it for reproducible runs. */
    public Builder withRandom(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public ResilientExecutor build() {
      if (random == null) {
        throw new IllegalStateException(
            "withRandom(...) is required: pass a seeded generator in tests, SplittableRandom in"
                + " production");
      }
      for (String channel : auth.keySet()) {
        if (!policies.containsKey(channel)) {
          throw new IllegalArgumentException(
              "auth configured for unknown channel '" + channel + "'");
        }
      }
      return new ResilientExecutor(this);
    }
  }
}
