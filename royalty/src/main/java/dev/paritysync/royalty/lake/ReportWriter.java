package dev.paritysync.royalty.lake;

import dev.paritysync.royalty.SalesRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * Rows of one report on their way into the lake: {@link #accept} appends a row to the staging files
 * ({@link Spool}: CSV, one file per partition), {@link #commit} has DuckDB read them with explicit
 * types and write each partition's Parquet file, two files at a time ({@link Copies}), and replaces
 * the report's files; {@link #close} without commit deletes what was staged and leaves the lake as
 * it was. Not thread-safe.
 */
public final class ReportWriter implements Consumer<SalesRow>, AutoCloseable {
  private static final String NEW_SUFFIX = Replacement.NEW_SUFFIX;

  private static final String SEPARATOR = String.valueOf(LakeSchema.NORMALISATIONS_SEPARATOR);
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000"); // 18 - 6 digits

  private final DuckDBConnection duck;
  private final Path root;
  private final int partitionsPerCopy;
  private final String source;
  private final String report;
  private String key;
  private final Spool spool;
  private final ThreadFactory threads;
  private final StringBuilder line = new StringBuilder(256);
  private final Map<LocalDate, String> dates = new HashMap<>();
  private long rows;
  private boolean done;

  ReportWriter(
      DuckDBConnection duck,
      Path root,
      int partitionsPerCopy,
      int maxFiles,
      String source,
      String report,
      Path staging,
      ThreadFactory threads) {
    this.duck = duck;
    this.threads = threads;
    this.root = root;
    this.partitionsPerCopy = partitionsPerCopy;
    this.source = source;
    this.report = report;
    this.key = Lake.reportKey(source, report);
    this.spool = new Spool(staging, maxFiles);
  }

  /** The report's key, which its file names carry (until {@link #commit(String)} names another). */
  public String key() {
    return key;
  }

  /** Rows appended so far. */
  public long rows() {
    return rows;
  }

  /**
   * Appends one row of this report.
   *
   * @throws IllegalArgumentException when the row belongs to another source or report, or its
   *     amount does not fit {@code DECIMAL(18,6)}
   */
  @Override
  public void accept(SalesRow row) {
    if (done) {
      throw new IllegalStateException("report " + report + " is already committed or closed");
    }
    if (!row.source().equals(source) || !row.report().equals(report)) {
      throw new IllegalArgumentException(
          "row "
              + row.rowNumber()
              + " is of "
              + row.source()
              + "/"
              + row.report()
              + ", not of "
              + source
              + "/"
              + report);
    }
    BigDecimal amount = row.amount();
    List<String> normalisations = row.normalisations();
    if (amount.scale() != 6) {
      BigDecimal scaled = amount.setScale(6, RoundingMode.HALF_EVEN);
      if (scaled.compareTo(amount) != 0) {
        normalisations = new ArrayList<>(normalisations);
        normalisations.add("amount: rounded " + amount.toPlainString() + " to 6 decimals");
      }
      amount = scaled;
    }
    if (amount.abs().compareTo(MAX_AMOUNT) >= 0) {
      throw new IllegalArgumentException(
          report
              + ":"
              + row.rowNumber()
              + ": amount "
              + row.amount().toPlainString()
              + " does not fit the lake's DECIMAL(18,6)");
    }
    Spool.Partition partition;
    try {
      partition = spool.partition(row.territory(), row.partitionMonth());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot stage " + report + ":" + row.rowNumber() + ": " + e.getMessage(), e);
    }
    String period = partition.period();
    StringBuilder b = line;
    b.setLength(0);
    b.append(row.rowNumber()).append(',');
    b.append(text(row.periodStart())).append(',');
    b.append(text(row.periodEnd())).append(',');
    Spool.quoted(b, row.isrc());
    b.append(',');
    if (row.upc() != null) {
      Spool.quoted(b, row.upc());
    }
    b.append(',');
    Spool.quoted(b, row.title());
    b.append(',');
    Spool.quoted(b, row.artist());
    b.append(',');
    Spool.quoted(b, row.commercialModel());
    b.append(',');
    Spool.quoted(b, row.useType());
    b.append(',').append(row.quantity()).append(',').append(amount.toPlainString()).append(',');
    Spool.quoted(b, row.currency());
    b.append(',').append(row.saleType().name()).append(',');
    Spool.quoted(b, joined(normalisations));
    b.append(',');
    Spool.quoted(b, row.territory());
    b.append(',');
    Spool.quoted(b, period);
    b.append('\n');
    try {
      partition.append(b);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot stage " + report + ":" + row.rowNumber() + ": " + e.getMessage(), e);
    }
    rows++;
  }

  /**
   * Replaces the report's files in the lake by the rows appended (none: the report's files are
   * removed), in the steps and with the crash behaviour the {@link Lake} describes.
   *
   * @return the rows written
   */
  public long commit() {
    return commit(report);
  }

  /**
   * As {@link #commit()}, but the files are those of report {@code reportId} ({@link
   * Lake#reportKey}{@code (source, reportId)}): a report known by another name than its rows carry
   * — a DSR by its MessageId, a file export by the DSP's report id — replaces the files of that
   * report, whichever route wrote them.
   *
   * @return the rows written
   */
  public long commit(String reportId) {
    if (done) {
      throw new IllegalStateException("report " + report + " is already committed or closed");
    }
    key = Lake.reportKey(source, reportId);
    done = true;
    Path dir = LakeSchema.sales(root).resolve("source=" + source);
    try {
      String prefix = "r-" + key + "-";
      Replacement.recover(dir);
      deleteFiles(dir, prefix, NEW_SUFFIX);
      if (rows > 0) {
        copyToParquet(dir, prefix + "{uuid}");
      }
      Replacement.commit(dir, prefix);
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot write report " + report + " to the lake: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the files of report " + report, e);
    } finally {
      spool.close();
    }
  }

  /**
   * Adds the rows appended to report {@code reportId}'s files without replacing them, as the files
   * {@code r-<key>-<tag>-N.parquet}: files of an earlier commit with the same {@code tag} are
   * replaced, so committing the same rows under the same tag twice leaves them in the lake once.
   * The files carry the report's key, so the report's next {@link #commit(String)} replaces them
   * with the rest. A replayed dead letter is written so, tagged with its queue item.
   *
   * @param tag letters, digits and {@code -}
   * @return the rows written
   */
  public long commitBeside(String reportId, String tag) {
    if (!tag.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("tag '" + tag + "': letters, digits and '-' only");
    }
    if (done) {
      throw new IllegalStateException("report " + report + " is already committed or closed");
    }
    key = Lake.reportKey(source, reportId);
    done = true;
    Path dir = LakeSchema.sales(root).resolve("source=" + source);
    String prefix = "r-" + key + "-" + tag + "-";
    try {
      Replacement.recover(dir);
      deleteFiles(dir, prefix, NEW_SUFFIX);
      if (rows > 0) {
        copyToParquet(dir, prefix + "{i}");
      }
      Replacement.commit(dir, prefix);
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot add rows to report " + report + " in the lake: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot add rows to the files of report " + report, e);
    } finally {
      spool.close();
    }
  }

  /** A date's text: a report's rows repeat few dates, so their texts are kept (up to 4096). */
  private String text(LocalDate date) {
    String t = dates.get(date);
    if (t == null) {
      if (dates.size() == 4096) {
        dates.clear();
      }
      t = date.toString();
      dates.put(date, t);
    }
    return t;
  }

  private static String joined(List<String> normalisations) {
    if (normalisations.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String n : normalisations) {
      if (b.length() > 0) {
        b.append(SEPARATOR);
      }
      b.append(n.isEmpty() ? " " : n.replace(SEPARATOR, " "));
    }
    return b.toString();
  }

  private void copyToParquet(Path dir, String pattern) throws SQLException, IOException {
    List<String> own = new ArrayList<>();
    try (Statement s = duck.createStatement()) {
      for (Spool.Bucket bucket : spool.finish()) {
        if (bucket.partitions().size() == 1 && plain(bucket.partitions().get(0))) {
          own.add(copyPartition(bucket, dir, pattern));
        } else {
          copyPartitioned(s, bucket, dir, pattern);
        }
      }
    }
    // Two COPYs at once hold two row groups' buffers: at a 16 MB limit they ran out of memory, so
    // two only from 64 MB (partitionsPerCopy is the limit's MiB / 8).
    Copies.run(duck, own, partitionsPerCopy >= 8 ? 2 : 1, threads);
  }

  /** The COPY of one partition's file to its directory, without partitioning. */
  private String copyPartition(Spool.Bucket bucket, Path dir, String pattern) throws IOException {
    Spool.Partition p = bucket.partitions().get(0);
    Path target = dir.resolve("territory=" + p.territory()).resolve("period=" + p.period());
    Files.createDirectories(target);
    String name =
        pattern.replace("{uuid}", UUID.randomUUID().toString()).replace("{i}", "0") + NEW_SUFFIX;
    return "COPY (SELECT "
        + LakeSchema.fileSelect(Lake.literal(report))
        + " FROM "
        + staged(bucket)
        + ") TO "
        + Lake.literal(target.resolve(name).toString())
        + " (FORMAT parquet)";
  }

  /** A file shared by partitions, in slices of at most {@code partitionsPerCopy} partitions. */
  private void copyPartitioned(Statement s, Spool.Bucket bucket, Path dir, String pattern)
      throws SQLException {
    int partitions = bucket.partitions().size();
    int slices = Math.max(1, (partitions + partitionsPerCopy - 1) / partitionsPerCopy);
    for (int slice = 0; slice < slices; slice++) {
      s.execute(
          "COPY (SELECT "
              + LakeSchema.fileSelect(Lake.literal(report))
              + ", territory, period FROM "
              + staged(bucket)
              + (slices == 1 ? "" : " WHERE hash(territory, period) % " + slices + " = " + slice)
              + ") TO "
              + Lake.literal(dir.toString())
              + " (FORMAT parquet, PARTITION_BY (territory, period), FILENAME_PATTERN "
              + Lake.literal(pattern)
              + ", FILE_EXTENSION 'parquet.new', OVERWRITE_OR_IGNORE true)");
    }
  }

  /** DuckDB's reading of a staging file, with explicit types. */
  private static String staged(Spool.Bucket bucket) {
    // DuckDB's reader holds buffers of buffer_size (by default 32 MiB, more than a small memory
    // limit allows); buffers of 2 MiB (its default longest line) also let both threads read one
    // file.
    return "read_csv("
        + Lake.literal(bucket.file().toString())
        + ", columns = "
        + LakeSchema.stagingColumns()
        + ", header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
        + " allow_quoted_nulls = false, strict_mode = true, buffer_size = 2097152,"
        + " max_line_size = 2097152)";
  }

  /** Whether a partition's directory names need no escaping (DuckDB escapes other characters). */
  private static boolean plain(Spool.Partition p) {
    return PLAIN.matcher(p.territory()).matches() && PLAIN.matcher(p.period()).matches();
  }

  /** Drops what was staged unless committed; the lake is unchanged. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    spool.close();
  }

  private static void deleteFiles(Path dir, String prefix, String suffix) throws IOException {
    for (Path p : Replacement.files(dir, prefix, suffix)) {
      Files.deleteIfExists(p);
    }
  }
}
