package dev.paritysync.app.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.TestDatabase;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.reconcile.DriftCell;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportStore;
import dev.paritysync.store.cluster.SharedCircuits;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three conditions read from a real, migrated SQLite file. */
class EngineConditionsTest {
  private static final Instant T0 = Instant.parse("2026-03-29T01:00:00Z");

  @TempDir Path dir;
  private final VirtualTime time = new VirtualTime(T0);
  private TestDatabase test;

  @BeforeEach
  void open() {
    test = TestDatabase.sqlite(dir.resolve("conditions.db"));
  }

  @AfterEach
  void close() {
    test.close();
  }

  private EngineConditions conditions() {
    EscalationConfig cfg =
        new EscalationConfig(
            Duration.ofSeconds(30),
            3,
            Duration.ofMinutes(5),
            2,
            Map.of(
                "am",
                new EscalationConfig.Receiver(
                    "am",
                    EscalationConfig.Type.ALERTMANAGER,
                    java.net.URI.create("http://127.0.0.1:9/"),
                    null,
                    Duration.ofMinutes(1),
                    null)));
    return new EngineConditions(
        cfg, test.db, EngineConditions.shared(new SharedCircuits(test.db, time, "w1")));
  }

  private void deadLetter(String id, String channel, Instant at) {
    test.db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO queue_items (id, queue, channel, subject, reason, evidence,"
                      + " attempts, state, created_at) VALUES (?, 'dead_letter', ?, 's', 'auth',"
                      + " '{}', '[]', 'open', ?)")) {
            ps.setString(1, id);
            ps.setString(2, channel);
            ps.setLong(3, at.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static ReconciliationReport review(String id, String channel, int drifted, Instant at) {
    List<DriftCell> cells = new ArrayList<>();
    for (int i = 0; i < drifted; i++) {
      cells.add(
          new DriftCell(
              DriftClass.STALE, "DBL", "BAR", LocalDate.of(2026, 4, 1 + i), null, null, 1L));
    }
    cells.add(
        new DriftCell(DriftClass.QUEUED, "DBL", "BAR", LocalDate.of(2026, 5, 1), null, null, 2L));
    ReconciliationReport.Group g =
        new ReconciliationReport.Group(
            channel, "P1", 40, cells, ReconciliationReport.Status.REVIEW, 0, null);
    return new ReconciliationReport(
        id,
        at,
        LocalDate.of(2026, 4, 1),
        LocalDate.of(2026, 5, 1),
        ReconciliationReport.Status.REVIEW,
        List.of(g));
  }

  @Test
  void nothingHoldsInAnEmptyDatabase() {
    assertThat(conditions().observe(T0)).isEmpty();
  }

  @Test
  void deadLettersCountPerChannelFromTheOldest() {
    deadLetter("01A", "booking", T0.minusSeconds(600));
    deadLetter("01B", "booking", T0.minusSeconds(60));
    deadLetter("01C", "expedia", T0.minusSeconds(60));
    assertThat(conditions().observe(T0))
        .containsExactly(
            new Observation(Observation.DEAD_LETTERS, "booking", 2, 2, T0.minusSeconds(600)));
  }

  @Test
  void driftHeldForReviewSumsDriftedCellsPerChannel() {
    ReportStore reports = new ReportStore(test.db);
    reports.save(review("R1", "booking", 2, T0.minusSeconds(3600)));
    reports.save(review("R2", "booking", 1, T0.minusSeconds(60)));
    reports.save(review("R3", "expedia", 2, T0.minusSeconds(60)));
    assertThat(conditions().observe(T0))
        .as("queued cells are not drift; expedia's 2 are under 3")
        .containsExactly(
            new Observation(Observation.DRIFT, "booking", 3, 3, T0.minusSeconds(3600)));
  }

  @Test
  void aCircuitHoldsOnceOpenForTheLimit() {
    new SharedCircuits(test.db, time, "w1").open("booking", "ari", T0.plusSeconds(30));
    EngineConditions conditions = conditions();
    time.advance(Duration.ofMinutes(4));
    assertThat(conditions.observe(time.instant())).isEmpty();
    time.advance(Duration.ofMinutes(1));
    assertThat(conditions.observe(time.instant()))
        .containsExactly(new Observation(Observation.CIRCUIT_OPEN, "booking", 300, 300, T0));
  }
}
