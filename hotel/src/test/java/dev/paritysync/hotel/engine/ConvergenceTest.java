package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Changes keep arriving while a flaky channel fails a third of the time; parity still holds. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ConvergenceTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aFlakyChannelEndsAtParityWithNoDoubleApplication() {
    h = new Harness(backend, dir, SimConfig.flaky(42).toBuilder().withPSlow(0).build());
    DeliveryWorker worker = h.worker("w1");
    SplittableRandom random = new SplittableRandom(42);
    Map<Integer, BigDecimal> newest = new HashMap<>();
    for (int round = 0; round < 60; round++) {
      int day = random.nextInt(10);
      BigDecimal amount = BigDecimal.valueOf(60 + random.nextInt(200)).setScale(2);
      h.accept(
          Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
              .withRatePlan("BAR")
              .withRate(Rate.of(amount.toPlainString(), "EUR"))
              .build());
      newest.put(day, amount);
      h.batcher.formBatches();
      worker.runOnce();
      h.time.advance(Duration.ofMillis(random.nextInt(2_000)));
    }

    h.settle(worker);

    List<QueueItem> parked = h.db.read(c -> h.queues.list(c, Queues.Filter.all()));
    assertThat(parked).isEmpty();
    Map<CellKey, CellValue> held = h.sim.state("P1");
    newest.forEach(
        (day, amount) ->
            assertThat(held.get(new CellKey("D1", "R1", Engines.TODAY.plusDays(day))).rate())
                .as("day %d", day)
                .isEqualByComparingTo(amount));
    assertThat(h.sim.stats().requests()).isGreaterThan(h.sim.stats().count(200)); // faults hit
    assertThat(h.sim.doubleApplications()).isZero();
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
                    + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan"
                    + " AND t.date = o.date WHERE o.acked_version <> t.version"))
        .isZero();
  }
}
