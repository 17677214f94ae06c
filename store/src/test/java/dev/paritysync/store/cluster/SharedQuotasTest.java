package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.store.Dialect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SharedQuotas} on each dialect: every behaviour is checked against the local {@link Quotas}
 * given the same calls at the same virtual instants, and concurrent takers in two processes never
 * exceed a window's capacity. How the windows keep in step with the channel's own (guard,
 * anchoring, requests in flight) is {@link SharedQuotasChannelWindowTest}'s.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class SharedQuotasTest extends SharedQuotasFixture {
  /**
   * The local and the shared gate over the same limits and the same windows code, both starting a
   * window at its first take (no guard), compared on every call; each request taken ends at once,
   * unanswered, so nothing anchors and nothing is in flight at a boundary.
   */
  private final class Twin {
    final Quotas local;
    final SharedQuotas shared;

    Twin(UnaryOperator<Quotas.Builder> limits) {
      local = limits.apply(Quotas.builder(time).withMaxGuard(Duration.ZERO)).build();
      shared = new SharedQuotas(db, time, limits.apply(Quotas.builder(time)).build(), 0);
    }

    Duration take(QuotaKey key, long tokens) {
      Duration expected = local.tryTake(key, tokens);
      assertThat(shared.tryTake(key, tokens))
          .as("take %d from %s at %s", tokens, key, time.instant())
          .isEqualTo(expected);
      if (expected.isZero() && !local.limitsFor(key).isEmpty()) {
        for (long i = 0; i < tokens; i++) {
          local.released(key, time.instant(), false);
          shared.released(key, time.instant(), false);
        }
      }
      return expected;
    }

    void pause(QuotaKey key, Instant until) {
      local.pauseUntil(key, until);
      shared.pauseUntil(key, until);
      assertThat(shared.pausedUntil(key)).isEqualTo(local.pausedUntil(key));
      assertThat(shared.pauseRemaining(key)).isEqualTo(local.pauseRemaining(key));
    }
  }

  private Twin tenPerMinute() {
    return new Twin(b -> b.withLimits("booking", "ari", List.of(QuotaLimit.parse("10/1m"))));
  }

  @Test
  void tenCallsPerMinuteThenTheWholeWindowRefills() {
    Twin q = tenPerMinute();
    for (int i = 0; i < 10; i++) {
      assertThat(q.take(hotelA, 1)).as("call %d", i + 1).isZero();
    }
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
    time.advance(Duration.ofSeconds(6));
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(54));
    time.advance(Duration.ofSeconds(53));
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      assertThat(q.take(hotelA, 1)).as("call %d after refill", i + 1).isZero();
    }
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
    // several periods later the window has moved on by whole periods
    time.advance(Duration.ofMinutes(3).plusSeconds(20));
    assertThat(q.take(hotelA, 10)).isZero();
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void refusedTakeTakesNothingAndKeysAreIndependent() {
    Twin q = tenPerMinute();
    assertThat(q.take(hotelA, 8)).isZero();
    assertThat(q.take(hotelA, 3)).isEqualTo(Duration.ofMinutes(1));
    assertThat(q.take(hotelA, 2)).isZero();
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(q.take(hotelB, 10)).isZero();
    assertThat(q.take(new QuotaKey("booking", "hotel-a", "reservations"), 1)).isZero();
  }

  @Test
  void twoWindowsAtOnceWaitForTheLonger() {
    Twin q =
        new Twin(
            b ->
                b.withLimits(
                    "expedia",
                    "*",
                    List.of(QuotaLimit.parse("1460/1s"), QuotaLimit.parse("36500/72h"))));
    QuotaKey key = new QuotaKey("expedia", "hotel-a", "ari");
    for (int second = 0; second < 25; second++) {
      assertThat(q.take(key, 1460)).as("second %d", second).isZero();
      Duration expected =
          second < 24 ? Duration.ofSeconds(1) : Duration.ofHours(72).minusSeconds(24);
      assertThat(q.take(key, 1)).as("second %d", second).isEqualTo(expected);
      time.advance(Duration.ofSeconds(1));
    }
    assertThat(q.take(key, 1)).isEqualTo(Duration.ofHours(72).minusSeconds(25));
    time.advance(Duration.ofHours(72).minusSeconds(26));
    assertThat(q.take(key, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(q.take(key, 1460)).isZero();
    assertThat(q.take(key, 1)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void multiWindowTakeIsAllOrNothing() {
    Twin q =
        new Twin(
            b ->
                b.withLimits(
                    "c", "e", List.of(QuotaLimit.parse("5/1s"), QuotaLimit.parse("8/1m"))));
    QuotaKey key = new QuotaKey("c", "p", "e");
    assertThat(q.take(key, 5)).isZero();
    time.advance(Duration.ofSeconds(1));
    assertThat(q.take(key, 5)).isEqualTo(Duration.ofSeconds(59));
    assertThat(q.take(key, 3)).isZero();
    assertThat(q.take(key, 1)).isEqualTo(Duration.ofSeconds(59));
    assertThat(q.shared.used("c").get(0).available()).isZero();
  }

  @Test
  void pauseRefusesTheKeyAndWaitsTheLongerOfPauseAndWindow() {
    Twin q = tenPerMinute();
    q.pause(hotelA, time.instant().plusSeconds(30));
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(q.take(hotelB, 1)).as("another scope").isZero();
    time.advance(Duration.ofSeconds(29));
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(q.shared.pausedUntil(hotelA)).isEmpty();
    assertThat(q.shared.pauseRemaining(hotelA)).isZero();
    assertThat(q.take(hotelA, 10)).as("nothing was taken during the pause").isZero();
    q.pause(hotelA, time.instant().plusSeconds(5));
    // the window began with the first pause, 30 s ago
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(30));
    q.pause(hotelA, time.instant().plusSeconds(90));
    assertThat(q.take(hotelA, 1)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void laterPauseExtendsEarlierNeverShortens() {
    Twin q = tenPerMinute();
    Instant t0 = time.instant();
    q.pause(hotelA, t0.plusSeconds(10));
    q.pause(hotelA, t0.plusSeconds(40));
    assertThat(q.shared.pausedUntil(hotelA)).contains(t0.plusSeconds(40));
    q.pause(hotelA, t0.plusSeconds(20));
    assertThat(q.shared.pausedUntil(hotelA)).contains(t0.plusSeconds(40));
    assertThat(q.shared.pauseRemaining(hotelA)).isEqualTo(Duration.ofSeconds(40));
    // a second process sees the same pause, and cannot shorten it either
    SharedQuotas other = new SharedQuotas(dbs.open(), time, q.local, 0);
    other.pauseUntil(hotelA, t0.plusSeconds(1));
    assertThat(other.pausedUntil(hotelA)).contains(t0.plusSeconds(40));
    time.advance(Duration.ofSeconds(40));
    assertThat(q.take(hotelA, 1)).isZero();
  }

  @Test
  void keysWithoutLimitsAlwaysAllowButHonourPausesAndHaveARowOnlyWhenPaused() {
    Twin q = new Twin(b -> b);
    QuotaKey key = new QuotaKey("airbnb", "p", "ari");
    for (int i = 0; i < 20; i++) {
      assertThat(q.take(key, 1_000_000)).isZero();
    }
    assertThat(q.shared.used("airbnb")).isEmpty();
    q.pause(key, time.instant().plusMillis(1500));
    assertThat(q.take(key, 1)).isEqualTo(Duration.ofMillis(1500));
    List<Quotas.KeyState> used = q.shared.used("airbnb");
    assertThat(used).hasSize(1);
    assertThat(used.get(0).available()).isEqualTo(-1);
    assertThat(used.get(0).limits()).isEmpty();
    assertThat(used.get(0).pausedUntil()).isEqualTo(time.instant().plusMillis(1500));
  }

  @Test
  void aRandomSequenceOfCallsGivesWhatTheLocalQuotasGive() {
    Twin q =
        new Twin(
            b ->
                b.withLimits("c", "*", List.of(QuotaLimit.parse("5/1s"), QuotaLimit.parse("12/7s")))
                    .withLimits("c", "fast", List.of(QuotaLimit.parse("3/250ms"))));
    List<QuotaKey> keys =
        List.of(
            new QuotaKey("c", "p1", "ari"),
            new QuotaKey("c", "p2", "ari"),
            new QuotaKey("c", "p1", "fast"));
    Random random = new Random(13);
    for (int step = 0; step < 300; step++) {
      QuotaKey key = keys.get(random.nextInt(keys.size()));
      int op = random.nextInt(10);
      if (op < 7) {
        q.take(key, 1 + random.nextInt(3));
      } else if (op < 9) {
        time.advance(Duration.ofMillis(random.nextInt(900)));
      } else {
        q.pause(key, time.instant().plusMillis(random.nextInt(3000)));
      }
    }
    assertThat(keyStates(q.shared.used("c"))).isEqualTo(keyStates(q.local.used("c")));
  }

  private static List<String> keyStates(List<Quotas.KeyState> states) {
    List<String> out = new ArrayList<>();
    for (Quotas.KeyState s : states) {
      out.add(s.key() + " " + s.limits() + " " + s.available() + " " + s.pausedUntil());
    }
    return out;
  }

  @Test
  void usedReadsTheRowsWithoutConfigurationAndTakesNothing() {
    Twin q = tenPerMinute();
    assertThat(q.take(hotelA, 3)).isZero();
    q.pause(hotelB, time.instant().plusSeconds(30));
    new SharedQuotas(db, time, q.local)
        .pauseUntil(new QuotaKey("expedia", "x", "ari"), time.instant());

    // the CLI: no configuration at all
    SharedQuotas reader = new SharedQuotas(dbs.open(), time, Quotas.builder(time).build(), 0);
    assertThat(reader.configured("booking")).isEmpty();
    List<Quotas.KeyState> used = reader.used("booking");
    assertThat(keyStates(used)).isEqualTo(keyStates(q.local.used("booking")));
    assertThat(used.get(0).available()).isEqualTo(7);
    assertThat(used.get(0).limits()).containsExactly(QuotaLimit.parse("10/1m"));
    assertThat(used.get(1).pausedUntil()).isEqualTo(time.instant().plusSeconds(30));
    assertThat(reader.used("booking").get(0).available()).as("reading takes nothing").isEqualTo(7);
    assertThat(reader.usedAll())
        .extracting(k -> k.key().channel() + "/" + k.key().scope())
        .containsExactly("booking/hotel-a", "booking/hotel-b", "expedia/x");

    time.advance(Duration.ofMinutes(1));
    assertThat(reader.used("booking").get(0).available()).isEqualTo(10);
    assertThat(reader.used("booking").get(1).pausedUntil()).isNull();
  }

  @Test
  void changedLimitsKeepTheStateOfWindowsStillConfigured() {
    Twin q = tenPerMinute();
    assertThat(q.take(hotelA, 7)).isZero();
    SharedQuotas changed =
        new SharedQuotas(
            db,
            time,
            Quotas.builder(time)
                .withLimits(
                    "booking", "ari", List.of(QuotaLimit.parse("2/1s"), QuotaLimit.parse("10/1m")))
                .build(),
            0);
    assertThat(changed.tryTake(hotelA, 2)).isZero();
    changed.released(hotelA, time.instant(), true);
    changed.released(hotelA, time.instant(), true);
    assertThat(changed.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(changed.tryTake(hotelA, 1)).isZero();
    assertThat(changed.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(59));
  }

  @Test
  void errorsNameTheCulprit() {
    Twin q = tenPerMinute();
    assertThatThrownBy(() -> q.shared.tryTake(hotelA, 11))
        .hasMessage(
            "11 tokens exceed the capacity of window 10/PT1M for QuotaKey[channel=booking,"
                + " scope=hotel-a, endpoint=ari]");
    assertThatThrownBy(() -> q.shared.tryTake(hotelA, 0))
        .hasMessage("tokens must be at least 1, was 0");
    db.inTransaction(
        c ->
            c.createStatement()
                .executeUpdate(
                    "INSERT INTO cluster_quotas (channel, scope, endpoint, windows, updated_at)"
                        + " VALUES ('booking', 'hotel-b', 'ari', '10@1700000000000', 0)"));
    assertThatThrownBy(() -> q.shared.tryTake(hotelB, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "cluster_quotas row for QuotaKey[channel=booking, scope=hotel-b, endpoint=ari] has"
                + " malformed windows '10@1700000000000' (expected"
                + " tokens:capacity:periodMillis:startMillis:anchored:phaseMillis;...)");
    assertThatThrownBy(() -> q.shared.used("booking")).hasMessageContaining("hotel-b");
  }

  /**
   * Two processes (two pools) and several threads each take from one key at once: within a window
   * the cluster takes exactly the capacity, never more; the next window gives exactly as much.
   */
  @Test
  void concurrentTakersAcrossTwoProcessesNeverExceedTheCapacity() throws Exception {
    UnaryOperator<Quotas.Builder> limits =
        b -> b.withLimits("booking", "ari", List.of(QuotaLimit.parse("40/1m")));
    List<SharedQuotas> processes =
        List.of(
            new SharedQuotas(db, time, limits.apply(Quotas.builder(time)).build(), 0),
            new SharedQuotas(dbs.open(), time, limits.apply(Quotas.builder(time)).build(), 0));
    int threads = 8;
    int attempts = 15; // 120 attempts per window for 40 tokens
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int window = 0; window < 2; window++) {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Integer>> taken = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          SharedQuotas gate = processes.get(t % 2);
          taken.add(
              pool.submit(
                  () -> {
                    start.await(30, TimeUnit.SECONDS);
                    int n = 0;
                    for (int i = 0; i < attempts; i++) {
                      if (gate.tryTake(hotelA, 1).isZero()) {
                        gate.released(hotelA, time.instant(), true);
                        n++;
                      }
                    }
                    return n;
                  }));
        }
        int total = 0;
        for (Future<Integer> f : taken) {
          total += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(total).as("taken in window %d", window).isEqualTo(40);
        assertThat(processes.get(1).used("booking").get(0).available()).isZero();
        time.advance(Duration.ofMinutes(1));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
