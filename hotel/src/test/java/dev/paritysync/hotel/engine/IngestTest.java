package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void acceptInTheCallersTransactionSkipsTheExceptedChannelsAndRollsBackWithIt() {
    Accepted a =
        db.inTransaction(c -> ingest.accept(c, List.of(rate("BAR", 1, "100.00")), Set.of("a")));
    assertThat(a.version()).isEqualTo(1);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE channel = 'b'"))
        .isEqualTo(1);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE channel = 'a'")).isZero();

    // the caller's transaction fails after the accept: nothing of it stays
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      ingest.accept(c, List.of(rate("BAR", 2, "120.00")), Set.of());
                      throw new java.sql.SQLException("the caller's own write failed");
                    }))
        .hasMessageContaining("the caller's own write failed");
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_truth")).isEqualTo(1);
    assertThat(Engines.count(db, "SELECT version FROM ari_version")).isEqualTo(1);

    // an invalid change is refused before any statement: the transaction goes on
    Long after =
        db.inTransaction(
            c -> {
              assertThatThrownBy(() -> ingest.accept(c, List.of(rate("NOPE", 1, "1.00")), Set.of()))
                  .isInstanceOf(ChangesRejected.class);
              return ingest.accept(c, List.of(rate("BAR", 3, "130.00")), Set.of()).version();
            });
    assertThat(after).isEqualTo(2);
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

  @Test
  void mergesACellWrittenTwiceInOneCallFieldByFieldLaterChangeWinning() {
    Change minLos =
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(2))
            .withRatePlan("BAR")
            .withRestrictions(Restrictions.none().withMinLos(2))
            .build();

    Accepted a = ingest.accept(List.of(rate("BAR", 1, "100.00"), minLos, rate("BAR", 1, "120.00")));

    assertThat(a.cells()).isEqualTo(4);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_truth")).isEqualTo(2);
    assertThat(
            Engines.db1(
                db,
                "SELECT rate || ' ' || min_los || ' ' || change_id FROM ari_truth WHERE date = ?",
                Engines.TODAY.plusDays(1).toString()))
        .isEqualTo("120.00 2 " + a.changeIds().get(2));
    assertThat(
            Engines.db1(
                db,
                "SELECT COALESCE(rate, '-') || ' ' || min_los || ' ' || change_id FROM ari_truth"
                    + " WHERE date = ?",
                Engines.TODAY.plusDays(2).toString()))
        .isEqualTo("- 2 " + a.changeIds().get(1));
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE pending_version = 1"))
        .isEqualTo(4);
  }

  @Test
  void newestPendingVersionOverwritesAnOlderOneAndLeavesTheVersionInFlightAlone() {
    ingest.accept(List.of(rate("BAR", 1, "100.00")));
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ari_outbox SET inflight_version = pending_version,"
                      + " pending_version = NULL, inflight_batch = 'B1' WHERE channel = 'a'")) {
            return ps.executeUpdate();
          }
        });

    ingest.accept(List.of(rate("BAR", 1, "110.00")));
    ingest.accept(List.of(rate("BAR", 1, "120.00")));

    assertThat(
            Engines.db1(
                db,
                "SELECT pending_version || ' ' || inflight_version || ' ' || inflight_batch"
                    + " FROM ari_outbox WHERE channel = 'a'"))
        .isEqualTo("3 1 B1");
    assertThat(
            Engines.db1(
                db,
                "SELECT pending_version || ' ' || COALESCE(CAST(inflight_version AS VARCHAR(20)), '-')"
                    + " FROM ari_outbox WHERE channel = 'b'"))
        .isEqualTo("3 -");
    assertThat(Engines.db1(db, "SELECT rate FROM ari_truth")).isEqualTo("120.00");
  }

  @Test
  void recordsEveryChangeUnderItsOwnCorrelationId() {
    Accepted a =
        ingest.accept(
            List.of(rate("BAR", 1, "100.00"), rate("BAR", 1, "110.00"), rate("NR", 3, "90.00")));

    for (int i = 0; i < 3; i++) {
      String correlationId = a.correlationIds().get(i);
      List<LedgerEntry> trail = db.read(c -> new Ledger(time).byCorrelation(c, correlationId));
      assertThat(trail)
          .singleElement()
          .satisfies(e -> assertThat(e.kind()).isEqualTo("change.accepted"));
      assertThat(trail.get(0).subject()).isEqualTo(a.changeIds().get(i));
      assertThat(trail.get(0).attributes()).containsEntry("cells", 1);
    }
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_changes WHERE version = 1"))
        .isEqualTo(3);
  }

  private static Ingest.Call call(Change... changes) {
    return new Ingest.Call(List.of(changes), io.opentelemetry.context.Context.root());
  }

  @Test
  void aGroupGivesEachCallItsOwnVersionAndWritesEachCellOnceNewestCallWinning() {
    Change minLos =
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(1))
            .withRatePlan("BAR")
            .withRestrictions(Restrictions.none().withMinLos(2))
            .build();

    List<Accepted> out =
        db.inTransaction(
            c ->
                ingest.acceptAll(
                    c,
                    List.of(
                        call(rate("BAR", 1, "100.00"), rate("BAR", 2, "100.00")),
                        call(minLos),
                        call(rate("BAR", 1, "120.00")),
                        call(rate("NR", 3, "90.00")))));

    assertThat(out).extracting(Accepted::version).containsExactly(1L, 2L, 3L, 4L);
    assertThat(out).extracting(Accepted::cells).containsExactly(2L, 1L, 1L, 1L);
    assertThat(out.get(0).changeIds()).hasSize(2);
    assertThat(out.get(3).unmapped()).containsOnlyKeys("a", "b");
    assertThat(out.get(0).unmapped()).isEmpty();
    // day 1: the rate of call 3 over the rate of call 1, the min stay of call 2; call 3's version
    assertThat(
            Engines.db1(
                db,
                "SELECT rate || ' ' || min_los || ' ' || version || ' ' || change_id"
                    + " FROM ari_truth WHERE date = ?",
                Engines.TODAY.plusDays(1).toString()))
        .isEqualTo("120.00 2 3 " + out.get(2).changeIds().get(0));
    assertThat(
            Engines.db1(
                db,
                "SELECT pending_version FROM ari_outbox WHERE channel = 'a' AND date = ?",
                Engines.TODAY.plusDays(1).toString()))
        .isEqualTo("3");
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_outbox WHERE pending_version = 1"))
        .isEqualTo(2);
    assertThat(Engines.count(db, "SELECT version FROM ari_version")).isEqualTo(4);
    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_changes WHERE version = 1"))
        .isEqualTo(2);
    List<LedgerEntry> trail =
        db.read(c -> new Ledger(time).byCorrelation(c, out.get(1).correlationIds().get(0)));
    assertThat(trail)
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("version", 2));
  }

  @Test
  void aGroupEndsLikeTheSameCallsOneAfterAnother() throws Exception {
    List<Change> one = List.of(rate("BAR", 1, "100.00"), rate("BAR", 2, "101.00"));
    List<Change> two = List.of(rate("BAR", 2, "102.00"), rate("NR", 2, "80.00"));
    db.inTransaction(
        c ->
            ingest.acceptAll(
                c, List.of(call(one.toArray(Change[]::new)), call(two.toArray(Change[]::new)))));
    String grouped = truth();
    store.close();
    store = backend.open(java.nio.file.Files.createDirectories(dir.resolve("sequential")));
    db = store.db;
    ingest = Engines.ingest(db, time, Map.of("a", Engines.MAPPING, "b", Engines.MAPPING));

    ingest.accept(one);
    ingest.accept(two);

    assertThat(truth()).isEqualTo(grouped);
  }

  private String truth() {
    return db.read(
        c -> {
          StringBuilder sb = new StringBuilder();
          try (var ps =
                  c.prepareStatement(
                      "SELECT t.rate_plan, t.date, t.rate, t.version, o.channel,"
                          + " o.pending_version FROM ari_truth t LEFT JOIN ari_outbox o"
                          + " ON o.property = t.property AND o.room_type = t.room_type"
                          + " AND o.rate_plan = t.rate_plan AND o.date = t.date"
                          + " ORDER BY t.rate_plan, t.date, o.channel");
              var rs = ps.executeQuery()) {
            while (rs.next()) {
              for (int i = 1; i <= 6; i++) {
                sb.append(rs.getString(i)).append(i == 6 ? "\n" : " ");
              }
            }
          }
          return sb.toString();
        });
  }

  @Test
  void aGroupRollsBackWithTheCallersTransactionAndRefusesAnInvalidCallWritingNothing() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      ingest.acceptAll(c, List.of(call(rate("BAR", 1, "100.00"))));
                      throw new java.sql.SQLException("the group's key record failed");
                    }))
        .hasMessageContaining("the group's key record failed");
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c ->
                        ingest.acceptAll(
                            c, List.of(call(rate("BAR", 1, "100.00")), call(rate("X", 1, "1"))))))
        .isInstanceOf(ChangesRejected.class);

    assertThat(Engines.count(db, "SELECT COUNT(*) FROM ari_truth")).isZero();
    assertThat(Engines.count(db, "SELECT version FROM ari_version")).isZero();
    List<Accepted> none = db.inTransaction(c -> ingest.acceptAll(c, List.of()));
    assertThat(none).isEmpty();
  }
}
