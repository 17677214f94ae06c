package dev.paritysync.store.cluster;

import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link RetryBudget} of one channel for a whole cluster: first attempts and retries are
 * counted in table {@code cluster_budget}, so the retries of every process together stay within one
 * budget.
 *
 * <p>Same rule as {@link RetryBudget}: over a sliding window of ten slices, a retry is allowed
 * while {@code retries < max(minRetries, floor(ratio × requests))}, the product taken in decimal.
 * Ratio and minimum come from the local budget; a slice is {@link RetryBudget#deferral()} long (in
 * whole milliseconds, at least one) and the window ten slices. Slices are numbered {@code
 * floorDiv(epochMillis, sliceMillis)} of the injected clock's wall time, so processes whose clocks
 * agree share slices.
 *
 * <p>{@link #tryRetry()} locks the channel's current slice row ({@code SELECT ... FOR UPDATE} on
 * PostgreSQL; SQLite's write transaction already serialises) before it sums the window, so
 * concurrent retries in the cluster never overdraw it.
 *
 * <p>Thread-safe; each call is one short transaction or read.
 */
public final class SharedBudget {
  private static final int SLICES = 10;

  private final Database db;
  private final Clock clock;
  private final String channel;
  private final BigDecimal exactRatio;
  private final int minRetries;
  private final long sliceMillis;

  /**
   * The budget of {@code channel}, with the ratio, minimum and window of {@code local} (window =
   * {@code local.deferral() × 10}).
   */
  public SharedBudget(Database db, Clock clock, String channel, RetryBudget local) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.channel = Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(local, "local");
    this.exactRatio = BigDecimal.valueOf(local.ratio());
    this.minRetries = local.minRetries();
    this.sliceMillis = Math.max(1, local.deferral().toMillis());
  }

  /**
   * Records a first attempt (not a retry) of the channel.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public void onRequest() {
    db.inTransactionRun(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO cluster_budget (channel, slice, requests, retries)"
                      + " VALUES (?, ?, 1, 0) ON CONFLICT (channel, slice)"
                      + " DO UPDATE SET requests = cluster_budget.requests + 1")) {
            ps.setString(1, channel);
            ps.setLong(2, slice());
            ps.executeUpdate();
          }
        });
  }

  /**
   * Takes one retry from the cluster's budget if it allows one; returns false, taking nothing, when
   * the budget is spent. A refused retry should be deferred by {@link #deferral()}, not dropped.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public boolean tryRetry() {
    return db.inTransaction(
        c -> {
          long slice = slice();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO cluster_budget (channel, slice, requests, retries)"
                      + " VALUES (?, ?, 0, 0) ON CONFLICT (channel, slice) DO NOTHING")) {
            ps.setString(1, channel);
            ps.setLong(2, slice);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT retries FROM cluster_budget WHERE channel = ? AND slice = ?"
                      + RowLocks.forUpdate(db))) {
            ps.setString(1, channel);
            ps.setLong(2, slice);
            ps.executeQuery().close();
          }
          long[] counts = sums(c, slice);
          if (counts[1] >= allowed(counts[0])) {
            return false;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE cluster_budget SET retries = retries + 1"
                      + " WHERE channel = ? AND slice = ?")) {
            ps.setString(1, channel);
            ps.setLong(2, slice);
            ps.executeUpdate();
          }
          return true;
        });
  }

  /** How long to defer a refused retry: one slice of the window, when the oldest counts expire. */
  public Duration deferral() {
    return Duration.ofMillis(sliceMillis);
  }

  /**
   * Requests and retries the whole cluster counted in the current window, and the retries it
   * allows.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public RetryBudget.Usage usage() {
    long slice = slice();
    long[] counts = db.read(c -> sums(c, slice));
    return new RetryBudget.Usage(counts[0], counts[1], allowed(counts[0]));
  }

  /**
   * Deletes this channel's slices older than its window; returns how many. Only this channel's:
   * slice numbers depend on each channel's slice length, which the rows do not record, so a
   * channel's rows can only be judged by its own budget.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public int prune() {
    long oldest = slice() - SLICES + 1;
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM cluster_budget WHERE channel = ? AND slice < ?")) {
            ps.setString(1, channel);
            ps.setLong(2, oldest);
            return ps.executeUpdate();
          }
        });
  }

  private long slice() {
    return Math.floorDiv(clock.millis(), sliceMillis);
  }

  /** {requests, retries} summed over the ten slices ending at {@code slice}. */
  private long[] sums(Connection c, long slice) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(retries), 0) FROM cluster_budget"
                + " WHERE channel = ? AND slice > ? AND slice <= ?")) {
      ps.setString(1, channel);
      ps.setLong(2, slice - SLICES);
      ps.setLong(3, slice);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** max(minRetries, floor(ratio × requests)), computed in decimal as {@link RetryBudget} does. */
  private long allowed(long requests) {
    long share =
        exactRatio
            .multiply(BigDecimal.valueOf(requests))
            .setScale(0, RoundingMode.FLOOR)
            .longValue();
    return Math.max(minRetries, share);
  }
}
