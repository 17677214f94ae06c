package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.hotel.reconcile.DriftCell;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReconciliationReport.Group;
import dev.paritysync.hotel.reconcile.ReconciliationReport.Status;
import dev.paritysync.hotel.reconcile.ReportWriters;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reconciliation against a real native-dialect sim made to drift behind the engine's back: values
 * edited (as in an extranet), updates lost, extra and unmapped cells; drift found exactly, small
 * drift re-pushed at once, large drift held until approved.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ReconciliationTest extends ChannelEngineTestBase {
  @Parameter Backend backend;

  @Override
  Backend backend() {
    return backend;
  }

  private static final String CH = "nx";

  /** DBL/BAR rates and SGL availability on days 1–10 (20 cells), then day 3's rate changed. */
  private void startAtParity(SimConfig config) {
    start(CH, "native", config, Map.of());
    List<dev.paritysync.hotel.ari.Change> changes = new ArrayList<>();
    for (int d = 1; d <= 10; d++) {
      changes.add(rate(d, "120.00"));
    }
    changes.add(availability("SGL", 1, 10, 5));
    engine.ingest().accept(changes);
    runFor(Duration.ofSeconds(5));
    engine.ingest().accept(List.of(rate(3, "140.00")));
    runFor(Duration.ofSeconds(5));
    assertThat(engine.status().get(CH).settled()).isTrue();
  }

  private Reconciler reconciler(Thresholds thresholds) {
    return Reconciler.builder()
        .withEngine(engine)
        .withDatabase(db)
        .withClock(time)
        .withThresholds(thresholds)
        .build();
  }

  private ReconciliationReport run(Reconciler r, int from, int to) throws Exception {
    return await(r.run(List.of(CH), List.of("P1"), day(from), day(to)));
  }

  /** Advances virtual time until {@code f} is done; the loopback HTTP answers in real time. */
  private <T> T await(CompletableFuture<T> f) throws Exception {
    for (int i = 0; i < 600 && !f.isDone(); i++) {
      try {
        return f.get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        time.advance(Duration.ofSeconds(1));
      }
    }
    return f.get(10, TimeUnit.SECONDS);
  }

  private static CellValue rateValue(String amount) {
    return new CellValue(new BigDecimal(amount), "EUR", null, null, null, null, null, null);
  }

  private void makeDrift() {
    sim.overwrite("P1", new CellKey("D1", "R1", day(3)), rateValue("120.00")); // older, sent
    sim.overwrite("P1", new CellKey("D1", "R1", day(5)), rateValue("99.00")); // never sent
    sim.drop("P1", new CellKey("S1", null, day(7))); // lost
    sim.overwrite("P1", new CellKey("D1", "R1", day(12)), rateValue("80.00")); // extra
    sim.overwrite(
        "P1",
        new CellKey("X9", null, day(2)), // unmapped room
        new CellValue(null, null, 3, null, null, null, null, null));
  }

  @Test
  void driftIsFoundExactlyAndLargeDriftWaitsForApproval() throws Exception {
    startAtParity(SimConfig.healthy(21).toBuilder().withRateFloor(new BigDecimal("50")).build());
    engine.ingest().accept(List.of(rate(9, "10.00"))); // below the floor: a dead letter
    runFor(Duration.ofSeconds(5));
    makeDrift();
    Reconciler reconciler = reconciler(new Thresholds(3, 100));

    ReconciliationReport report = run(reconciler, 1, 14);

    assertThat(report.status()).isEqualTo(Status.REVIEW);
    Group g = report.groups().get(0);
    assertThat(g.status()).isEqualTo(Status.REVIEW);
    assertThat(g.compared()).isEqualTo(20);
    assertThat(g.counts())
        .containsEntry(DriftClass.STALE, 1)
        .containsEntry(DriftClass.UNKNOWN_VALUE, 2)
        .containsEntry(DriftClass.MISSING, 1)
        .containsEntry(DriftClass.UNMAPPED, 1)
        .containsEntry(DriftClass.QUEUED, 1)
        .containsEntry(DriftClass.IN_FLIGHT, 0);
    assertThat(g.drifted()).isEqualTo(4);
    assertThat(g.driftPercent()).isEqualTo(20.0);
    assertThat(g.cells())
        .extracting(c -> c.kind() + " " + c.roomType() + "/" + c.ratePlan() + " " + c.date())
        .containsExactly(
            "STALE DBL/BAR " + day(3),
            "UNKNOWN_VALUE DBL/BAR " + day(5),
            "QUEUED DBL/BAR " + day(9),
            "UNKNOWN_VALUE DBL/BAR " + day(12),
            "MISSING SGL/null " + day(7),
            "UNMAPPED X9/null null");
    DriftCell stale = g.cells().get(0);
    assertThat(stale.truth().rate().amount()).isEqualByComparingTo("140.00");
    assertThat(stale.channel().rate().amount()).isEqualByComparingTo("120.00");
    assertThat(reconciler.store().awaitingReview()).containsExactly(report.id());

    runFor(Duration.ofSeconds(10));
    assertThat(cell("D1", "R1", 3).rate()).isEqualByComparingTo("120.00"); // not pushed
    assertThat(cell("S1", null, 7)).isNull();

    ReconciliationReport approved = reconciler.approve(report.id(), "rm@example.test");
    assertThat(approved.status()).isEqualTo(Status.APPROVED);
    assertThat(approved.groups().get(0).repushed()).isEqualTo(3);
    runFor(Duration.ofSeconds(10));

    assertThat(cell("D1", "R1", 3).rate()).isEqualByComparingTo("140.00");
    assertThat(cell("D1", "R1", 5).rate()).isEqualByComparingTo("120.00");
    assertThat(cell("S1", null, 7).availability()).isEqualTo(5);
    assertThat(reconciler.store().find(report.id()).orElseThrow().status())
        .isEqualTo(Status.APPROVED);
    assertThat(reconciler.store().awaitingReview()).isEmpty();
    List<LedgerEntry> ledger = db.read(c -> new Ledger(time).bySubject(c, report.id()));
    assertThat(ledger)
        .extracting(LedgerEntry::kind)
        .containsExactly("reconcile.report", "reconcile.repushed", "reconcile.approved");
    assertThatThrownBy(() -> reconciler.approve(report.id(), "rm@example.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reconciliation report " + report.id() + " is APPROVED, not waiting for review");

    ReconciliationReport after = run(reconciler, 1, 14);
    assertThat(after.groups().get(0).drifted()).isEqualTo(1); // the extra cell stays, reported
  }

  @Test
  void smallDriftIsRepushedAtOnceToParity() throws Exception {
    startAtParity(SimConfig.healthy(22));
    sim.drop("P1", new CellKey("S1", null, day(4)));
    Reconciler reconciler = reconciler(Thresholds.DEFAULTS);

    ReconciliationReport report = run(reconciler, 1, 10);

    Group g = report.groups().get(0);
    assertThat(g.status()).isEqualTo(Status.AUTO_CORRECTED);
    assertThat(g.counts()).containsEntry(DriftClass.MISSING, 1);
    assertThat(g.driftPercent()).isEqualTo(5.0);
    assertThat(g.repushed()).isEqualTo(1);
    runFor(Duration.ofSeconds(5));
    assertThat(cell("S1", null, 4).availability()).isEqualTo(5);
    assertThat(run(reconciler, 1, 10).status()).isEqualTo(Status.CLEAN);
  }

  @Test
  void updatesTheChannelSilentlyDroppedAreFoundExactlyAndCorrected() throws Exception {
    start(CH, "native", SimConfig.healthy(24).toBuilder().withPDropUpdate(0.1).build(), Map.of());
    List<dev.paritysync.hotel.ari.Change> changes = new ArrayList<>();
    for (int d = 1; d <= 20; d++) { // no two neighbours alike: one update per cell
      changes.add(rate(d, (100 + d) + ".00"));
      changes.add(availability("SGL", d, d, d % 2 == 0 ? 4 : 5));
    }
    engine.ingest().accept(changes);
    runFor(Duration.ofSeconds(10));
    assertThat(engine.status().get(CH).settled()).isTrue(); // every write answered 200
    Reconciler reconciler = reconciler(new Thresholds(50, 100));
    java.util.Map<String, String> rooms = Map.of("D1", "DBL", "S1", "SGL");

    int rounds = 0;
    ReconciliationReport report;
    do {
      List<String> lost =
          sim.droppedCells("P1").stream()
              .map(
                  k ->
                      rooms.get(k.room())
                          + "/"
                          + (k.ratePlan() == null ? null : "BAR")
                          + " "
                          + k.date())
              .toList();
      if (rounds == 0) {
        assertThat(lost).isNotEmpty();
      }
      report = run(reconciler, 1, 20);
      Group g = report.groups().get(0);
      assertThat(g.cells())
          .allSatisfy(c -> assertThat(c.kind()).isIn(DriftClass.MISSING, DriftClass.STALE))
          .extracting(c -> c.roomType() + "/" + c.ratePlan() + " " + c.date())
          .containsExactlyInAnyOrderElementsOf(lost);
      assertThat(g.drifted()).isEqualTo(lost.size());
      assertThat(g.status()).isEqualTo(lost.isEmpty() ? Status.CLEAN : Status.AUTO_CORRECTED);
      runFor(Duration.ofSeconds(5)); // the re-push, which the channel may drop again
    } while (report.status() != Status.CLEAN && ++rounds < 5);

    assertThat(report.status()).isEqualTo(Status.CLEAN);
    assertThat(sim.droppedCells("P1")).isEmpty();
  }

  @Test
  void aReadThatMeetsAnOutageIsSentAgainUntilTheChannelAnswers() throws Exception {
    startAtParity(SimConfig.healthy(23));
    sim.drop("P1", new CellKey("S1", null, day(6)));
    sim.setOutage(true);
    time.schedule(Duration.ofSeconds(4), () -> sim.setOutage(false));

    ReconciliationReport report = run(reconciler(Thresholds.DEFAULTS), 1, 10);

    Group g = report.groups().get(0);
    assertThat(g.status()).as(g.note()).isEqualTo(Status.AUTO_CORRECTED);
    assertThat(g.counts()).containsEntry(DriftClass.MISSING, 1);
  }

  @Test
  void theReportsShowTheHeatMapAndTheCells() throws Exception {
    startAtParity(SimConfig.healthy(23));
    makeDrift();

    ReconciliationReport report = run(reconciler(new Thresholds(0, 0)), 1, 14);

    String html = ReportWriters.html(report);
    assertThat(html)
        .contains("<div class=\"heatmap\">", "March 2026")
        .contains("title=\"" + day(3) + ": 1 drifted\"")
        .contains("title=\"" + day(4) + ": 0 drifted\"")
        .contains("<tr class=\"STALE\"><td>STALE</td><td>DBL</td><td>BAR</td><td>" + day(3))
        .contains("<td>rate 140.00 EUR</td><td>rate 120.00 EUR</td>")
        .contains("paritysync reconcile approve " + report.id())
        .doesNotContain("<script", "<link", "http://", "https://");
    String csv = ReportWriters.csv(report);
    assertThat(csv.split("\r\n")).hasSize(1 + 5);
    assertThat(csv)
        .contains(report.id() + ",nx,P1,REVIEW,MISSING,SGL,," + day(7) + ",1,availability 5,\r\n");
    assertThat(ReportWriters.json(report)).contains("\"STALE\" : 1", "\"driftPercent\" : 20.0");
  }

  @Test
  void aReadYieldsToPendingPushesOfItsProperty() throws Exception {
    startAtParity(SimConfig.healthy(24));
    engine.ingest().accept(List.of(rate(2, "155.00"))); // pending, not yet batched

    ReconciliationReport report = run(reconciler(Thresholds.DEFAULTS), 1, 10);

    // Had the read gone first, the cell would be QUEUED; it waited, and the push won.
    assertThat(report.status()).isEqualTo(Status.CLEAN);
    assertThat(report.groups().get(0).cells()).isEmpty();
    assertThat(cell("D1", "R1", 2).rate()).isEqualByComparingTo("155.00");
  }

  @Test
  void readsTakeTokensOnlyFromTheReadQuota() throws Exception {
    start(
        CH,
        "native",
        SimConfig.healthy(25),
        Map.of("resilience", Map.of("quotas", Map.of("read", List.of("1/1m")))));
    engine.ingest().accept(List.of(rate(1, "120.00")));
    runFor(Duration.ofSeconds(3));
    Reconciler reconciler = reconciler(Thresholds.DEFAULTS);
    java.time.Instant start = time.instant();

    run(reconciler, 1, 3);
    run(reconciler, 1, 3);

    assertThat(Duration.between(start, time.instant()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(55));
    engine.ingest().accept(List.of(rate(1, "125.00"))); // pushes are not held by the read quota
    runFor(Duration.ofSeconds(3));
    assertThat(cell("D1", "R1", 1).rate()).isEqualByComparingTo("125.00");
  }

  @Test
  void aChannexSnapshotWithoutCurrenciesComparesAmounts() throws Exception {
    start(
        "cx",
        "channex",
        SimConfig.healthy(26),
        Map.of(
            "credentials",
            Map.of("apiKey", Map.of("header", "user-api-key", "value", "${env:CHANNEL_SECRET}"))));
    engine.ingest().accept(List.of(rate(1, "120.00"), rate(2, "130.00")));
    runFor(Duration.ofSeconds(5));
    sim.overwrite("P1", new CellKey("D1", "R1", day(2)), rateValue("131.00"));

    ReconciliationReport report =
        await(reconciler(new Thresholds(0, 0)).run(List.of("cx"), List.of("P1"), day(1), day(2)));

    Group g = report.groups().get(0);
    assertThat(g.compared()).isEqualTo(2);
    assertThat(g.cells())
        .extracting(c -> c.kind() + " " + c.date())
        .containsExactly("UNKNOWN_VALUE " + day(2));
  }

  @Test
  void aChannelWithoutASnapshotApiIsReportedUnreadable() throws Exception {
    start(
        "ota",
        "ota",
        SimConfig.healthy(27),
        Map.of("options", Map.of("hotelCodes", Map.of("P1", "H1"))));

    ReconciliationReport report =
        await(reconciler(Thresholds.DEFAULTS).run(List.of(), List.of("P1"), day(1), day(2)));

    assertThat(report.status()).isEqualTo(Status.UNREADABLE);
    assertThat(report.groups().get(0).note()).isEqualTo("channel cannot be read: no snapshot API");
    assertThatThrownBy(
            () ->
                reconciler(Thresholds.DEFAULTS).run(List.of("nope"), List.of("P1"), day(1), day(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no channel nope; channels: [ota]");
  }
}
