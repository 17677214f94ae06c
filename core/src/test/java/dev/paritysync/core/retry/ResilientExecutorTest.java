package dev.paritysync.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.TransportException;
import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.time.VirtualTime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The executor's composition on virtual time, with scripted exchanges: each attempt takes the next
 * outcome from a script and records when it was made and with which context. HTTP itself is covered
 * by the transport tests and by the end-to-end test against the simulator.
 */
class ResilientExecutorTest {
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-06-01T12:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static Backoff noJitter(int maxRetries) {
    return Backoff.builder()
        .withBase(Duration.ofSeconds(1))
        .withMultiplier(2)
        .withCap(Duration.ofSeconds(30))
        .withMaxRetries(maxRetries)
        .withJitter(Jitter.none())
        .build();
  }

  private ResilientExecutor executor(ChannelPolicy policy) {
    return ResilientExecutor.builder(time)
        .withPolicy(policy)
        .withMetrics(new CoreMetrics(registry))
        .withRandom(new SplittableRandom(1))
        .build();
  }

  /** Plays outcomes in order; records each attempt's context and virtual time. */
  private final class Script implements Exchange {
    final Deque<Supplier<CompletableFuture<Exchanged>>> steps = new ArrayDeque<>();
    final List<CallContext> contexts = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();

    Script then(int status, String... headers) {
      Outcome o = Outcome.response(status, Headers.of(headers));
      steps.add(() -> CompletableFuture.completedFuture(new Exchanged(o, null)));
      return this;
    }

    Script then(Outcome o) {
      steps.add(() -> CompletableFuture.completedFuture(new Exchanged(o, null)));
      return this;
    }

    Script thenFail(FailureKind kind) {
      steps.add(() -> CompletableFuture.failedFuture(new TransportException(kind, kind.name())));
      return this;
    }

    @Override
    public CompletableFuture<Exchanged> send(
        CallContext context, dev.paritysync.core.auth.AccessToken token) {
      contexts.add(context);
      times.add(time.instant());
      Supplier<CompletableFuture<Exchanged>> next = steps.poll();
      if (next == null) {
        throw new AssertionError("exchange called more often than scripted");
      }
      return next.get();
    }
  }

  private Call call(String key, Script script) {
    return new Call("ch", "P1", "ari", key, "corr-" + key, script);
  }

  private CallResult run(CompletableFuture<CallResult> f) {
    for (int i = 0; i < 10_000 && !f.isDone(); i++) {
      if (!time.advanceToNext()) {
        break;
      }
    }
    assertThat(f).isDone();
    return f.join();
  }

