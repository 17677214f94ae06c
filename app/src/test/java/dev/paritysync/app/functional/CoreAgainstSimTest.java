package dev.paritysync.app.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.auth.OAuth2ClientCredentials;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.retry.AttemptEvent;
import dev.paritysync.core.retry.AttemptListener;
import dev.paritysync.core.retry.Call;
import dev.paritysync.core.retry.CallResult;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.ResilientExecutor;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 1,000 requests through the resilience core against the simulated channel over real HTTP, with
 * about 30 % mixed faults (5xx, 429s, resets, answers slower than the client's timeout), a quota
 * the client under-estimates, and OAuth2 tokens that expire. Waits run on virtual time shared by
 * the engine and the simulator; only the HTTP exchanges take real time.
 */
class CoreAgainstSimTest {
  private static final int REQUESTS = 1000;
  private static final int PROPERTIES = 10;

  @Test
  void everyRequestAcknowledgedAndAppliedOnceWithinQuotaAndBudget() throws Exception {
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:00Z"));
    SimConfig config =
        SimConfig.flaky(42).toBuilder()
            .withQuota("ari", "20/1s")
            .withSlowDelay(Duration.ofMillis(600))
            .withOAuth("paritysync", "s3cr3t-client-secret", Duration.ofMinutes(5))
            .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CoreMetrics metrics = new CoreMetrics(registry);
    List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
    Semaphore completions = new Semaphore(0);

    try (SimChannel sim = SimChannel.start(config, time);
        Transport transport =
            Transport.builder()
                .withRequestTimeout(Duration.ofMillis(250))
                .withClock(time)
                .build()) {
      ResilientExecutor executor = executor(time, transport, sim, metrics, attempts::add);
      NativeAriClient client = new NativeAriClient(transport, sim.baseUri());

      List<CompletableFuture<CallResult>> results = submitAll(executor, client, completions);

      CompletableFuture<Void> all =
          CompletableFuture.allOf(results.toArray(CompletableFuture[]::new));
      Instant start = time.instant();
      // Drive: while HTTP is out, wait for it (real I/O); when nothing is out, jump virtual time.
      while (!all.isDone()) {
        if (executor.inFlight() > 0) {
          completions.tryAcquire(50, TimeUnit.MILLISECONDS);
        } else if (!time.advanceToNext()) {
          completions.tryAcquire(5, TimeUnit.MILLISECONDS);
        }
        assertThat(Duration.between(start, time.instant()))
            .as("virtual time the run took")
            .isLessThan(Duration.ofHours(2));
      }

      // all acknowledged
      for (CompletableFuture<CallResult> r : results) {
        assertThat(r.join().status()).isEqualTo(CallResult.Status.ACKNOWLEDGED);
      }
      SimStats stats = sim.stats();
      assertTheFaultsHappened(stats);

      // each applied exactly once at the simulator
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(sim.applications("key-" + i)).as("applications of key-%d", i).isEqualTo(1);
      }
      assertThat(sim.doubleApplications()).isZero();

      // none sent to a paused key: the simulator counts requests that arrive before the wait it
      // announced for that property (Retry-After, or a reset with nothing remaining) is over
      assertThat(stats.requestsDuringAnnouncedWait()).isZero();

      // retries within budget: every retry the channel saw is an attempt after the first for its
      // key; their total cannot exceed 20 % of first attempts plus the floor for every window
      long firstAttempts = attempts.stream().filter(a -> a.context().attempt() == 1).count();
      long retries = attempts.size() - firstAttempts;
      long windows = Duration.between(start, time.instant()).toSeconds() / 10 + 1;
      assertThat(firstAttempts).isEqualTo(REQUESTS);
      assertThat(retries).isLessThanOrEqualTo((long) (0.2 * firstAttempts) + 10 * windows);
      assertThat(registry.counter(CoreMetrics.BUDGET_EXHAUSTED, "channel", "sim").count())
          .as("the budget deferred retries, so it was really in force")
          .isPositive();
    }
  }

  /**
   * The resilience core as the engine sets it up: backoff with jitter, a quota looser than the
   * channel's, at most 8 in flight, OAuth2 against the sim, seeded randomness.
   */
  private static ResilientExecutor executor(
      VirtualTime time,
      Transport transport,
      SimChannel sim,
      CoreMetrics metrics,
      AttemptListener onAttempt) {
    ChannelPolicy policy =
        ChannelPolicy.builder("sim")
            .withBackoff(
                Backoff.builder()
                    .withBase(Duration.ofSeconds(1))
                    .withCap(Duration.ofSeconds(30))
                    .withMaxRetries(12)
                    .withJitter(Jitter.proportional(0.5))
                    .build())
            // looser than the channel's real 20/s, so that real 429s come back
            .withQuota("ari", List.of(QuotaLimit.parse("30/1s")))
            .withConcurrency(8)
            .build();
    OAuth2ClientCredentials oauth =
        OAuth2ClientCredentials.builder(transport, time)
            .withTokenUri(sim.baseUri().resolve("/oauth/token"))
            .withClientId("paritysync")
            .withClientSecret(Secret.of("s3cr3t-client-secret"))
            .withRandom(new SplittableRandom(7))
            .build();
    return ResilientExecutor.builder(time)
        .withPolicy(policy)
        .withAuth("sim", oauth)
        .withMetrics(metrics)
        .withRandom(new SplittableRandom(42))
        .onAttempt(onAttempt)
        .build();
  }

  /** Submits the {@link #REQUESTS} pushes, each releasing {@code completions} when answered. */
  private static List<CompletableFuture<CallResult>> submitAll(
      ResilientExecutor executor, NativeAriClient client, Semaphore completions) {
    List<CompletableFuture<CallResult>> results = new ArrayList<>();
    LocalDate first = LocalDate.of(2026, 4, 1);
    for (int i = 0; i < REQUESTS; i++) {
      String property = "P" + (i % PROPERTIES);
      NativeAriClient.Update update =
          new NativeAriClient.Update(
              "R" + (i / PROPERTIES % 10),
              "BAR",
              first.plusDays(i / 100),
              first.plusDays(i / 100),
              new BigDecimal("100.00").add(BigDecimal.valueOf(i)),
              "EUR",
              null);
      var exchange = client.push(property, List.of(update));
      Call call =
          new Call(
              "sim",
              property,
              "ari",
              "key-" + i,
              "corr-" + i,
              (context, token) ->
                  exchange.send(context, token).whenComplete((r, x) -> completions.release()));
      results.add(executor.submit(call));
    }
    return results;
  }

  /** About 30 % of the answers were faults, and every kind of fault occurred. */
  private static void assertTheFaultsHappened(SimStats stats) {
    long faults =
        stats.count(500)
            + stats.count(502)
            + stats.count(503)
            + stats.count(504)
            + stats.throttled()
            + stats.resets()
            + stats.slowResponses();
    assertThat((double) faults / stats.requests())
        .as("share of faulty answers")
        .isGreaterThan(0.25);
    assertThat(stats.throttled()).isPositive();
    assertThat(stats.resets()).isPositive();
    assertThat(stats.slowResponses()).isPositive();
  }
}
