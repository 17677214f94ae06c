package dev.paritysync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pruning old rows by id in small transactions, on a real SQLite file and (when {@code
 * PARITYSYNC_PG_URL} is set) PostgreSQL, on virtual time: only rows made before the cutoff go, at
 * most a batch per transaction; rows a condition or predicate keeps stay and do not stall the pass;
 * a spent time budget ends a pass that the next one finishes.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class PrunerTest {
  @Parameter Dialect dialect;
  @TempDir Path dir;
  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  final Ledger ledger = new Ledger(time);
  TestDatabases dbs;
  Database db;

  @BeforeEach
  void open() {
    dbs = TestDatabases.fresh(dialect, dir);
    db = dbs.open();
  }

  @AfterEach
  void close() {
    if (dbs != null) { // null when the PostgreSQL run is skipped (no PARITYSYNC_PG_URL)
      dbs.close();
    }
  }

  private String append(String kind) {
    LedgerEntry e = ledger.entry(kind).withSubject("s").build();
    db.inTransaction(
        c -> {
          ledger.append(c, e);
          return null;
        });
    time.advance(Duration.ofMillis(1));
    return e.id();
  }

  private List<String> ids() {
    return db.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ledger ORDER BY id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Test
  void idBeforeSortsAboveEveryIdMadeEarlierAndAtOrBelowEveryIdMadeThen() {
    String earlier = Ids.next(time);
    time.advance(Duration.ofMillis(1));
    Instant at = time.instant();
    String then = Ids.next(time);

    assertThat(Pruner.idBefore(at)).isGreaterThan(earlier).isLessThanOrEqualTo(then).hasSize(26);
    assertThat(Pruner.idBefore(Instant.EPOCH.minusSeconds(1))).isEqualTo("0".repeat(26));
  }

  @Test
  void deletesOnlyRowsMadeBeforeTheCutoffAtMostABatchPerTransaction() {
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      old.add(append("old"));
    }
    Instant cutoff = time.instant();
    List<String> young = List.of(append("young"), append("young"));

    Pruner.Result r =
        new Pruner(db, time, 3, Duration.ofMinutes(1))
            .prune("ledger", "1 = 1", List.of(), cutoff, id -> false);

    assertThat(r).isEqualTo(new Pruner.Result(7, 3, true)); // 3 + 3 + 1
    assertThat(ids()).containsExactlyElementsOf(young);
    assertThat(
            new Pruner(db, time, 3, Duration.ofMinutes(1))
                .prune("ledger", "1 = 1", List.of(), cutoff, id -> false))
        .isEqualTo(new Pruner.Result(0, 1, true));
  }

  @Test
  void rowsKeptByConditionOrPredicateStayAndThePassStepsOverThem() {
    String keptBySql = append("evidence");
    String keptByJava = append("old");
    List<String> gone = List.of(append("old"), append("old"), append("old"));
    Instant cutoff = time.instant();

    Pruner.Result r =
        new Pruner(db, time, 1, Duration.ofMinutes(1))
            .prune("ledger", "kind <> ?", List.of("evidence"), cutoff, keptByJava::equals);

    assertThat(r.deleted()).isEqualTo(gone.size());
    assertThat(r.finished()).isTrue();
    assertThat(ids()).containsExactly(keptBySql, keptByJava);
  }

  @Test
  void aSpentBudgetEndsThePassAndTheNextPassGoesOn() {
    for (int i = 0; i < 5; i++) {
      append("old");
    }
    Instant cutoff = time.instant();
    // Each read of this clock moves time on by a second: the budget of 1 s is spent by the read
    // after the first transaction.
    Clock stepping =
        new Clock() {
          @Override
          public Instant instant() {
            time.advance(Duration.ofSeconds(1));
            return time.instant();
          }

          @Override
          public long nanoTime() {
            return time.nanoTime();
          }
        };
    Pruner pruner = new Pruner(db, stepping, 2, Duration.ofSeconds(1));

    Pruner.Result first = pruner.prune("ledger", "1 = 1", List.of(), cutoff, id -> false);
    assertThat(first).isEqualTo(new Pruner.Result(2, 1, false));
    assertThat(ids()).hasSize(3);

    Pruner.Result rest = pruner.prune("ledger", "1 = 1", List.of(), cutoff, id -> false);
    assertThat(rest).isEqualTo(new Pruner.Result(2, 1, false));
    assertThat(pruner.prune("ledger", "1 = 1", List.of(), cutoff, id -> false))
        .isEqualTo(new Pruner.Result(1, 1, true));
    assertThat(ids()).isEmpty();
  }

  @Test
  void badSettingsAreRefusedNamingThem() {
    assertThatThrownBy(() -> new Pruner(db, time, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be at least 1, was 0");
    assertThatThrownBy(() -> new Pruner(db, time, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budget must be positive, was PT0S");
  }
}
