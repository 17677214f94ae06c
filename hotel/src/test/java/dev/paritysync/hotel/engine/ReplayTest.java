package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ReplayTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static Change rate(int from, int to, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(from), Engines.TODAY.plusDays(to))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  private List<QueueItem> items() {
    return h.db.read(c -> h.queues.list(c, Queues.Filter.all()));
  }

  @Test
  void replaySendsOnlyTheCellsWhoseVersionIsStillTheNewest() {
    h =
        new Harness(
            backend,
            dir,
            SimConfig.healthy(1).toBuilder().withRateFloor(new BigDecimal("50")).build());
    DeliveryWorker worker = h.worker("w1");
    h.accept(rate(1, 2, "10.00")); // both days under the floor: dead letter
    h.settle(worker);
    QueueItem dead = items().get(0);
    h.accept(rate(2, 2, "80.00")); // day 2 superseded, and delivered
    h.settle(worker);
    Replay replay = new Replay(h.db, h.queue, h.queues, h.ledger);

    assertThat(replay.replay(dead.id())).isEqualTo(1);

    List<String> formed = h.batcher.formBatches();
    assertThat(formed).hasSize(1);
    assertThat(
            BatchPayload.fromJson(
                    h.db.read(c -> h.queue.find(c, formed.get(0))).orElseThrow().payload())
                .cells())
        .extracting(BatchPayload.CellVersion::date)
        .containsExactly(Engines.TODAY.plusDays(1));
    assertThat(h.db.read(c -> h.queues.show(c, dead.id())).orElseThrow().state())
        .isEqualTo(QueueItem.State.REPLAYED);
    List<LedgerEntry> trail = h.db.read(c -> h.ledger.bySubject(c, dead.subject()));
    assertThat(trail).extracting(LedgerEntry::kind).contains("batch.replayed");
    h.settle(worker); // the floor still rejects day 1: a new dead letter, day 2 untouched
    assertThat(items()).hasSize(2);
    assertThat(h.sim.state("P1").get(new CellKey("D1", "R1", Engines.TODAY.plusDays(2))).rate())
        .isEqualByComparingTo("80.00");
    assertThatThrownBy(() -> replay.replay(dead.id()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dead.id());
  }
}
