package dev.paritysync.royalty.drift;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The last drift check of each period, kept in the database (tables {@code royalty_drift_runs} and
 * {@code royalty_drift_findings}, migrated with {@link
 * dev.paritysync.royalty.Deliveries#MIGRATIONS}) when {@code paritysync royalty drift} is given
 * {@code --db} or {@code --url}: the counts per rule and the top findings by amount ({@link
 * DriftSummary#top()}); every finding stays in the report files. A new check of a period replaces
 * its record. Thread-safe (stateless); methods run on the caller's connection, inside the caller's
 * transaction.
 */
public final class DriftRuns {
  private DriftRuns() {}

  /**
   * A period's last check.
   *
   * @param period the period checked
   * @param checkedAt when
   * @param rowsChecked lake rows in the period
   * @param findings all findings
   * @param notJudged revenue-per-stream groups with too few trailing periods
   * @param counts findings per rule, in rule order
   * @param files the report files it wrote
   * @param top its top findings by absolute amount, largest first
   */
  public record Run(
      YearMonth period,
      Instant checkedAt,
      long rowsChecked,
      long findings,
      long notJudged,
      Map<Rule, Long> counts,
      List<String> files,
      List<Finding> top) {
    /** Copies the collections. */
    public Run {
      counts = Map.copyOf(counts);
      files = List.copyOf(files);
      top = List.copyOf(top);
    }
  }

  /** Keeps {@code summary}, checked at {@code at} and written to {@code files}, for its period. */
  public static void record(Connection c, DriftSummary summary, Instant at, List<Path> files)
      throws SQLException {
    String period = summary.period().toString();
    for (String table : List.of("royalty_drift_findings", "royalty_drift_runs")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE period = ?")) {
        ps.setString(1, period);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO royalty_drift_runs (period, checked_at, rows_checked, findings,"
                + " not_judged, counts, files) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, period);
      ps.setLong(2, at.toEpochMilli());
      ps.setLong(3, summary.rowsChecked());
      ps.setLong(4, summary.total());
      ps.setLong(5, summary.notJudged().size());
      ps.setString(
          6,
          summary.counts().entrySet().stream()
              .map(e -> e.getKey().id() + "=" + e.getValue())
              .collect(Collectors.joining(",")));
      ps.setString(7, files.stream().map(Path::toString).collect(Collectors.joining("\n")));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO royalty_drift_findings (period, place, rule, source, territory,"
                + " commercial_model, isrc, upc, observed, expected, row_count, quantity, amount)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int place = 1;
      for (Finding f : summary.top()) {
        ps.setString(1, period);
        ps.setInt(2, place++);
        ps.setString(3, f.rule().id());
        ps.setString(4, f.source());
        ps.setString(5, f.territory());
        ps.setString(6, f.commercialModel());
        ps.setString(7, f.isrc());
        ps.setString(8, f.upc());
        ps.setString(9, f.observed());
        ps.setString(10, f.expected());
        ps.setLong(11, f.rows());
        ps.setLong(12, f.quantity());
        ps.setString(13, f.amount().toPlainString());
        ps.executeUpdate();
      }
    }
  }

  /** The last checks of at most {@code limit} periods, the latest checked first. */
  public static List<Run> latest(Connection c, int limit) throws SQLException {
    List<Run> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT period, checked_at, rows_checked, findings, not_judged, counts, files"
                + " FROM royalty_drift_runs ORDER BY checked_at DESC, period DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          YearMonth period = YearMonth.parse(rs.getString(1));
          Map<Rule, Long> counts = new EnumMap<>(Rule.class);
          for (String pair : rs.getString(6).split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
              counts.put(Rule.ofId(pair.substring(0, eq)), Long.parseLong(pair.substring(eq + 1)));
            }
          }
          String files = rs.getString(7);
          out.add(
              new Run(
                  period,
                  Instant.ofEpochMilli(rs.getLong(2)),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  counts,
                  files.isEmpty() ? List.of() : List.of(files.split("\n")),
                  List.of()));
        }
      }
    }
    List<Run> withTop = new ArrayList<>();
    for (Run r : out) {
      withTop.add(
          new Run(
              r.period(),
              r.checkedAt(),
              r.rowsChecked(),
              r.findings(),
              r.notJudged(),
              r.counts(),
              r.files(),
              top(c, r.period())));
    }
    return withTop;
  }

  private static List<Finding> top(Connection c, YearMonth period) throws SQLException {
    List<Finding> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT rule, source, territory, commercial_model, isrc, upc, observed, expected,"
                + " row_count, quantity, amount FROM royalty_drift_findings WHERE period = ?"
                + " ORDER BY place")) {
      ps.setString(1, period.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Finding(
                  Rule.ofId(rs.getString(1)),
                  rs.getString(2),
                  period,
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getLong(9),
                  rs.getLong(10),
                  new BigDecimal(rs.getString(11))));
        }
      }
    }
    return out;
  }
}
