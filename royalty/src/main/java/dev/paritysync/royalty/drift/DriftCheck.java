package dev.paritysync.royalty.drift;

import dev.paritysync.royalty.lake.LakeSchema;
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
import java.util.Locale;
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
final class DriftCheck {
  /** How many findings and not-judged groups the summary lists. */
  static final int TOP = 10;

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

  /** How many findings pass between two progress statuses while they stream. */
  static final int PROGRESS_EVERY = 1_000;

  /**
   * Runs every rule over {@code period} of {@code lake}, handing each finding to {@code findings}.
   *
   * @throws LakeException when the lake has no sales Parquet files or no catalog, or DuckDB fails
   */
  static DriftSummary run(
      Path lake, YearMonth period, DriftConfig config, Consumer<Finding> findings) {
    return run(lake, period, config, findings, status -> {});
  }

  /**
   * As {@link #run(Path, YearMonth, DriftConfig, Consumer)}, telling {@code progress} what it is
   * doing as it goes: each step before it starts (DuckDB's queries give no progress of their own,
   * so a long step is one status), and the count of findings every {@value #PROGRESS_EVERY} while
   * they stream, e.g. {@code drift 2024-06: 1,204,311 rows; findings 3,000}.
   */
  static DriftSummary run(
      Path lake,
      YearMonth period,
      DriftConfig config,
      Consumer<Finding> findings,
      Consumer<String> progress) {
    DriftLake.requireReadable(lake);
    String head = "drift " + period + ": ";
    progress.accept(head + "opening the lake");
    Map<Rule, Long> counts = new EnumMap<>(Rule.class);
    PriorityQueue<Finding> top = new PriorityQueue<>(BY_AMOUNT);
    try (Connection c = DriftLake.duckdb();
        Statement st = c.createStatement()) {
      st.execute("CREATE TEMP VIEW sales AS " + LakeSchema.salesView(lake));
      st.execute(
          "CREATE TEMP VIEW catalog AS SELECT isrc, upc FROM read_parquet("
              + DriftLake.literal(DriftLake.catalog(lake))
              + ")");
      progress.accept(head + "computing the revenue bands of the trailing periods");
      st.execute(DriftSql.band(period, config));
      progress.accept(head + "counting the period's rows");
      long rowsChecked;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM sales WHERE period = "
                  + DriftLake.literal(period.toString()))) {
        rs.next();
        rowsChecked = rs.getLong(1);
      }
      String counted = head + String.format(Locale.ROOT, "%,d rows", rowsChecked);
      progress.accept(counted + "; finding the groups too short to judge");
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
      progress.accept(counted + "; running the rules");
      long seen = 0;
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
          if (++seen % PROGRESS_EVERY == 0) {
            progress.accept(counted + String.format(Locale.ROOT, "; findings %,d", seen));
          }
        }
      }
      progress.accept(counted + String.format(Locale.ROOT, "; findings %,d, done", seen));
      List<Finding> best = new ArrayList<>(top);
      best.sort(BY_AMOUNT.reversed());
      return new DriftSummary(period, rowsChecked, counts, notJudged, best);
    } catch (SQLException e) {
      throw new LakeException("drift check of " + lake + " failed: " + e.getMessage(), e);
    }
  }
}
