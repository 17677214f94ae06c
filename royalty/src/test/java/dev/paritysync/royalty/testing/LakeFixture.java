package dev.paritysync.royalty.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes sales rows into a lake directory in the shared layout, through DuckDB: {@code
 * sales/source=S/territory=T/period=P/r-<reportKey>-N.parquet} with the snake_case {@code SalesRow}
 * columns, exactly as the lake writer does. Not thread-safe.
 */
public final class LakeFixture {
  private final Path root;
  private final List<Row> rows = new ArrayList<>();
  private int reports;

  public LakeFixture(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** A SALE of {@code quantity} for {@code amount} GBP on spotify/GB SubscriptionModel Stream. */
  public static Row sale(String period, String isrc, String upc, long quantity, String amount) {
    return new Row(period, isrc, upc, quantity, amount);
  }

  /** Adds rows to the next {@link #write()}. */
  public LakeFixture add(Row... more) {
    rows.addAll(List.of(more));
    return this;
  }

  /** Writes the rows added since the last write as one report, and forgets them. */
  public LakeFixture write() {
    String report = "report-" + (++reports) + ".csv";
    String key = reportKey("fixture", report);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE r (source VARCHAR, territory VARCHAR, period VARCHAR, report VARCHAR,"
              + " row_number BIGINT, period_start DATE, period_end DATE, isrc VARCHAR,"
              + " upc VARCHAR, title VARCHAR, artist VARCHAR, commercial_model VARCHAR,"
              + " use_type VARCHAR, quantity BIGINT, amount DECIMAL(18, 6), currency VARCHAR,"
              + " sale_type VARCHAR, normalisations VARCHAR[])");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'A title', 'An artist', ?, ?, ?,"
                  + " ?, ?, ?, []::VARCHAR[])")) {
        long n = 0;
        for (Row row : rows) {
          YearMonth month = YearMonth.parse(row.period);
          ps.setString(1, row.source);
          ps.setString(2, row.territory);
          ps.setString(3, row.period);
          ps.setString(4, report);
          ps.setLong(5, ++n);
          ps.setObject(6, month.atDay(1));
          ps.setObject(7, month.atEndOfMonth());
          ps.setString(8, row.isrc);
          ps.setString(9, row.upc);
          ps.setString(10, row.commercialModel);
          ps.setString(11, row.useType);
          ps.setLong(12, row.quantity);
          ps.setBigDecimal(13, new BigDecimal(row.amount));
          ps.setString(14, row.currency);
          ps.setString(15, row.saleType);
          ps.executeUpdate();
        }
      }
      Files.createDirectories(root.resolve("sales"));
      st.execute(
          "COPY r TO '"
              + root.resolve("sales").toAbsolutePath()
              + "' (FORMAT parquet, PARTITION_BY (source, territory, period),"
              + " OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'r-"
              + key
              + "-{i}')");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.clear();
    return this;
  }

  /** Writes {@code lines} (header first) as a catalog CSV in {@code dir} and returns its path. */
  public static Path catalogCsv(Path dir, String... lines) {
    try {
      Path file = dir.resolve("catalog.csv");
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code digits} (11) plus its GS1 check digit, left-padded to 14 digits. */
  public static String upc(String digits) {
    int sum = 0;
    int weight = 3;
    for (int i = digits.length() - 1; i >= 0; i--) {
      sum += (digits.charAt(i) - '0') * weight;
      weight = weight == 3 ? 1 : 3;
    }
    String code = digits + (10 - sum % 10) % 10;
    return "0".repeat(14 - code.length()) + code;
  }

  static String reportKey(String source, String report) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((source + "\n" + report).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One sales row; setters return {@code this}. Defaults: spotify, GB, SubscriptionModel. */
  public static final class Row {
    String source = "spotify";
    String territory = "GB";
    final String period;
    final String isrc;
    final String upc;
    String commercialModel = "SubscriptionModel";
    String useType = "Stream";
    final long quantity;
    final String amount;
    String currency = "GBP";
    String saleType = "SALE";

    Row(String period, String isrc, String upc, long quantity, String amount) {
      this.period = period;
      this.isrc = isrc;
      this.upc = upc;
      this.quantity = quantity;
      this.amount = amount;
      LocalDate.parse(period + "-01");
    }

    public Row source(String s) {
      source = s;
      return this;
    }

    public Row territory(String t) {
      territory = t;
      return this;
    }

    public Row commercialModel(String m) {
      commercialModel = m;
      return this;
    }

    public Row useType(String u) {
      useType = u;
      return this;
    }

    public Row saleType(String s) {
      saleType = s;
      return this;
    }
  }
}
