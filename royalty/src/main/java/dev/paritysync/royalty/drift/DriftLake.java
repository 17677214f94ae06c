package dev.paritysync.royalty.drift;

import dev.paritysync.royalty.lake.LakeSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The drift check's access to the lake: its paths (the sales layout is {@link LakeSchema}'s), the
 * view over its sales, DuckDB connections that stream, and the check that it can be read.
 */
final class DriftLake {
  private DriftLake() {}

  static Path sales(Path lake) {
    return LakeSchema.sales(lake);
  }

  static Path catalog(Path lake) {
    return lake.resolve("catalog").resolve("catalog.parquet");
  }

  /** A new in-memory DuckDB connection that streams results instead of materialising them. */
  static Connection duckdb() {
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    try {
      return DriverManager.getConnection("jdbc:duckdb:", props);
    } catch (SQLException e) {
      throw new LakeException("cannot start DuckDB: " + e.getMessage(), e);
    }
  }

  /** {@code s} as an SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** {@code path} as an SQL string literal, absolute and with forward slashes. */
  static String literal(Path path) {
    return literal(path.toAbsolutePath().normalize().toString().replace('\\', '/'));
  }

  /**
   * Fails unless {@code lake} has a sales directory holding Parquet files and a catalog; first
   * finishes a report replacement a crash interrupted, so no report is read half-swapped.
   *
   * @throws LakeException naming what is missing, or the replacement that cannot be finished
   */
  static void requireReadable(Path lake) {
    if (!Files.isDirectory(lake)) {
      throw new LakeException("lake " + lake + " is not a directory");
    }
    try {
      dev.paritysync.royalty.lake.Lake.recover(lake);
    } catch (java.io.UncheckedIOException e) {
      throw new LakeException(String.valueOf(e.getMessage()), e);
    }
    Path sales = sales(lake);
    boolean hasParquet;
    try (var files = Files.walk(sales)) {
      hasParquet = files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      hasParquet = false;
    }
    if (!hasParquet) {
      throw new LakeException(
          "lake " + lake + " has no sales: no Parquet files under " + sales + " (ingest first)");
    }
    if (!Files.isRegularFile(catalog(lake))) {
      throw new LakeException(
          "lake "
              + lake
              + " has no catalog at "
              + catalog(lake)
              + " (paritysync royalty catalog load FILE --lake "
              + lake
              + ")");
    }
  }
}
