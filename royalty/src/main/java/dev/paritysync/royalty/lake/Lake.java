package dev.paritysync.royalty.lake;

import dev.paritysync.royalty.SalesRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * The royalty data lake: valid rows as Parquet files under one root directory, written and read
 * through an embedded DuckDB. Layout (see {@code docs/royalty.md}): {@code
 * <root>/sales/source=<source>/territory=<territory>/period=<yyyy-MM>/r-<reportKey>-<uuid>.parquet},
 * where the report key (the first 16 hex characters of the SHA-256 of {@code source + "\n" +
 * report}) names the report, so that ingesting a report again replaces exactly its files.
 *
 * <p><b>Memory.</b> A report is never held in the Java heap: {@link ReportWriter} writes rows to
 * staging CSV files under {@code <root>/.work/duckdb-<uuid>/}, one per partition ({@code Spool}),
 * and {@link ReportWriter#commit} has an embedded in-memory DuckDB read each once (explicit types)
 * and write it as its partition's Parquet file. DuckDB's native memory is capped by {@code
 * memory_limit} (default {@value #DEFAULT_MEMORY_LIMIT}); beyond it DuckDB spills to the same
 * directory. DuckDB runs 2 threads and does not keep insertion order; a commit runs its
 * per-partition {@code COPY}s on two connections of one thread each ({@link Copies}). A staging
 * file shared by several partitions (past {@code Spool.MAX_FILES} partitions) is written by a
 * partitioned COPY, which holds a buffer per open partition, so such a file is written in slices of
 * about one partition per 8 MiB of the limit.
 *
 * <p><b>Replacing a report.</b> {@link ReportWriter#commit} writes the new files as {@code
 * r-<key>-<uuid>.parquet.new} in their partition directories, then swaps them for the report's old
 * {@code r-<key>-*.parquet} files through a roll-forward journal ({@link Replacement}): a crash at
 * any instant leaves either the old report or the new one once the lake is next opened ({@link
 * #open} and {@link #recover} finish an interrupted swap before anything reads). Readers glob
 * {@code *.parquet}: they never see a row twice.
 *
 * <p>Not thread-safe: one thread uses a lake at a time, and one process writes a given report at a
 * time. Close it to delete its spill directory.
 */
public final class Lake implements AutoCloseable {
  /** DuckDB's memory limit unless another is given: {@value}. */
  public static final String DEFAULT_MEMORY_LIMIT = "128MB";

  private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final Path root;
  private final Path tempDirectory;
  private final DuckDBConnection duck;
  private final int partitionsPerCopy;
  private int writers;

  /** Staging files a writer keeps open at most ({@link Spool}); tests set fewer. */
  int maxStagingFiles = Spool.MAX_FILES;

  /** Where a commit's second COPY thread comes from ({@link Copies}); tests count them. */
  ThreadFactory copyThreads =
      r -> {
        Thread t = new Thread(r, "royalty-lake-copy");
        t.setDaemon(true);
        return t;
      };

  private Lake(Path root, Path tempDirectory, DuckDBConnection duck, int partitionsPerCopy) {
    this.root = root;
    this.tempDirectory = tempDirectory;
    this.duck = duck;
    this.partitionsPerCopy = partitionsPerCopy;
  }

  /** Opens (creating if needed) the lake at {@code root} with the default memory limit. */
  public static Lake open(Path root) {
    return open(root, DEFAULT_MEMORY_LIMIT);
  }

  /**
   * Opens (creating if needed) the lake at {@code root}; DuckDB may use {@code memoryLimit} (a
   * DuckDB size such as {@code 256MB}) of native memory.
   *
   * @throws UncheckedIOException when the directories cannot be created
   * @throws IllegalStateException when DuckDB cannot start
   */
  public static Lake open(Path root, String memoryLimit) {
    Objects.requireNonNull(root, "root");
    java.util.regex.Matcher size =
        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)i?B").matcher(memoryLimit);
    if (!size.matches()) {
      throw new IllegalArgumentException(
          "lake memory limit: '" + memoryLimit + "' is not a size such as 128MB");
    }
    double mib =
        Double.parseDouble(size.group(1))
            * Math.pow(1024, "KMGT".indexOf(size.group(2).isEmpty() ? "M" : size.group(2)) - 1);
    // DuckDB's partitioned COPY holds a buffer per open partition and, with hundreds of
    // partitions, runs out of a small memory limit; so each COPY writes a slice of the
    // partitions, about one per 8 MiB of the limit.
    int partitionsPerCopy = (int) Math.max(2, Math.min(64, mib / 8));
    Path abs = root.toAbsolutePath().normalize();
    Path temp = abs.resolve(".work").resolve("duckdb-" + UUID.randomUUID());
    try {
      Files.createDirectories(LakeSchema.sales(abs));
      Files.createDirectories(temp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create lake directories under " + abs, e);
    }
    recover(abs);
    try {
      // In-memory: a staging table beyond the memory limit spills to temp_directory, and unlike
      // an on-disk database it writes no WAL (appending to one was three times slower).
      DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
      try (Statement s = c.createStatement()) {
        s.execute("SET memory_limit = " + literal(memoryLimit));
        s.execute("SET temp_directory = " + literal(temp.toString()));
        s.execute("SET threads = 2");
        s.execute("SET preserve_insertion_order = false");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return new Lake(abs, temp, c, partitionsPerCopy);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start DuckDB for lake " + abs + ": " + e, e);
    }
  }

  /**
   * Finishes every report replacement a crash interrupted in the lake at {@code root} (see {@link
   * Replacement}), so that each report is whole; returns how many it finished. {@link #open} does
   * this; a reader that does not open the lake (the drift check) calls it first.
   *
   * @throws UncheckedIOException when a replacement cannot be finished (the message names it)
   */
  public static int recover(Path root) {
    return Replacement.recoverAll(LakeSchema.sales(root.toAbsolutePath().normalize()));
  }

  /** The lake's root directory (absolute). */
  public Path root() {
    return root;
  }

  /**
   * The name of a report's files: the first 16 hex characters of the SHA-256 of {@code source +
   * "\n" + report}.
   */
  static String reportKey(String source, String report) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((source + "\n" + report).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Starts writing report {@code report} of {@code source}; nothing is visible until {@link
   * ReportWriter#commit}.
   *
   * @throws IllegalArgumentException when {@code source} is not a plain name (letters, digits,
   *     {@code _ . -})
   */
  public ReportWriter begin(String source, String report) {
    if (!SOURCE_NAME.matcher(source).matches()) {
      throw new IllegalArgumentException(
          "source '" + source + "': a lake source name is letters, digits, '_', '.' or '-'");
    }
    Objects.requireNonNull(report, "report");
    return new ReportWriter(
        duck,
        root,
        partitionsPerCopy,
        maxStagingFiles,
        source,
        report,
        tempDirectory.resolve("staging-" + ++writers),
        copyThreads);
  }

  /** Writes {@code rows} as report {@code report}, replacing its previous files; returns rows. */
  public long replaceReport(String source, String report, Iterator<SalesRow> rows) {
    try (ReportWriter w = begin(source, report)) {
      rows.forEachRemaining(w);
      return w.commit();
    }
  }

  /** Rows of one report in the lake. */
  public long count(String source, String report) {
    List<Map<String, Object>> r =
        query(
            "SELECT count(*) AS n FROM sales WHERE source = "
                + literal(source)
                + " AND report = "
                + literal(report));
    return countOf(r);
  }

  /** Rows of one source in the lake. */
  public long count(String source) {
    List<Map<String, Object>> r =
        query("SELECT count(*) AS n FROM sales WHERE source = " + literal(source));
    return countOf(r);
  }

  /** The {@code n} of a {@code SELECT count(*) AS n} result: never null, count(*) has a row. */
  private static long countOf(List<Map<String, Object>> result) {
    return ((Number) Objects.requireNonNull(result.get(0).get("n"), "count(*) AS n")).longValue();
  }

  /**
   * Runs {@code sql} in DuckDB, where the view {@code sales} holds every row of the lake (the file
   * columns plus {@code source}, {@code territory}, {@code period}), and returns the result, one
   * map per row (column label → value). For small results: everything is in memory.
   *
   * @throws IllegalArgumentException with DuckDB's message when the query fails
   */
  public List<Map<String, Object>> query(String sql) {
    try (Statement s = duck.createStatement()) {
      s.execute("CREATE OR REPLACE TEMP VIEW sales AS " + salesSource());
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), rs.getObject(i));
          }
          out.add(row);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalArgumentException("lake query failed: " + e.getMessage(), e);
    }
  }

  private String salesSource() {
    return anyParquet() ? LakeSchema.salesView(root) : LakeSchema.emptySales();
  }

  private boolean anyParquet() {
    try (Stream<Path> files = Files.walk(LakeSchema.sales(root))) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + LakeSchema.sales(root), e);
    }
  }

  /** Closes DuckDB and deletes its spill directory. */
  @Override
  public void close() {
    try {
      duck.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close DuckDB: " + e, e);
    } finally {
      try (Stream<Path> left = Files.walk(tempDirectory)) {
        for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        // a stale spill directory under .work is harmless; the next open uses a new name
      }
    }
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
