package dev.paritysync.royalty.dsp;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.DeadLetterWriter;
import dev.paritysync.royalty.SaleType;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.store.Database;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the pull: reports with their checkpoints ({@code royalty_reports}) and staged rows
 * ({@code royalty_rows}). Every page is one transaction. Thread-safe (stateless over the database).
 */
final class DspStaging {
  enum State {
    PULLING,
    COMPLETE,
    MISMATCH
  }

  /** Where a report's pull stands. */
  record Checkpoint(
      @Nullable String nextCursor, boolean lastPage, long pages, State state, long requestedAt) {}

  /** One row of a page, validated: {@code valid} or {@code dead} is set. */
  record Staged(
      long rowNumber, String canonical, @Nullable SalesRow valid, @Nullable DeadLetterRow dead) {
    /** The dead letter of a row that is not valid. */
    DeadLetterRow deadLetter() {
      return Objects.requireNonNull(
          dead, () -> "staged row " + rowNumber + " is neither valid nor dead");
    }
  }

  /** What committing a page added: rows new to the store (a replayed page adds none). */
  record Committed(Checkpoint checkpoint, long newValid, long newDead) {}

  /** Staged row count and checksum of a report. */
  record Tally(long rows, String checksum) {}

  /** The valid rows of a report, and its territory and use type when they have only one. */
  record Valid(long rows, @Nullable String territory, @Nullable String useType) {}

  private final Database db;
  private final Queues queues;

  DspStaging(Database db, Queues queues) {
    this.db = db;
    this.queues = queues;
  }

