package dev.paritysync.royalty.lake;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A report's staged rows as CSV files, one per bucket of partitions: each (territory, period) is
 * given to a bucket when its first row arrives, {@code partitionsPerBucket} partitions to a bucket,
 * so that one partitioned {@code COPY} per bucket writes every partition from one scan of the rows,
 * with no more partitions open at a time than DuckDB's memory limit allows. Past {@link
 * #MAX_BUCKETS} buckets, partitions share buckets round-robin (and such a bucket is written in
 * slices). Rows go to the operating system's files, not to DuckDB's buffer manager: a staging table
 * larger than DuckDB's memory limit spilled and cost more than parsing the report. Not thread-safe.
 */
final class Spool implements AutoCloseable {
  /** At most this many files are open; a writer's buffers are small, so the heap stays flat. */
  static final int MAX_BUCKETS = 64;

  private static final int BUFFER = 1 << 14;

  private final Path dir;
  private final int partitionsPerBucket;
  private final Map<String, Map<String, Integer>> buckets = new HashMap<>();
  private final List<Writer> writers = new ArrayList<>();
  private final List<Integer> partitionCounts = new ArrayList<>();
  private int partitions;
  private boolean closed;

  Spool(Path dir, int partitionsPerBucket) {
    this.dir = dir;
    this.partitionsPerBucket = partitionsPerBucket;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create staging directory " + dir, e);
    }
  }

  /** The writer of the bucket that holds partition ({@code territory}, {@code period}). */
  Writer writer(String territory, String period) throws IOException {
    Map<String, Integer> byPeriod = buckets.computeIfAbsent(territory, t -> new HashMap<>());
    Integer bucket = byPeriod.get(period);
    if (bucket == null) {
      bucket = (partitions++ / partitionsPerBucket) % MAX_BUCKETS;
      byPeriod.put(period, bucket);
      if (bucket == writers.size()) {
        writers.add(
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file(bucket)), StandardCharsets.UTF_8),
                BUFFER));
        partitionCounts.add(0);
      }
      partitionCounts.set(bucket, partitionCounts.get(bucket) + 1);
    }
    return writers.get(bucket);
  }

  /** Flushes and closes every file; returns each bucket's file and partition count. */
  List<Bucket> finish() throws IOException {
    closeWriters();
    List<Bucket> out = new ArrayList<>();
    for (int i = 0; i < partitionCounts.size(); i++) {
      out.add(new Bucket(file(i), partitionCounts.get(i)));
    }
    return out;
  }

  /** One bucket's file and how many partitions it holds. */
  record Bucket(Path file, int partitions) {}

  private Path file(int bucket) {
    return dir.resolve("bucket-" + bucket + ".csv");
  }

  private void closeWriters() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    for (Writer w : writers) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Closes and deletes the files. */
  @Override
  public void close() {
    try {
      closeWriters();
    } catch (IOException e) {
      // the files are deleted below; what they held is no longer wanted
    }
    try (Stream<Path> left = Files.walk(dir)) {
      for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a stale staging directory under .work is deleted with the lake's spill directory
    }
  }

  /**
   * Appends {@code value} as a CSV field: as it is when it holds no separator, quote, line break or
   * space at either end (the reader then parses it fastest), else quoted with quotes doubled. The
   * empty string is quoted, so that it is not read as NULL.
   */
  static void quoted(StringBuilder line, String value) {
    int n = value.length();
    if (n > 0 && value.charAt(0) > ' ' && value.charAt(n - 1) > ' ') {
      int i = 0;
      while (i < n) {
        char c = value.charAt(i);
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
          break;
        }
        i++;
      }
      if (i == n) {
        line.append(value);
        return;
      }
    }
    line.append('"');
    int from = 0;
    for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) {
      line.append(value, from, i + 1).append('"');
      from = i + 1;
    }
    line.append(value, from, value.length()).append('"');
  }
}
