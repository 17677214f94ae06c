package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Newest wins under any interleaving: changes, batching, two workers, retries after the faults of a
 * flaky channel, and workers that die holding a claim (their lease expires and the other worker
 * takes the batch). After every step, the version each cell holds on the channel never goes back;
 * at the end the channel holds the truth and nothing was applied twice. Real SQLite, a real
 * simulator, virtual time.
 */
class StaleNeverWinsPropertiesTest {
  private static final int CELLS = 3;

  enum Step {
    CHANGE,
    FORM,
    RUN_A,
    RUN_B,
    WAIT,
    DIE_HOLDING_A_CLAIM,
    LEASE_EXPIRES
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class)
        .list()
        .ofMinSize(5)
        .ofMaxSize(40)
        .map(
            l -> {
              // the story starts with a change, or nothing happens at all
              List<Step> s = new java.util.ArrayList<>(l);
              s.add(0, Step.CHANGE);
              return s;
            });
  }

  /**
   * The case that once failed: seed 38's dice fail one batch six times running, which the default 5
   * retries dead-letter; with the property's patience it settles at the truth.
   */
  @Example
  void sixFailuresRunningStillSettleAtTheTruth() throws IOException {
    theChannelNeverGoesBackToAnOlderVersion(
        List.of(Step.CHANGE, Step.CHANGE, Step.FORM, Step.CHANGE, Step.FORM, Step.FORM), 38);
  }

  @Property(tries = 25)
  void theChannelNeverGoesBackToAnOlderVersion(@ForAll("steps") List<Step> steps, @ForAll long seed)
      throws IOException {
    Path dir = Files.createTempDirectory("stale");
    SimConfig flaky = SimConfig.flaky(seed).toBuilder().withPSlow(0).build();
    // A flaky channel fails 28 % of requests: under the default 5 retries some seeds exhaust a
    // batch (a dead letter by policy; seed 38 does), and the channel then rightly lacks its cells.
    // This property is about order, not giving up: 30 retries.
    ChannelPolicy patient =
        ChannelPolicy.builder(Harness.CHANNEL)
            .withBackoff(Backoff.builder().withMaxRetries(30).build())
            .build();
    try (Harness h = new Harness(Backend.SQLITE, dir, flaky, patient)) {
      DeliveryWorker a = h.worker("a");
      DeliveryWorker b = h.worker("b");
      Map<String, Long> versionOfRate = new HashMap<>(); // "day/amount" → version
      long[] seen = new long[CELLS + 1]; // highest version the channel held, per day
      int n = 0;
      int day = 1;
      for (Step step : steps) {
        switch (step) {
          case CHANGE -> {
            n++;
            day = 1 + Math.floorMod(seed + n, CELLS);
            String amount = (100 + n) + ".00";
            long v = h.accept(rate(day, amount)).version();
            versionOfRate.put(day + "/" + amount, v);
          }
          case FORM -> h.batcher.formBatches();
          case RUN_A -> a.runOnce();
          case RUN_B -> b.runOnce();
          case WAIT -> h.time.advance(Duration.ofSeconds(3));
          case DIE_HOLDING_A_CLAIM ->
              h.db.inTransaction(
                  c -> h.queue.claim(c, Batcher.queueName("a"), "dead", 1, Duration.ofSeconds(30)));
          case LEASE_EXPIRES -> h.time.advance(Duration.ofSeconds(31));
        }
        checkMonotonic(h, versionOfRate, seen);
      }

      h.settle(a);
      checkMonotonic(h, versionOfRate, seen);

      for (int d = 1; d <= CELLS; d++) {
        String truth =
            Engines.db1(
                h.db,
                "SELECT rate FROM ari_truth WHERE room_type = 'DBL' AND rate_plan = 'BAR'"
                    + " AND date = ?",
                Engines.TODAY.plusDays(d).toString());
        BigDecimal held = held(h, d);
        if (truth == null) {
          assertThat(held).isNull();
        } else {
          assertThat(held).as("day %d", d).isEqualByComparingTo(truth);
        }
      }
      assertThat(h.sim.stats().doubleApplications()).isZero();
      assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void checkMonotonic(Harness h, Map<String, Long> versionOfRate, long[] seen) {
    for (int d = 1; d <= CELLS; d++) {
      BigDecimal held = held(h, d);
      if (held == null) {
        continue;
      }
      Long v = versionOfRate.get(d + "/" + held.setScale(2).toPlainString());
      assertThat(v).as("the channel holds a value nobody sent, day %d: %s", d, held).isNotNull();
      assertThat(v)
          .as("day %d went back from version %d to %d", d, seen[d], v)
          .isGreaterThanOrEqualTo(seen[d]);
      seen[d] = v;
    }
  }

  private static BigDecimal held(Harness h, int day) {
    CellValue v = h.sim.state("P1").get(new CellKey("D1", "R1", Engines.TODAY.plusDays(day)));
    return v == null ? null : v.rate();
  }

  private static Change rate(int day, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }
}
