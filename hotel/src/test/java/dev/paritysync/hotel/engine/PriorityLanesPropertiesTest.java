package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Newest wins across lanes: random mixes of changes whose class moves a cell between lanes (a rate;
 * a rate with a stop-sell, a close; a rate lifting the stop-sell, availability), batching and
 * sending under a binding quota (one request a minute), in any interleaving. After every step the
 * version each cell holds on the channel never goes back; at the end the channel holds the truth
 * and nothing was applied twice. Real SQLite, a real simulator, virtual time.
 */
class PriorityLanesPropertiesTest {
  private static final int CELLS = 3;

  enum Step {
    RATE,
    CLOSE,
    OPEN,
    FORM,
    RUN,
    WAIT
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMinSize(5).ofMaxSize(40);
  }

  @Property(tries = 20)
  void aCellThatChangesLaneIsSentOnceNewestNeverOlderAfterNewer(
      @ForAll("steps") List<Step> steps, @ForAll long seed) throws IOException {
    Path dir = Files.createTempDirectory("lanes");
    try (Harness h = new Harness(Backend.SQLITE, dir, Harness.healthy())) {
      Quotas quotas =
          Quotas.builder(h.time).withLimits("a", "ari", List.of(QuotaLimit.parse("1/1m"))).build();
      DeliveryWorker worker = h.worker("w", quotas);
      Map<String, Long> versionOfRate = new HashMap<>(); // "day/amount" → version
      long[] seen = new long[CELLS + 1];
      int n = 0;
      for (Step step : steps) {
        switch (step) {
          case RATE, CLOSE, OPEN -> {
            n++;
            int day = 1 + Math.floorMod(seed + n * 7L, CELLS);
            String amount = (100 + n) + ".00";
            Boolean closed = step == Step.RATE ? null : step == Step.CLOSE;
            long v = h.accept(change(day, amount, closed)).version();
            versionOfRate.put(day + "/" + amount, v);
          }
          case FORM -> h.batcher.formBatches();
          case RUN -> worker.runOnce();
          case WAIT -> h.time.advance(Duration.ofSeconds(40));
        }
        checkMonotonic(h, versionOfRate, seen);
      }

      h.settle(worker);
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
      assertThat(
              Engines.count(
                  h.db,
                  "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"
                      + " OR inflight_version IS NOT NULL OR pending_kinds IS NOT NULL"
                      + " OR inflight_kinds IS NOT NULL"))
          .as("nothing left pending or in flight, classes included")
          .isZero();
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

  private static Change change(int day, String amount, Boolean closed) {
    Change.Builder b =
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
            .withRatePlan("BAR")
            .withRate(Rate.of(amount, "EUR"));
    if (closed != null) {
      b.withRestrictions(Restrictions.none().withClosed(closed));
    }
    return b.build();
  }
}
