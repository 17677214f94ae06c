package dev.paritysync.royalty.lake;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lake's schema, defined once: the columns of its Parquet files (names, DuckDB types, order),
 * the partition keys its paths carry, and the SQL that every writer and reader of the lake builds
 * from them — {@link ReportWriter}'s staging and {@code COPY}, {@link Lake#query}'s view and the
 * drift check's view. The column names are the snake_case of {@code SalesRow}'s; {@code
 * docs/royalty.md} lists them for people. Static and thread-safe.
 */
public final class LakeSchema {
  /** One column: its name and its DuckDB type. */
  record Column(String name, String type) {}

  /** The columns of a lake file, in order. */
  static final List<Column> FILE_COLUMNS =
      List.of(
          new Column("report", "VARCHAR"),
          new Column("row_number", "BIGINT"),
          new Column("period_start", "DATE"),
          new Column("period_end", "DATE"),
          new Column("isrc", "VARCHAR"),
          new Column("upc", "VARCHAR"),
          new Column("title", "VARCHAR"),
          new Column("artist", "VARCHAR"),
          new Column("commercial_model", "VARCHAR"),
          new Column("use_type", "VARCHAR"),
          new Column("quantity", "BIGINT"),
          new Column("amount", "DECIMAL(18,6)"),
          new Column("currency", "VARCHAR"),
          new Column("sale_type", "VARCHAR"),
          new Column("normalisations", "VARCHAR[]"));

  /** The partition keys, in path order ({@code source=…/territory=…/period=…}); all VARCHAR. */
  static final List<String> PARTITION_KEYS = List.of("source", "territory", "period");

  /** The normalisations of a staged row are one string, joined with this character (U+001F). */
  static final char NORMALISATIONS_SEPARATOR = '\u001f';

  private LakeSchema() {}

  /** The directory of the lake at {@code root} that holds the sales files. */
  public static Path sales(Path root) {
    return root.resolve("sales");
  }

  /**
   * A query over every sales file of the lake at {@code root}: the file columns, then {@link
   * #PARTITION_KEYS} from the paths. There must be at least one file ({@link #emptySales} when
   * there is none).
   */
  public static String salesView(Path root) {
    return "SELECT * FROM read_parquet("
        + Lake.literal(
            sales(root.toAbsolutePath().normalize()).toString().replace('\\', '/')
                + "/**/*.parquet")
        + ", hive_partitioning = true, union_by_name = true, hive_types = {"
        + PARTITION_KEYS.stream().map(k -> "'" + k + "': VARCHAR").collect(Collectors.joining(", "))
        + "})";
  }

  /** A query with the columns of {@link #salesView} and no rows. */
  static String emptySales() {
    return "SELECT "
        + Stream.concat(
                FILE_COLUMNS.stream(), PARTITION_KEYS.stream().map(k -> new Column(k, "VARCHAR")))
            .map(c -> "NULL::" + c.type() + " AS " + c.name())
            .collect(Collectors.joining(", "))
        + " WHERE false";
  }

  /**
   * The columns of a staging file, in order, as DuckDB's {@code read_csv} takes them: the file
   * columns but {@code report} (the same on every row), with {@code normalisations} one string
   * (joined with {@link #NORMALISATIONS_SEPARATOR}); then {@code territory, period}.
   */
  static String stagingColumns() {
    return Stream.concat(
            FILE_COLUMNS.stream()
                .skip(1)
                .map(c -> c.type().endsWith("[]") ? new Column(c.name(), "VARCHAR") : c),
            PARTITION_KEYS.stream().skip(1).map(k -> new Column(k, "VARCHAR")))
        .map(c -> "'" + c.name() + "': '" + c.type() + "'")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /**
   * The select list that turns a staging file's columns into the file columns, {@code report} being
   * the SQL literal {@code reportLiteral}.
   */
  static String fileSelect(String reportLiteral) {
    return FILE_COLUMNS.stream()
        .map(
            c -> {
              if (c.name().equals("report")) {
                return reportLiteral + " AS report";
              }
              if (c.type().endsWith("[]")) {
                return "CASE WHEN "
                    + c.name()
                    + " = '' THEN []::"
                    + c.type()
                    + " ELSE string_split("
                    + c.name()
                    + ", chr("
                    + (int) NORMALISATIONS_SEPARATOR
                    + ")) END AS "
                    + c.name();
              }
              return c.name();
            })
        .collect(Collectors.joining(", "));
  }
}
