package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.store.Dialect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest analyzes the ARI tables after a bulk load on a real PostgreSQL (skipped without {@code
 * PARITYSYNC_PG_URL}; CI sets it), so the batcher's first queries are planned on what the tables
 * hold, and leaves ordinary ingests to autovacuum.
 */
class PlannerStatisticsTest {
  @TempDir Path dir;
  final VirtualTime time = new VirtualTime();
  Backend.EngineStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Change rates(String roomType, int nights) {
    return Change.builder("P1", roomType, Engines.TODAY, Engines.TODAY.plusDays(nights - 1))
        .withRatePlan("BAR")
        .withRate(Rate.of("100.00", "EUR"))
        .build();
  }

  /** When the outbox was last analyzed by hand (not by autovacuum), or null. */
  private String lastAnalyze() {
    return Engines.db1(
        store.db,
        "SELECT CAST(last_analyze AS TEXT) FROM pg_stat_user_tables"
            + " WHERE relid = 'ari_outbox'::regclass");
  }

  @Test
  void aBulkLoadIsAnalyzedInItsTransactionAndAnOrdinaryIngestIsNot() {
    store = Backend.POSTGRESQL.open(dir);
    Ingest ingest = Engines.ingest(store.db, time, Map.of("a", Engines.MAPPING));

    ingest.accept(List.of(rates("DBL", 30)));
    assertThat(lastAnalyze()).as("30 outbox rows: left to autovacuum").isNull();

    ingest.accept(List.of(rates("DBL", 600), rates("SGL", 600)));
    assertThat(lastAnalyze()).as("1,200 outbox rows on 30: analyzed").isNotNull();
    assertThat(
            Engines.count(
                store.db,
                "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = ?::regclass",
                "ari_outbox"))
        .as("the planner knows the outbox's size")
        .isEqualTo(1_200);
  }

  @Test
  void aLoadOfLessThanATenthOfTheOutboxIsLeftToAutovacuum() {
    store = Backend.POSTGRESQL.open(dir);
    Map<String, ChannelMapping> five = new java.util.HashMap<>();
    for (String channel : List.of("a", "b", "c", "d", "e")) {
      five.put(channel, Engines.MAPPING);
    }
    Ingest ingest = Engines.ingest(store.db, time, five);
    // P1's DBL and SGL at BAR, rates and availability, 600 nights, 5 channels: 12,000 outbox rows
    for (String roomType : List.of("DBL", "SGL")) {
      ingest.accept(
          List.of(
              rates(roomType, 600),
              Change.builder("P1", roomType, Engines.TODAY, Engines.TODAY.plusDays(599))
                  .withAvailability(3)
                  .build()));
    }

    assertThat(analyzes(PlannerStatistics.MIN_ROWS - 1)).as("below the floor").isFalse();
    assertThat(analyzes(1_000)).as("1,000 rows on a known 12,000: under a tenth").isFalse();
    assertThat(analyzes(1_200)).as("1,200 on 12,000: a tenth").isTrue();
    boolean sqlite =
        store.db.inTransaction(c -> PlannerStatistics.afterLoad(c, Dialect.SQLITE, 50_000));
    assertThat(sqlite).as("SQLite: never").isFalse();
  }

  private boolean analyzes(long rows) {
    return store.db.inTransaction(c -> PlannerStatistics.afterLoad(c, Dialect.POSTGRESQL, rows));
  }
}
