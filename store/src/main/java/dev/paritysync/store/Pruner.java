package dev.paritysync.store;

import dev.paritysync.core.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Deletes old rows in small transactions, so that retention never holds the write lock long: each
 * transaction looks at the next {@code batchSize} candidate rows by primary key and deletes those
 * that may go; then it commits and lets the writers waiting (an ingest, a claim) in before the next
 * one. A run ends when no candidate is left or when its time budget (read from the injected clock)
 * is spent; the next run goes on from the start.
 *
 * <p>Candidates are found by id: the store's ids are ULIDs ({@link Ids}) that begin with the
 * millisecond they were made, so the rows made before an instant are exactly those whose id sorts
 * below {@link #idBefore}, a range of the primary key on SQLite and PostgreSQL alike. A condition
 * (SQL) and a predicate (Java) may keep candidates; kept ones are stepped over (the next
 * transaction starts after the last id seen), so rows kept forever cost one look per run, not one
 * per transaction.
 *
 * <p>Thread-safe (state lives in the database); one run at a time per table is the caller's to
 * ensure (the engine runs retention on the one worker holding the {@code prune} lease).
 */
public final class Pruner {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Database db;
  private final Clock clock;
  private final int batchSize;
  private final Duration budget;

  /**
   * A pruner deleting at most {@code batchSize} rows per transaction and running at most {@code
   * budget} (by {@code clock}) per call.
   *
   * @throws IllegalArgumentException when {@code batchSize} is below 1 or {@code budget} is not
   *     positive
   */
  public Pruner(Database db, Clock clock, int batchSize, Duration budget) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    Objects.requireNonNull(budget, "budget");
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be positive, was " + budget);
    }
    this.batchSize = batchSize;
    this.budget = budget;
  }

  /** The rows at most one transaction deletes. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The smallest id an {@link Ids} id made at or after {@code at} can have: every id made before
   * {@code at} sorts below it. Instants before the epoch give the smallest id.
   */
  public static String idBefore(Instant at) {
    long time = Math.max(0, at.toEpochMilli());
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = '0';
    }
    return new String(out);
  }

  /**
   * Deletes the rows of {@code table} made before {@code before} (by id) that satisfy {@code
   * condition} and that {@code keep} does not keep, with the rows of the same id in {@code
   * dependents} (deleted first, in the same transaction).
   *
   * @param table the table, with a text primary key {@code id} of {@link Ids} ids
   * @param condition SQL over {@code table}'s columns that a row must meet to go ({@code "1 = 1"}
   *     for any); its {@code ?} take {@code params}
   * @param params the values of {@code condition}'s parameters
   * @param keep ids that must stay whatever their age
   * @return how many rows of {@code table} went
   */
  public Result prune(
      String table,
      String condition,
      List<?> params,
      Instant before,
      Predicate<String> keep,
      String... dependents) {
    String select =
        "SELECT id FROM "
            + table
            + " WHERE id > ? AND id < ? AND ("
            + condition
            + ") ORDER BY id LIMIT ?";
    Instant deadline = clock.instant().plus(budget);
    String bound = idBefore(before);
    String after = "";
    long deleted = 0;
    int transactions = 0;
    while (true) {
      String from = after;
      Chunk chunk =
          db.inTransaction(c -> chunk(c, select, from, bound, params, keep, table, dependents));
      transactions++;
      deleted += chunk.deleted;
      if (chunk.last == null || chunk.seen < batchSize) {
        return new Result(deleted, transactions, true);
      }
      after = chunk.last;
      if (!clock.instant().isBefore(deadline)) {
        return new Result(deleted, transactions, false);
      }
    }
  }

  private Chunk chunk(
      Connection c,
      String select,
      String after,
      String bound,
      List<?> params,
      Predicate<String> keep,
      String table,
      String[] dependents)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(select)) {
      int i = 1;
      ps.setString(i++, after);
      ps.setString(i++, bound);
      for (Object p : params) {
        ps.setObject(i++, p);
      }
      ps.setInt(i, batchSize);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return new Chunk(0, 0, null);
    }
    List<String> doomed = ids.stream().filter(keep.negate()).toList();
    int deleted = 0;
    if (!doomed.isEmpty()) {
      String marks = String.join(", ", Collections.nCopies(doomed.size(), "?"));
      for (String dependent : dependents) {
        delete(c, "DELETE FROM " + dependent + " WHERE id IN (" + marks + ")", doomed);
      }
      deleted = delete(c, "DELETE FROM " + table + " WHERE id IN (" + marks + ")", doomed);
    }
    return new Chunk(ids.size(), deleted, ids.get(ids.size() - 1));
  }

  private static int delete(Connection c, String sql, List<String> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      return ps.executeUpdate();
    }
  }

  private record Chunk(int seen, int deleted, @Nullable String last) {}

  /**
   * What one {@link #prune} call did.
   *
   * @param deleted rows of the table deleted
   * @param transactions transactions committed
   * @param finished false when the time budget ended the call with candidates left
   */
  public record Result(long deleted, int transactions, boolean finished) {}
}
