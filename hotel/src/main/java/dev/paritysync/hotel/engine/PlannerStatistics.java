package dev.paritysync.hotel.engine;

import dev.paritysync.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps PostgreSQL's planner statistics of the ARI tables current after a bulk load.
 *
 * <p>Autovacuum analyzes a table at its next round (a minute by default) once a tenth of it has
 * changed. Until then a table filled by one large ingest keeps the statistics of its empty self,
 * and the planner, expecting one outbox row, joined each pending row to a whole property's truth by
 * a rescan: the batcher's query read 40,000 pages and took 250 ms instead of a few (issue 13;
 * docs/benchmarks.md, "Cluster scale"). PostgreSQL's manual asks for {@code ANALYZE} after
 * populating a table; the ingest does it in its own transaction when that transaction wrote at
 * least {@value #MIN_ROWS} outbox rows and a tenth of the outbox (autovacuum's own measure), so a
 * first sync is planned right from its first batch. {@code SKIP_LOCKED}: it never waits for
 * autovacuum or another worker's {@code ANALYZE}, it leaves those tables to them. The column
 * statistics commit with the rows; the row count in {@code pg_class} is written at once, so a load
 * that rolls back leaves a count too large until the next {@code ANALYZE} corrects it.
 *
 * <p>SQLite: nothing. Its planner reaches a cell through the primary key whatever it knows.
 */
final class PlannerStatistics {
  /** The fewest outbox rows one transaction writes before it analyzes. */
  static final int MIN_ROWS = 1_000;

  private static final String ANALYZE = "ANALYZE (SKIP_LOCKED) ari_outbox, ari_truth, ari_changes";

  private PlannerStatistics() {}

  /**
   * Analyzes the ARI tables inside {@code c}'s transaction when it wrote {@code outboxRows} outbox
   * rows, at least {@value #MIN_ROWS} and a tenth of the outbox as the planner last knew it.
   *
   * @return whether it analyzed
   */
  static boolean afterLoad(Connection c, Dialect dialect, long outboxRows) throws SQLException {
    if (dialect != Dialect.POSTGRESQL || outboxRows < MIN_ROWS) {
      return false;
    }
    // reltuples: the outbox's size at its last ANALYZE or VACUUM, -1 (PostgreSQL 14+) before any
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT reltuples FROM pg_class WHERE oid = 'ari_outbox'::regclass");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next() && outboxRows < Math.max(0, rs.getDouble(1)) / 10) {
        return false;
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(ANALYZE);
    }
    return true;
  }
}
