package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.SimConfig;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The reconciliation timetable on virtual time, against a real simulator that loses a cell. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ReconcileScheduleTest extends ChannelEngineTestBase {
  @Parameter Backend backend;

  @Override
  Backend backend() {
    return backend;
  }

  /**
   * Advances virtual time a second at a time until {@code done}, for at most three hours of it; the
   * loopback answers land in real time meanwhile.
   */
  private void until(BooleanSupplier done) {
    for (int i = 0; i < 3 * 3_600 && !done.getAsBoolean(); i++) {
      time.advance(Duration.ofSeconds(1));
    }
    assertThat(done.getAsBoolean()).as("the awaited scan happened").isTrue();
  }

  @Test
  void lightScansThroughTheDayAndAFullScanAtNightFindAndCorrectALostCell() {
    start("nx", "native", SimConfig.healthy(31), Map.of());
    engine.ingest().accept(List.of(rate(1, "120.00"), rate(2, "121.00"), rate(20, "130.00")));
    runFor(Duration.ofSeconds(5));
    assertThat(engine.status().get("nx").settled()).isTrue();
    sim.drop("P1", new CellKey("D1", "R1", day(2))); // lost: inside the light window
    sim.drop("P1", new CellKey("D1", "R1", day(20))); // lost: only the full scan sees it

    List<ReconciliationReport> reports = new CopyOnWriteArrayList<>();
    // a handful of cells, so one lost is a large share: let the thresholds correct it anyway
    Reconciler reconciler =
        Reconciler.builder()
            .withEngine(engine)
            .withDatabase(db)
            .withClock(time)
            .withThresholds(new Thresholds(10, 100))
            .build();
    // Virtual time is 00:00:05 on day 0: nightly at 01:00, light scans of 7 days every 20 min.
    ReconcileSchedule.Timetable timetable =
        new ReconcileSchedule.Timetable(LocalTime.of(1, 0), 30, Duration.ofMinutes(20), 7);
    try (ReconcileSchedule schedule =
        new ReconcileSchedule(reconciler, List.of("P1"), timetable, time, time, reports::add)) {
      schedule.start();

      until(() -> !reports.isEmpty());
      ReconciliationReport light = reports.get(0);
      assertThat(light.from()).isEqualTo(Engines.TODAY);
      assertThat(light.to()).isEqualTo(Engines.TODAY.plusDays(6));
      assertThat(light.groups().get(0).counts()).containsEntry(DriftClass.MISSING, 1);
      assertThat(light.status()).isEqualTo(ReconciliationReport.Status.AUTO_CORRECTED);

      until(() -> reports.stream().anyMatch(r -> r.to().equals(Engines.TODAY.plusDays(29))));
      ReconciliationReport nightly =
          reports.stream().filter(r -> r.to().equals(Engines.TODAY.plusDays(29))).findFirst().get();
      assertThat(nightly.from()).isEqualTo(Engines.TODAY);
      assertThat(nightly.groups().get(0).counts())
          .as("the light scan already put day 2 back; the night finds day 20")
          .containsEntry(DriftClass.MISSING, 1);
      runFor(Duration.ofSeconds(10));
      assertThat(cell("D1", "R1", 2).rate()).isEqualByComparingTo("121.00");
      assertThat(cell("D1", "R1", 20).rate()).isEqualByComparingTo("130.00");
      // light scans at 00:20 and 00:40 (each 7 days), then the night at 01:00 (30 days)
      assertThat(reports.stream().filter(r -> r.to().equals(Engines.TODAY.plusDays(6))))
          .hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aTimetableNamesWhatIsWrong() {
    assertThatThrownBy(
            () -> new ReconcileSchedule.Timetable(LocalTime.of(3, 0), 0, Duration.ofHours(1), 14))
        .hasMessage("fullDays must be at least 1, was 0");
    assertThatThrownBy(
            () -> new ReconcileSchedule.Timetable(LocalTime.of(3, 0), 30, Duration.ofHours(-1), 14))
        .hasMessage("lightEvery must not be negative, was PT-1H");
  }
}
