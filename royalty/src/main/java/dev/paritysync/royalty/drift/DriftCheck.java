package dev.paritysync.royalty.drift;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Checks one period of the lake against the catalog and the trailing periods, with the rules of
 * {@link Rule}. The rules run as DuckDB SQL over the lake's Parquet files; findings stream to a
 * consumer one at a time, ordered by rule, source, territory, commercial model, ISRC and UPC, so a
 * report never sits in Java memory. Thread-safe (stateless); each run opens its own in-memory
 * DuckDB.
 */
public final class DriftCheck {
  /** How many findings and not-judged groups the summary lists. */
  public static final int TOP = 10;

  /** Report order, for ties in {@link #BY_AMOUNT}. */
  private static final Comparator<Finding> BY_KEY =
      Comparator.comparing(Finding::rule)
          .thenComparing(Finding::source)
          .thenComparing(Finding::territory)
          .thenComparing(Finding::isrc)
          .thenComparing(Finding::upc, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** Smaller is less important: smaller absolute amount, fewer rows, later in report order. */
  private static final Comparator<Finding> BY_AMOUNT =
      Comparator.comparing((Finding f) -> f.amount().abs())
          .thenComparingLong(Finding::rows)
          .thenComparing(BY_KEY.reversed());

  private DriftCheck() {}

  /**
   * Runs every rule over {@code period} of {@code lake}, handing each finding to {@code findings}.
   *
   * @throws LakeException when the lake has no sales Parquet files or no catalog, or DuckDB fails
   */
  public static DriftSummary run(
      Path lake, YearMonth period, DriftConfig config, Consumer<Finding> findings) {
    Lake.requireReadable(lake);
    Map<Rule, Long> counts = new EnumMap<>(Rule.class);
    PriorityQueue<Finding> top = new PriorityQueue<>(BY_AMOUNT);
    try (Connection c = Lake.duckdb();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TEMP VIEW sales AS SELECT * FROM read_parquet("
              + Lake.literal(Lake.sales(lake).resolve("**").resolve("*.parquet"))
              + ", hive_partitioning = true, union_by_name = true,"
              + " hive_types = {'source': VARCHAR, 'territory': VARCHAR, 'period': VARCHAR})");
      st.execute(
          "CREATE TEMP VIEW catalog AS SELECT isrc, upc FROM read_parquet("
              + Lake.literal(Lake.catalog(lake))
              + ")");
      st.execute(DriftSql.band(period, config));
      long rowsChecked;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM sales WHERE period = " + Lake.literal(period.toString()))) {
        rs.next();
        rowsChecked = rs.getLong(1);
      }
      List<NotJudged> notJudged = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(DriftSql.notJudged(period, config))) {
        while (rs.next()) {
          notJudged.add(
              new NotJudged(
                  rs.getString("source"),
                  rs.getString("territory"),
                  rs.getString("commercial_model"),
                  rs.getString("currency"),
                  rs.getInt("periods"),
                  config.minPeriods(),
                  rs.getLong("rows")));
        }
      }
      try (ResultSet rs = st.executeQuery(DriftSql.findings(period, config))) {
        while (rs.next()) {
          BigDecimal amount = rs.getBigDecimal("amount");
          Finding f =
              new Finding(
                  Rule.ofId(rs.getString("rule")),
                  rs.getString("source"),
                  period,
                  rs.getString("territory"),
                  rs.getString("commercial_model"),
                  rs.getString("isrc"),
                  rs.getString("upc"),
                  rs.getString("observed"),
                  rs.getString("expected"),
                  rs.getLong("rows"),
                  rs.getLong("quantity"),
                  amount == null ? BigDecimal.ZERO : amount.stripTrailingZeros());
          counts.merge(f.rule(), 1L, Long::sum);
          top.add(f);
          if (top.size() > TOP) {
            top.poll();
          }
          findings.accept(f);
        }
      }
      List<Finding> best = new ArrayList<>(top);
      best.sort(BY_AMOUNT.reversed());
      return new DriftSummary(period, rowsChecked, counts, notJudged, best);
    } catch (SQLException e) {
      throw new LakeException("drift check of " + lake + " failed: " + e.getMessage(), e);
    }
  }
}
