package dev.paritysync.sim;

import static dev.paritysync.sim.Http.update;
import static dev.paritysync.sim.Http.updates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultsTest {
  private static final String ARI = "/v1/properties/P1/ari";
  private static final String BODY =
      updates(update("DBL", "BAR", "2026-01-01", "2026-01-02", "\"rate\":\"10\""));

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00.250Z"));

  @ParameterizedTest
  @EnumSource(SimConfig.RetryAfterStyle.class)
  void answers429OverQuotaWithRetryAfterInEachStyle(SimConfig.RetryAfterStyle style)
      throws Exception {
    SimConfig config =
        SimConfig.newBuilder()
            .withQuota("ari", "2/10s", "100/1h")
            .withRetryAfterStyle(style)
            .build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      HttpResponse<String> first = http.post(ARI, BODY);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(200);
      time.advance(Duration.ofSeconds(3));

      HttpResponse<String> throttled = http.post(ARI, BODY);

      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
      assertThat(throttled.headers().firstValue("X-RateLimit-Reset")).hasValue("7");
      assertThat(throttled.headers().firstValue("Date")).hasValue("Thu, 01 Jan 2026 00:00:03 GMT");
      switch (style) {
        case SECONDS -> assertThat(throttled.headers().firstValue("Retry-After")).hasValue("7");
        case HTTP_DATE ->
            // refill at 00:00:10.250, rounded up so a client that waits for it is never early
            assertThat(throttled.headers().firstValue("Retry-After"))
                .hasValue("Thu, 01 Jan 2026 00:00:11 GMT");
        case ABSENT -> assertThat(throttled.headers().firstValue("Retry-After")).isEmpty();
      }
      assertThat(sim.stats().throttled()).isEqualTo(1);

      time.advance(Duration.ofSeconds(7));
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(200);
    }
  }

  /** 40 one-day writes, each with its own key, under {@code pDropUpdate} 0.25 and {@code seed}. */
  private java.util.SortedSet<CellKey> dropRun(long seed) throws Exception {
    SimConfig config = SimConfig.fromMap(java.util.Map.of("seed", seed, "pDropUpdate", 0.25));
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      for (int d = 1; d <= 40; d++) {
        String date = java.time.LocalDate.of(2026, 1, 1).plusDays(d).toString();
        HttpResponse<String> r =
            http.post(ARI, updates(update("DBL", "BAR", date, date, "\"rate\":\"" + d + "\"")));
        assertThat(r.statusCode()).isEqualTo(200); // dropped or not, answered as applied
      }
      java.util.SortedSet<CellKey> dropped = sim.droppedCells("P1");
      assertThat(dropped).isNotEmpty().hasSizeLessThan(40);
      assertThat(sim.state("P1")).hasSize(40 - dropped.size());
      for (CellKey k : dropped) {
        assertThat(sim.state("P1")).doesNotContainKey(k);
      }
      // a later write that is applied takes the cell off the list
      CellKey first = dropped.first();
      sim.overwrite("P1", first, sim.state("P1").values().iterator().next());
      assertThat(sim.droppedCells("P1")).doesNotContain(first);
      return dropped;
    }
  }

  @Test
  void silentlyDropsASeededShareOfUpdates() throws Exception {
    java.util.SortedSet<CellKey> a = dropRun(5);
    assertThat(dropRun(5)).isEqualTo(a);
    assertThat(dropRun(6)).isNotEqualTo(a);
    assertThatThrownBy(() -> SimConfig.fromMap(java.util.Map.of("pDropUpdate", 1.5)))
        .hasMessage("pDropUpdate: must be between 0 and 1, was 1.5");
  }

  @Test
  void quotasArePerPropertyAndKind() throws Exception {
    SimConfig config = SimConfig.newBuilder().withQuota("ari", "1/1m").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(200);
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(429);
      assertThat(http.post("/v1/properties/P2/ari", BODY).statusCode()).isEqualTo(200);
      assertThat(http.get(ARI + "?from=2026-01-01&to=2026-01-01").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void answers503DuringAnOutageWindow() throws Exception {
    SimConfig config =
        SimConfig.outage(1, Duration.ofSeconds(10), Duration.ofSeconds(40)).toBuilder().build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(200);

      time.advance(Duration.ofSeconds(15));
      HttpResponse<String> down = http.post(ARI, BODY, "Idempotency-Key", "k");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).hasValue("25");
      assertThat(sim.applications("k")).isZero();

      time.advance(Duration.ofSeconds(25));
      assertThat(http.post(ARI, BODY, "Idempotency-Key", "k").statusCode()).isEqualTo(200);

      sim.setOutage(true);
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(503);
      sim.setOutage(false);
      assertThat(http.post(ARI, BODY).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aResetIsSeenByTheClientAsAnIOException() throws Exception {
    SimConfig config = SimConfig.newBuilder().withPReset(1).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      assertThatThrownBy(() -> new Http(sim).post(ARI, BODY, "Idempotency-Key", "k"))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);

      assertThat(sim.stats().resets()).isEqualTo(1);
      assertThat(sim.stats().byStatus()).isEmpty();
      assertThat(sim.applications("k")).isZero();
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void aSlowResponseOutlastsTheClientTimeoutButIsApplied() throws Exception {
    SimConfig config =
        SimConfig.newBuilder().withPSlow(1).withSlowDelay(Duration.ofMillis(2500)).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      // a second for the request to reach the simulator and be applied, even on a busy machine
      // (with 200 ms the client sometimes gave up before the server had seen the request)
      Http http = new Http(sim).withTimeout(Duration.ofSeconds(1));

      assertThatThrownBy(() -> http.post(ARI, BODY, "Idempotency-Key", "k"))
          .isInstanceOf(HttpTimeoutException.class);

      assertThat(sim.stats().slowResponses()).isEqualTo(1);
      assertThat(sim.applications("k")).isEqualTo(1);
      // the retry replays instead of applying again; it is slow too, and a patient client gets it
      HttpResponse<String> retry =
          new Http(sim).withTimeout(Duration.ofSeconds(5)).post(ARI, BODY, "Idempotency-Key", "k");
      assertThat(retry.statusCode()).isEqualTo(200);
      assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      assertThat(sim.applications("k")).isEqualTo(1);
    }
  }

  @Test
  void latencyHoldsEveryResponseBack() throws Exception {
    SimConfig config = SimConfig.newBuilder().withLatency(Duration.ofMillis(400)).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim).withTimeout(Duration.ofSeconds(10));
      long start = System.nanoTime();
      HttpResponse<String> write = http.post(ARI, BODY, "Idempotency-Key", "k");
      Duration writeTook = Duration.ofNanos(System.nanoTime() - start);
      start = System.nanoTime();
      HttpResponse<String> read = http.get(ARI + "?from=2026-01-01&to=2026-01-02");
      Duration readTook = Duration.ofNanos(System.nanoTime() - start);

      assertThat(write.statusCode()).isEqualTo(200);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(writeTook).isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(readTook).isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(sim.applications("k")).isEqualTo(1);
      assertThat(sim.stats().slowResponses()).isZero();
    }
  }

  @Test
  void theSameSeedGivesTheSameFaults() throws Exception {
    assertThat(outcomes(SimConfig.flaky(42))).isEqualTo(outcomes(SimConfig.flaky(42)));
    assertThat(outcomes(SimConfig.flaky(42))).isNotEqualTo(outcomes(SimConfig.flaky(43)));
  }

  @Test
  void flakyFailsAboutThirtyPercent() throws Exception {
    List<Integer> outcomes = outcomes(SimConfig.flaky(7));
    long failures = outcomes.stream().filter(s -> s != 200).count();
    assertThat(failures).isBetween(15L, 50L);
    assertThat(outcomes).contains(-1, 500, 502, 503, 429);
  }

  /** Statuses of 120 sequential writes, -1 for a reset; slow responses are not drawn (pSlow 0). */
  private List<Integer> outcomes(SimConfig base) throws Exception {
    SimConfig config = base.toBuilder().withPSlow(0).withQuota("ari").build();
    List<Integer> out = new ArrayList<>();
    try (SimChannel sim = SimChannel.start(config, new VirtualTime())) {
      Http http = new Http(sim);
      for (int i = 0; i < 120; i++) {
        try {
          out.add(http.post(ARI, BODY).statusCode());
        } catch (IOException e) {
          out.add(-1);
        }
      }
      assertThat(sim.stats().requests()).isEqualTo(120);
      assertThat(sim.stats().resets()).isEqualTo(out.stream().filter(s -> s == -1).count());
    }
    return out;
  }

  @Test
  void countsQuotaRefusalsApartFromTheDicesThrottlingAndEachWindowsPeak() throws Exception {
    SimConfig config =
        SimConfig.newBuilder().withSeed(3).withQuota("ari", "3/10s", "5/1m").withP429(0.5).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // the fourth finds the 10 s window spent
        statuses.add(http.post(ARI, BODY).statusCode());
      }
      time.advance(Duration.ofSeconds(10)); // a new 10 s window: 2 left in the minute
      for (int i = 0; i < 3; i++) {
        statuses.add(http.post(ARI, BODY).statusCode());
      }
      http.post("/v1/properties/P2/ari", BODY);

      SimStats stats = sim.stats();
      assertThat(stats.quotaRefusals()).isEqualTo(2);
      assertThat(stats.throttled())
          .as("429s of the dice too: %s", statuses)
          .isEqualTo(stats.count(429))
          .isGreaterThan(stats.quotaRefusals());
      assertThat(stats.peakRequestsPerWindow())
          .containsOnly(
              Map.entry("P1/ari 3/PT10S", 4L),
              Map.entry("P1/ari 5/PT1M", 7L),
              Map.entry("P2/ari 3/PT10S", 1L),
              Map.entry("P2/ari 5/PT1M", 1L));
      assertThat(stats.maxRequestsInWindow()).isEqualTo(7);
    }
  }

  @Test
  void aWindowsCountStartsAgainWhenItsBucketRefills() throws Exception {
    SimConfig config = SimConfig.newBuilder().withQuota("ari", "2/1m").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      time.advance(Duration.ofSeconds(7)); // the window starts with the key's first request
      http.post(ARI, BODY);
      time.advance(Duration.ofSeconds(59));
      http.post(ARI, BODY);
      time.advance(Duration.ofSeconds(1)); // 60 s after the first: a new window
      http.post(ARI, BODY);
      http.post(ARI, BODY);

      SimStats stats = sim.stats();
      assertThat(stats.quotaRefusals()).isZero();
      assertThat(stats.maxRequestsInWindow()).isEqualTo(2);
      assertThat(stats.peakRequestsPerWindow()).containsOnly(Map.entry("P1/ari 2/PT1M", 2L));
    }
  }

  @Test
  void keepsHowLongAfterTheAnnouncementEachRequestDuringAWaitArrived() throws Exception {
    SimConfig config = SimConfig.newBuilder().withQuota("ari", "1/1m").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      http.post(ARI, BODY); // takes the last token: "Remaining: 0", reset in 60 s
      http.post(ARI, BODY); // the same instant: sent before the client could know
      time.advance(Duration.ofMillis(20));
      http.post(ARI, BODY);
      time.advance(Duration.ofSeconds(2));
      http.post(ARI, BODY);

      SimStats stats = sim.stats();
      assertThat(stats.requestsDuringAnnouncedWait()).isEqualTo(2);
      assertThat(stats.lateInAnnouncedWaitNanos())
          .containsExactly(Duration.ofMillis(20).toNanos(), Duration.ofMillis(2_020).toNanos());
      assertThat(stats.requestsDuringAnnouncedWait(Duration.ofMillis(50))).isEqualTo(1);
      assertThat(stats.requestsDuringAnnouncedWait(Duration.ofSeconds(3))).isZero();
    }
  }
}
