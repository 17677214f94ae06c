package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class IngestTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  VirtualTime time = new VirtualTime(Engines.START);
  Backend.EngineStore store;
  Database db;
  Ingest ingest;

  @BeforeEach
  void open() {
    store = backend.open(dir);
    db = store.db;
    ingest = Engines.ingest(db, time, Map.of("a", Engines.MAPPING, "b", Engines.MAPPING));
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Change rate(String plan, int day, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan(plan)
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  @Test
  void writesTruthAndEveryMappedOutboxInOneVersion() {
    Accepted a = ingest.accept(List.of(rate("BAR", 1, "100.00"), rate("BAR", 2, "110.00")));

    assertThat(a.version()).isEqualTo(1);
    assertThat(a.changeIds()).hasSize(2).doesNotHaveDuplicates();
    assertThat(a.cells()).isEqualTo(2);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_truth WHERE version = 1")).isEqualTo(2);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE pending_version = 1"))
        .isEqualTo(4);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_changes")).isEqualTo(2);
    List<?> trail = db.read(c -> new Ledger(time).byCorrelation(c, a.correlationIds().get(0)));
    assertThat(trail).hasSize(1);
  }

  @Test
  void mergesOnlyTheFieldsAChangeSetsAndVersionsOnlyGrow() {
    ingest.accept(List.of(rate("BAR", 1, "100.00")));
    Accepted second =
        ingest.accept(
            List.of(
                Change.builder("P1", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(1))
                    .withRatePlan("BAR")
                    .withRestrictions(Restrictions.none().withMinLos(2))
                    .build()));

    assertThat(second.version()).isEqualTo(2);
    assertThat(
            Engines.count(
                db,
                "SELECT COUNT(*) FROM ari_truth WHERE rate = '100.00' AND min_los = 2"
                    + " AND version = 2"))
        .isEqualTo(1);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE pending_version = 2"))
        .isEqualTo(2);
  }

  @Test
  void rejectsEveryErrorAtOnceAndWritesNothing() {
    Change bad =
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(1))
            .withRatePlan("BAR")
            .withRate(Rate.of("-1", "EUR"))
            .withAvailability(-2)
            .build();

    assertThatThrownBy(() -> ingest.accept(List.of(rate("BAR", 1, "100.00"), bad)))
        .isInstanceOfSatisfying(
            ChangesRejected.class,
            e ->
                assertThat(e.errors())
                    .extracting(f -> f.path())
                    .containsExactly("changes[1].availability", "changes[1].rate.amount"));
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_truth")).isZero();
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox")).isZero();
    assertThat(Engines.count(db, "SELECT version FROM ari_version")).isZero();
  }

  @Test
  void reportsUnmappedCellsAndKeepsThemOutOfTheOutbox() {
    Accepted a = ingest.accept(List.of(rate("NR", 1, "90.00"), rate("BAR", 1, "100.00")));

    assertThat(a.unmapped()).containsOnlyKeys("a", "b");
    assertThat(a.unmapped().get("a").ratePlans()).containsExactly(Map.entry("NR", 1L));
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_truth")).isEqualTo(2);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE rate_plan = 'NR'"))
        .isZero();
  }

  @Test
  void takesTenThousandCellsInOneCall() {
    List<Change> changes = new ArrayList<>();
    for (int day = 0; day < 700; day++) {
      for (String room : List.of("DBL", "SGL")) {
        for (int i = 0; i < 7; i++) {
          changes.add(
              Change.builder("P1", room, Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
                  .withRatePlan("BAR")
                  .withRate(Rate.of(100 + i + ".00", "EUR"))
                  .withAvailability(i)
                  .build());
        }
      }
    }
    changes = changes.subList(0, 5_000); // 5,000 changes × 2 cells each

    Accepted a = ingest.accept(changes);

    assertThat(a.cells()).isEqualTo(10_000);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE pending_version = 1"))
        .isEqualTo(2 * Engines.count(db, "SELECT COUNT(*) FROM ari_truth"));
  }
}
