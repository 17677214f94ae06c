package dev.paritysync.bench.engine;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The baseline: the cells of each call appended by a plain JDBC batch {@code INSERT} to key-less
 * tables with the columns of {@code ari_truth} and {@code ari_outbox}, one transaction per call, on
 * a {@link Database} opened like ingest's. No upsert, no index, no validation: the floor of what
 * SQLite does with the same rows.
 */
final class RawInsert {
  private static final String TRUTH =
      "INSERT INTO raw_truth (property, room_type, rate_plan, date, version, rate, currency,"
          + " availability, min_los, max_los, closed, closed_to_arrival, closed_to_departure,"
          + " change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String OUTBOX =
      "INSERT INTO raw_outbox (channel, property, room_type, rate_plan, date, pending_version)"
          + " VALUES (?, ?, ?, ?, ?, ?)";
  private static final String CHANGE_ID = "01JZZZZZZZZZZZZZZZZZZZZZZZ";

  private RawInsert() {}

  static void createTables(Database db) {
    db.inTransactionRun(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE raw_truth (property TEXT NOT NULL, room_type TEXT NOT NULL,"
                    + " rate_plan TEXT NOT NULL, date VARCHAR(10) NOT NULL, version BIGINT NOT"
                    + " NULL, rate TEXT, currency VARCHAR(3), availability INTEGER, min_los"
                    + " INTEGER, max_los INTEGER, closed INTEGER, closed_to_arrival INTEGER,"
                    + " closed_to_departure INTEGER, change_id VARCHAR(26) NOT NULL)");
            s.execute(
                "CREATE TABLE raw_outbox (channel TEXT NOT NULL, property TEXT NOT NULL,"
                    + " room_type TEXT NOT NULL, rate_plan TEXT NOT NULL, date VARCHAR(10) NOT"
                    + " NULL, pending_version BIGINT, inflight_version BIGINT, inflight_batch"
                    + " VARCHAR(26), acked_version BIGINT)");
          }
        });
  }

  /**
   * Inserts the truth rows of {@code call} and, for each of {@code channels}, its outbox rows (none
   * when empty), in one transaction.
   */
  static void insert(Database db, List<Change> call, long version, List<String> channels) {
    db.inTransactionRun(
        c -> {
          try (PreparedStatement truth = c.prepareStatement(TRUTH)) {
            for (Change change : call) {
              for (LocalDate d = change.from(); !d.isAfter(change.to()); d = d.plusDays(1)) {
                if (change.availability() != null) {
                  bindTruth(truth, change, "", d, version);
                  truth.addBatch();
                }
                if (change.rate() != null || change.restrictions() != null) {
                  bindTruth(truth, change, ratePlan(change), d, version);
                  truth.addBatch();
                }
              }
            }
            truth.executeBatch();
          }
          if (!channels.isEmpty()) {
            insertOutbox(c, call, version, channels);
          }
        });
  }

  private static void insertOutbox(
      Connection c, List<Change> call, long version, List<String> channels) throws SQLException {
    try (PreparedStatement outbox = c.prepareStatement(OUTBOX)) {
      for (String channel : channels) {
        for (Change change : call) {
          for (LocalDate d = change.from(); !d.isAfter(change.to()); d = d.plusDays(1)) {
            String date = d.toString();
            if (change.availability() != null) {
              bindOutbox(outbox, channel, change, "", date, version);
            }
            if (change.rate() != null || change.restrictions() != null) {
              bindOutbox(outbox, channel, change, ratePlan(change), date, version);
            }
          }
        }
      }
      outbox.executeBatch();
    }
  }

  private static void bindOutbox(
      PreparedStatement ps, String channel, Change change, String plan, String date, long version)
      throws SQLException {
    ps.setString(1, channel);
    ps.setString(2, change.property());
    ps.setString(3, change.roomType());
    ps.setString(4, plan);
    ps.setString(5, date);
    ps.setLong(6, version);
    ps.addBatch();
  }

  private static void bindTruth(
      PreparedStatement ps, Change change, String plan, LocalDate date, long version)
      throws SQLException {
    boolean room = plan.isEmpty();
    Restrictions r =
        room || change.restrictions() == null ? Restrictions.none() : change.restrictions();
    ps.setString(1, change.property());
    ps.setString(2, change.roomType());
    ps.setString(3, plan);
    ps.setString(4, date.toString());
    ps.setLong(5, version);
    setString(ps, 6, room || change.rate() == null ? null : change.rate().amount().toPlainString());
    setString(ps, 7, room || change.rate() == null ? null : change.rate().currency());
    setInt(ps, 8, room ? change.availability() : null);
    setInt(ps, 9, r.minLos());
    setInt(ps, 10, r.maxLos());
    setInt(ps, 11, bit(r.closed()));
    setInt(ps, 12, bit(r.closedToArrival()));
    setInt(ps, 13, bit(r.closedToDeparture()));
    ps.setString(14, CHANGE_ID);
  }

  /** The rate plan of a rate or restrictions change, which always names one. */
  private static String ratePlan(Change change) {
    String plan = change.ratePlan();
    if (plan == null) {
      throw new IllegalArgumentException(
          "a rate or restrictions change without a rate plan: " + change);
    }
    return plan;
  }

  private static @Nullable Integer bit(@Nullable Boolean b) {
    return b == null ? null : b ? 1 : 0;
  }

  private static void setString(PreparedStatement ps, int i, @Nullable String v)
      throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private static void setInt(PreparedStatement ps, int i, @Nullable Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }
}
