package dev.paritysync.royalty.drift;

import dev.paritysync.royalty.parse.CsvRecords;
import dev.paritysync.royalty.parse.ParseWarning;
import dev.paritysync.royalty.parse.ReportFormatException;
import dev.paritysync.royalty.validate.InvalidValueException;
import dev.paritysync.royalty.validate.Isrc;
import dev.paritysync.royalty.validate.Upc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * The label's catalog in the lake: which ISRCs it owns and on which products (UPCs) each appears.
 * {@link #load} reads a CSV with the header columns {@code isrc,upc,title,artist} (any order, case
 * ignored, other columns ignored), normalises ISRC and UPC with {@link Isrc} and {@link Upc}, and
 * replaces {@code <lake>/catalog/catalog.parquet} with one row per distinct (isrc, upc) link. A row
 * without a UPC links the ISRC to no product. Rows that cannot be made valid are left out and
 * returned with their line numbers; nothing is dropped silently. Thread-safe (stateless).
 */
public final class Catalog {
  /** The CSV columns the header must name. */
  public static final List<String> COLUMNS = List.of("isrc", "upc", "title", "artist");

  /** At most this many rejected rows and warnings are kept in a {@link Result}; all are counted. */
  public static final int MAX_LISTED = 1000;

  private Catalog() {}

  /**
   * A catalog row left out.
   *
   * @param line the 1-based line the row starts on
   * @param field the culprit: {@code isrc}, {@code upc} or {@code row} (its shape)
   * @param reason why, naming the value
   */
  public record Rejected(long line, String field, String reason) {
    @Override
    public String toString() {
      return "line " + line + ": " + field + ": " + reason;
    }
  }

  /**
   * What {@link #load} did.
   *
   * @param file the Parquet file written
   * @param rows data rows read (blank lines not counted)
   * @param links distinct (isrc, upc) links written; fewer than the valid rows when rows repeat
   * @param rejectedCount rows left out
   * @param rejected the first {@link #MAX_LISTED} rows left out, in file order
   * @param warnings the first {@link #MAX_LISTED} quoting defects the reader accepted
   */
  public record Result(
      Path file,
      long rows,
      long links,
      long rejectedCount,
      List<Rejected> rejected,
      List<ParseWarning> warnings) {
    /** Copies the lists. */
    public Result {
      rejected = List.copyOf(rejected);
      warnings = List.copyOf(warnings);
    }
  }

  /** The catalog file of {@code lake}: {@code <lake>/catalog/catalog.parquet}. */
  public static Path file(Path lake) {
    return DriftLake.catalog(lake);
  }

  /**
   * Loads {@code csv} (UTF-8, plain or gzip) into {@code lake}'s catalog, replacing the previous
   * one atomically. The CSV streams through DuckDB's appender; Java holds one row at a time.
   *
   * @throws IllegalArgumentException when {@code csv} is missing, empty, has no usable header or an
   *     unclosed quote; the message names the file and line
   * @throws LakeException when the catalog cannot be written
   * @throws IOException when {@code csv} cannot be read
   */
  public static Result load(Path csv, Path lake) throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("catalog " + csv + ": no such file");
    }
    String name = csv.getFileName().toString();
    List<Rejected> rejected = new ArrayList<>();
    List<ParseWarning> warnings = new ArrayList<>();
    long[] counts = new long[2]; // rows, rejected
    Path target = file(lake);
    Path tmp;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), ".catalog-", ".parquet.tmp");
    } catch (IOException e) {
      throw new LakeException("cannot write the catalog under " + target.getParent(), e);
    }
    try (Connection c = DriftLake.duckdb();
        InputStream in = Files.newInputStream(csv);
        CsvRecords records =
            CsvRecords.open(
                in,
                name,
                w -> {
                  if (warnings.size() < MAX_LISTED) {
                    warnings.add(w);
                  }
                })) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE cat (line BIGINT, isrc VARCHAR, upc VARCHAR, title VARCHAR,"
                + " artist VARCHAR)");
      }
      int[] index = header(records, name);
      try (DuckDBAppender appender = ((DuckDBConnection) c).createAppender("main", "cat")) {
        List<String> cells;
        while ((cells = records.next()) != null) {
          if (cells.size() == 1 && cells.get(0).isBlank()) {
            continue;
          }
          counts[0]++;
          Rejected bad = appendRow(appender, records.line(), cells, index);
          if (bad != null) {
            counts[1]++;
            if (rejected.size() < MAX_LISTED) {
              rejected.add(bad);
            }
          }
        }
      }
      long links;
      try (Statement st = c.createStatement()) {
        st.execute(
            "COPY (SELECT isrc, upc, arg_min(title, line) AS title, arg_min(artist, line) AS artist"
                + " FROM cat GROUP BY isrc, upc ORDER BY isrc, upc NULLS FIRST) TO "
                + DriftLake.literal(tmp)
                + " (FORMAT parquet)");
        try (ResultSet rs =
            st.executeQuery("SELECT count(*) FROM read_parquet(" + DriftLake.literal(tmp) + ")")) {
          rs.next();
          links = rs.getLong(1);
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Result(target, counts[0], links, counts[1], rejected, warnings);
    } catch (ReportFormatException e) {
      throw new IllegalArgumentException("catalog " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new LakeException("cannot write the catalog " + target + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Positions of {@link #COLUMNS} in the header record. */
  private static int[] header(CsvRecords records, String name) throws IOException {
    List<String> cells;
    do {
      cells = records.next();
    } while (cells != null && cells.size() == 1 && cells.get(0).isBlank());
    if (cells == null) {
      throw new IllegalArgumentException(
          "catalog " + name + ": empty; expected a header " + String.join(",", COLUMNS));
    }
    List<String> names = new ArrayList<>();
    cells.forEach(h -> names.add(h.strip().toLowerCase(Locale.ROOT)));
    int[] index = new int[COLUMNS.size()];
    for (int i = 0; i < COLUMNS.size(); i++) {
      index[i] = names.indexOf(COLUMNS.get(i));
      if (index[i] < 0) {
        throw new IllegalArgumentException(
            "catalog "
                + name
                + ": line "
                + records.line()
                + ": header has no column '"
                + COLUMNS.get(i)
                + "' (expected "
                + String.join(",", COLUMNS)
                + ", found "
                + String.join(",", cells)
                + ")");
      }
    }
    return index;
  }

  /** Appends one row, or returns why it is left out. */
  private static @Nullable Rejected appendRow(
      DuckDBAppender appender, long line, List<String> cells, int[] index) throws SQLException {
    int needed = 0;
    for (int i : index) {
      needed = Math.max(needed, i + 1);
    }
    if (cells.size() < needed) {
      return new Rejected(
          line, "row", "has " + cells.size() + " cells; the header needs at least " + needed);
    }
    String isrc;
    String upc;
    List<String> notes = new ArrayList<>();
    try {
      isrc = Isrc.normalise(cells.get(index[0]), notes);
    } catch (InvalidValueException e) {
      return new Rejected(line, "isrc", e.getMessage());
    }
    try {
      upc = Upc.normalise(cells.get(index[1]), notes);
    } catch (InvalidValueException e) {
      return new Rejected(line, "upc", e.getMessage());
    }
    appender.beginRow();
    appender.append(line);
    appender.append(isrc);
    if (upc == null) {
      appender.appendNull();
    } else {
      appender.append(upc);
    }
    appender.append(cells.get(index[2]).strip());
    appender.append(cells.get(index[3]).strip());
    appender.endRow();
    return null;
  }
}