  /**
   * The checkpoint of {@code report}, registering it first if new (requested at {@code now}).
   *
   * @throws ReportMismatchException when the report is known with another manifest
   */
  Checkpoint begin(String source, ReportManifest report, long now) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT expected_rows, expected_checksum, next_cursor, last_page, pages, state,"
                      + " requested_at FROM royalty_reports WHERE source = ? AND report = ?")) {
            ps.setString(1, source);
            ps.setString(2, report.id());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                long rows = rs.getLong(1);
                String checksum = rs.getString(2);
                if (rows != report.rows() || !checksum.equals(report.checksum())) {
                  throw new ReportMismatchException(
                      report.id(),
                      "report "
                          + report.id()
                          + " of source "
                          + source
                          + " was re-issued: staged against rows="
                          + rows
                          + " checksum="
                          + checksum
                          + ", the DSP now lists rows="
                          + report.rows()
                          + " checksum="
                          + report.checksum());
                }
                return new Checkpoint(
                    rs.getString(3),
                    rs.getInt(4) == 1,
                    rs.getLong(5),
                    State.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT)),
                    rs.getLong(7));
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO royalty_reports (source, report, period, expected_rows,"
                      + " expected_checksum, next_cursor, last_page, pages, state, requested_at)"
                      + " VALUES (?, ?, ?, ?, ?, NULL, 0, 0, 'pulling', ?)")) {
            ps.setString(1, source);
            ps.setString(2, report.id());
            ps.setString(3, report.period().toString());
            ps.setLong(4, report.rows());
            ps.setString(5, report.checksum());
            ps.setLong(6, now);
            ps.executeUpdate();
          }
          return new Checkpoint(null, false, 0, State.PULLING, now);
        });
  }

  /**
   * In one transaction: the rows new to the store, a dead letter for each new dead row, and the
   * checkpoint moved past this page.
   *
   * @throws IllegalStateException when the checkpoint moved since {@code at} was read (another
   *     process pulls the same report); nothing is committed then
   */
  Committed commitPage(
      String source, String report, Checkpoint at, List<Staged> rows, @Nullable String nextCursor) {
    return db.inTransaction(
        c -> {
          long newValid = 0;
          long newDead = 0;
          try (PreparedStatement ps = c.prepareStatement(INSERT_ROW)) {
            for (Staged row : rows) {
              bind(ps, source, report, row);
              if (ps.executeUpdate() == 1) {
                if (row.valid() != null) {
                  newValid++;
                } else {
                  newDead++;
                  queues.enter(c, DeadLetterWriter.entry(row.deadLetter()));
                }
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE royalty_reports SET next_cursor = ?, last_page = ?, pages = pages + 1"
                      + " WHERE source = ? AND report = ? AND pages = ? AND state = 'pulling'")) {
            ps.setString(1, nextCursor);
            ps.setInt(2, nextCursor == null ? 1 : 0);
            ps.setString(3, source);
            ps.setString(4, report);
            ps.setLong(5, at.pages());
            if (ps.executeUpdate() != 1) {
              throw new IllegalStateException(
                  "report "
                      + report
                      + " of source "
                      + source
                      + ": the checkpoint moved while page "
                      + (at.pages() + 1)
                      + " was fetched; is another pull of it running?");
            }
          }
          return new Committed(
              new Checkpoint(
                  nextCursor, nextCursor == null, at.pages() + 1, State.PULLING, at.requestedAt()),
              newValid,
              newDead);
        });
  }

  private static final String INSERT_ROW =
      "INSERT INTO royalty_rows (source, report, row_number, valid, canonical, period_start,"
          + " period_end, partition_month, territory, isrc, upc, title, artist, commercial_model,"
          + " use_type, quantity, amount, currency, sale_type, normalisations, dead_field,"
          + " dead_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (source, report, row_number) DO NOTHING";

  private static void bind(PreparedStatement ps, String source, String report, Staged row)
      throws SQLException {
    ps.setString(1, source);
    ps.setString(2, report);
    ps.setLong(3, row.rowNumber());
    ps.setInt(4, row.valid() != null ? 1 : 0);
    ps.setString(5, row.canonical());
    SalesRow v = row.valid();
    if (v != null) {
      ps.setString(6, v.periodStart().toString());
      ps.setString(7, v.periodEnd().toString());
      ps.setString(8, v.partitionMonth().toString());
      ps.setString(9, v.territory());
      ps.setString(10, v.isrc());
      ps.setString(11, v.upc());
      ps.setString(12, v.title());
      ps.setString(13, v.artist());
      ps.setString(14, v.commercialModel());
      ps.setString(15, v.useType());
      ps.setLong(16, v.quantity());
      ps.setString(17, v.amount().toPlainString());
      ps.setString(18, v.currency());
      ps.setString(19, v.saleType().name());
      ps.setString(20, String.join("\n", v.normalisations()));
      ps.setNull(21, Types.VARCHAR);
      ps.setNull(22, Types.VARCHAR);
    } else {
      for (int i = 6; i <= 15; i++) {
        ps.setNull(i, Types.VARCHAR);
      }
      ps.setNull(16, Types.BIGINT);
      for (int i = 17; i <= 20; i++) {
        ps.setNull(i, Types.VARCHAR);
      }
      ps.setString(21, row.deadLetter().field());
      ps.setString(22, row.deadLetter().reason());
    }
  }

  /** The staged row count and the checksum over the staged rows in row order. */
  Tally tally(String source, String report) {
    return db.read(
        c -> {
          MessageDigest sha;
          try {
            sha = MessageDigest.getInstance("SHA-256");
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
          }
          long n = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT canonical FROM royalty_rows WHERE source = ? AND report = ?"
                      + " ORDER BY row_number")) {
            ps.setString(1, source);
            ps.setString(2, report);
            ps.setFetchSize(1_000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sha.update(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                n++;
              }
            }
          }
          return new Tally(n, HexFormat.of().formatHex(sha.digest()));
        });
  }

  /** Rows of {@code report} staged so far, valid and dead. */
  long stagedRows(String source, String report) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM royalty_rows WHERE source = ? AND report = ?")) {
            ps.setString(1, source);
            ps.setString(2, report);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** The valid staged rows of {@code report}, with its single territory and use type if so. */
  Valid valid(String source, String report) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*), COUNT(DISTINCT territory), MIN(territory),"
                      + " COUNT(DISTINCT use_type), MIN(use_type) FROM royalty_rows"
                      + " WHERE source = ? AND report = ? AND valid = 1")) {
            ps.setString(1, source);
            ps.setString(2, report);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new Valid(
                  rs.getLong(1),
                  rs.getLong(2) == 1 ? rs.getString(3) : null,
                  rs.getLong(4) == 1 && !rs.getString(5).isEmpty() ? rs.getString(5) : null);
            }
          }
        });
  }

  /** Marks {@code report} as not matching its manifest, on the caller's transaction. */
  static void markMismatch(Connection c, String source, String report) throws SQLException {
    setState(c, source, report, "mismatch", null);
  }

  /** Marks {@code report} complete at {@code now}, on the caller's transaction. */
  static void markComplete(Connection c, String source, String report, long now)
      throws SQLException {
    setState(c, source, report, "complete", now);
  }

  private static void setState(
      Connection c, String source, String report, String state, @Nullable Long completedAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE royalty_reports SET state = ?, completed_at = ?"
                + " WHERE source = ? AND report = ?")) {
      ps.setString(1, state);
      if (completedAt == null) {
        ps.setNull(2, Types.BIGINT);
      } else {
        ps.setLong(2, completedAt);
      }
      ps.setString(3, source);
      ps.setString(4, report);
      ps.executeUpdate();
    }
  }

  /**
   * Streams the valid staged rows of {@code report} in row order to {@code sink}, on one read
   * connection held for the call.
   */
  void publish(String source, ReportManifest report, ReportSink sink) {
    db.readRun(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT row_number, period_start, period_end, partition_month, territory, isrc,"
                      + " upc, title, artist, commercial_model, use_type, quantity, amount,"
                      + " currency, sale_type, normalisations FROM royalty_rows"
                      + " WHERE source = ? AND report = ? AND valid = 1 ORDER BY row_number")) {
            ps.setString(1, source);
            ps.setString(2, report.id());
            ps.setFetchSize(1_000);
            try (ResultSet rs = ps.executeQuery()) {
              sink.publish(source, report, new Rows(rs, source, report.id()));
            }
          }
        });
  }

  /** Valid staged rows as {@link SalesRow}s, read one ahead from a result set. */
  private static final class Rows implements Iterator<SalesRow> {
    private final ResultSet rs;
    private final String source;
    private final String report;
    private @Nullable Boolean ahead; // null: not read ahead yet

    Rows(ResultSet rs, String source, String report) {
      this.rs = rs;
      this.source = source;
      this.report = report;
    }

    @Override
    public boolean hasNext() {
      if (ahead == null) {
        try {
          ahead = rs.next();
        } catch (SQLException e) {
          throw new dev.paritysync.store.StoreException(
              "reading staged rows of " + report + " failed: " + e.getMessage(), e);
        }
      }
      return ahead;
    }

    @Override
    public SalesRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ahead = null;
      try {
        String notes = rs.getString(16);
        return new SalesRow(
            source,
            report,
            rs.getLong(1),
            LocalDate.parse(rs.getString(2)),
            LocalDate.parse(rs.getString(3)),
            YearMonth.parse(rs.getString(4)),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            rs.getString(10),
            rs.getString(11),
            rs.getLong(12),
            new BigDecimal(rs.getString(13)),
            rs.getString(14),
            SaleType.valueOf(rs.getString(15)),
            notes == null || notes.isEmpty() ? List.of() : Arrays.asList(notes.split("\n")));
      } catch (SQLException e) {
        throw new dev.paritysync.store.StoreException(
            "reading staged rows of " + report + " failed: " + e.getMessage(), e);
      }
    }
  }
}