  @Test
  void acknowledgesAtFirstSuccess() {
    Script s = new Script().then(200);
    CallResult r = run(executor(ChannelPolicy.defaults("ch")).submit(call("k", s)));
    assertThat(r.status()).isEqualTo(CallResult.Status.ACKNOWLEDGED);
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void retriesTransientFailuresWithBackoffAndTheSameIdempotencyKey() {
    Script s = new Script().then(503).thenFail(FailureKind.CONNECTION_RESET).then(500).then(200);
    ChannelPolicy p = ChannelPolicy.builder("ch").withBackoff(noJitter(5)).build();
    Instant start = time.instant();
    CallResult r = run(executor(p).submit(call("k1", s)));

    assertThat(r.acknowledged()).isTrue();
    assertThat(r.attempts()).isEqualTo(4);
    assertThat(s.contexts).extracting(CallContext::idempotencyKey).containsOnly("k1");
    assertThat(s.contexts).extracting(CallContext::attempt).containsExactly(1, 2, 3, 4);
    assertThat(s.contexts).extracting(CallContext::correlationId).containsOnly("corr-k1");
    // 503 without Retry-After backs off: 1 s, then 2 s, then 4 s
    assertThat(s.times)
        .containsExactly(start, start.plusSeconds(1), start.plusSeconds(3), start.plusSeconds(7));
  }

  @Test
  void honoursRetryAfterAndPausesTheWholeKey() {
    Script first = new Script().then(429, "Retry-After", "7").then(200);
    Script second = new Script().then(200);
    ResilientExecutor ex = executor(ChannelPolicy.defaults("ch"));
    Instant start = time.instant();
    CompletableFuture<CallResult> a = ex.submit(call("a", first));
    time.runDue();
    assertThat(ex.quotas().pausedUntil(new QuotaKey("ch", "P1", "ari")))
        .contains(start.plusSeconds(7));
    // the second call for the same key comes after the 429: it must wait for the pause too
    CompletableFuture<CallResult> b = ex.submit(call("b", second));
    run(a);
    run(b);
    assertThat(first.times).containsExactly(start, start.plusSeconds(7));
    assertThat(second.times).containsExactly(start.plusSeconds(7));
  }

  @Test
  void aRemainingOfZeroWithAResetPausesTheKeyEvenOnSuccess() {
    Script first = new Script().then(200, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "12");
    Script second = new Script().then(200);
    ResilientExecutor ex = executor(ChannelPolicy.defaults("ch"));
    Instant start = time.instant();
    run(ex.submit(call("a", first)));
    run(ex.submit(call("b", second)));
    assertThat(second.times).containsExactly(start.plusSeconds(12));
  }

  @Test
  void aWaitBeyondTheCeilingIsADeadLetterNotASleep() {
    Script s = new Script().then(503, "Retry-After", "3600");
    CallResult r = run(executor(ChannelPolicy.defaults("ch")).submit(call("k", s)));
    assertThat(r.status()).isEqualTo(CallResult.Status.DEAD_LETTER);
    assertThat(r.reason()).isEqualTo("wait_too_long");
    assertThat(s.times).hasSize(1);
  }

  @Test
  void validationErrorsAreDeadLetteredWithTheirFields() {
    FieldError e = new FieldError("/updates/0/rate", "below the floor");
    Script s = new Script().then(Outcome.response(422).withFieldErrors(List.of(e)));
    CallResult r = run(executor(ChannelPolicy.defaults("ch")).submit(call("k", s)));
    assertThat(r.status()).isEqualTo(CallResult.Status.DEAD_LETTER);
    assertThat(r.reason()).isEqualTo("validation");
    assertThat(r.fieldErrors()).containsExactly(e);
  }

  @Test
  void conflictsGoToReconciliation() {
    CallResult r =
        run(executor(ChannelPolicy.defaults("ch")).submit(call("k", new Script().then(409))));
    assertThat(r.status()).isEqualTo(CallResult.Status.RECONCILE);
  }

  @Test
  void a401WithoutCredentialsToRefreshIsADeadLetterAuth() {
    CallResult r =
        run(executor(ChannelPolicy.defaults("ch")).submit(call("k", new Script().then(401))));
    assertThat(r.reason()).isEqualTo("auth");
  }

  @Test
  void retriesEndInADeadLetterWhenExhausted() {
    Script s = new Script().then(500).then(500).then(500);
    ChannelPolicy p = ChannelPolicy.builder("ch").withBackoff(noJitter(2)).build();
    CallResult r = run(executor(p).submit(call("k", s)));
    assertThat(r.reason()).isEqualTo("retries_exhausted");
    assertThat(r.attempts()).isEqualTo(3);
  }

  @Test
  void anOutOfBudgetRetryIsDeferredNotDropped() {
    ChannelPolicy p =
        ChannelPolicy.builder("ch")
            .withBackoff(noJitter(5))
            .withRetryBudget(0.0, 1, Duration.ofSeconds(10))
            .build();
    ResilientExecutor ex = executor(p);
    Script a = new Script().then(500).then(200);
    Script b = new Script().then(500).then(200);
    Instant start = time.instant();
    CompletableFuture<CallResult> fa = ex.submit(new Call("ch", "P1", "ari", "a", "a", a));
    CompletableFuture<CallResult> fb = ex.submit(new Call("ch", "P2", "ari", "b", "b", b));
    assertThat(run(fa).acknowledged()).isTrue();
    assertThat(run(fb).acknowledged()).isTrue();
    // one retry per 10 s window: the first goes after its 1 s backoff, the other waits for the
    // window to move on
    List<Instant> retryTimes = List.of(a.times.get(1), b.times.get(1));
    assertThat(retryTimes).contains(start.plusSeconds(1));
    assertThat(retryTimes.stream().max(Instant::compareTo).orElseThrow())
        .isAfterOrEqualTo(start.plusSeconds(10));
    assertThat(registry.counter(CoreMetrics.BUDGET_EXHAUSTED, "channel", "ch").count())
        .isPositive();
  }

  @Test
  void anOpenCircuitHoldsCallsBackUntilItsProbe() {
    ChannelPolicy p =
        ChannelPolicy.builder("ch")
            .withBackoff(noJitter(0))
            .withBreaker(new BreakerConfig(50f, 20, 10, 3, Duration.ofSeconds(30), 1))
            .build();
    ResilientExecutor ex = executor(p);
    Instant start = time.instant();
    for (int i = 0; i < 3; i++) {
      run(ex.submit(call("f" + i, new Script().then(500))));
    }
    Script later = new Script().then(200);
    CallResult r = run(ex.submit(call("ok", later)));
    assertThat(r.acknowledged()).isTrue();
    assertThat(later.times).containsExactly(start.plusSeconds(30));
  }

  @Test
  void noMoreExchangesInFlightThanTheChannelAllows() {
    ChannelPolicy p = ChannelPolicy.builder("ch").withConcurrency(2).build();
    ResilientExecutor ex = executor(p);
    List<CompletableFuture<Exchanged>> pending = new ArrayList<>();
    int[] maxOutstanding = {0};
    Exchange slow =
        (context, token) -> {
          CompletableFuture<Exchanged> f = new CompletableFuture<>();
          pending.add(f);
          long outstanding = pending.stream().filter(x -> !x.isDone()).count();
          maxOutstanding[0] = (int) Math.max(maxOutstanding[0], outstanding);
          return f;
        };
    List<CompletableFuture<CallResult>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(ex.submit(new Call("ch", "P1", "ari", "k" + i, "c" + i, slow)));
    }
    for (int round = 0; round < 10; round++) {
      time.runDue();
      for (CompletableFuture<Exchanged> f : List.copyOf(pending)) {
        f.complete(new Exchanged(Outcome.response(200), null));
      }
    }
    time.runDue();
    assertThat(results).allMatch(f -> f.join().acknowledged());
    assertThat(maxOutstanding[0]).isEqualTo(2);
  }

  @Test
  void quotaWindowsSpaceCallsOut() {
    ChannelPolicy p =
        ChannelPolicy.builder("ch").withQuota("ari", List.of(QuotaLimit.parse("2/1s"))).build();
    ResilientExecutor ex = executor(p);
    Instant start = time.instant();
    List<Script> scripts = new ArrayList<>();
    List<CompletableFuture<CallResult>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Script s = new Script().then(200);
      scripts.add(s);
      results.add(ex.submit(call("q" + i, s)));
    }
    results.forEach(this::run);
    List<Instant> sent = scripts.stream().map(s -> s.times.get(0)).sorted().toList();
    assertThat(sent.get(1)).isEqualTo(start);
    assertThat(sent.get(2)).isAfterOrEqualTo(start.plusMillis(500));
    assertThat(sent.get(4)).isAfterOrEqualTo(start.plusSeconds(1));
  }
}
