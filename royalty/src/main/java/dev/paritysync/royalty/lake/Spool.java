package dev.paritysync.royalty.lake;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A report's staged rows as CSV files: each (territory, period) partition has a file of its own
 * when its first row arrives, so that the commit writes each partition's Parquet file with a plain
 * {@code COPY} of one file, no partitioning and no second scan. Past {@code maxFiles} partitions,
 * new partitions share the files round-robin, and a shared file is written with a partitioned
 * {@code COPY} (in slices when it holds more partitions than DuckDB's memory limit allows at once).
 * Rows go to the operating system's files, not to DuckDB's buffer manager: a staging table larger
 * than DuckDB's memory limit spilled and cost more than parsing the report. Each file has a buffer
 * of {@value #BUFFER} bytes, so the heap stays flat. Not thread-safe.
 */
final class Spool implements AutoCloseable {
  /** At most this many files are open unless another limit is given. */
  static final int MAX_FILES = 256;

  private static final int BUFFER = 1 << 13;

  private final Path dir;
  private final int maxFiles;
  private final Map<String, Map<YearMonth, Partition>> partitions = new HashMap<>();
  private final List<Staged> files = new ArrayList<>();
  private int count;
  private boolean closed;

  Spool(Path dir, int maxFiles) {
    this.dir = dir;
    this.maxFiles = maxFiles;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create staging directory " + dir, e);
    }
  }

  /** The partition ({@code territory}, {@code month}); its file is created on its first row. */
  Partition partition(String territory, YearMonth month) throws IOException {
    Map<YearMonth, Partition> byMonth = partitions.get(territory);
    if (byMonth == null) {
      byMonth = new HashMap<>();
      partitions.put(territory, byMonth);
    }
    Partition p = byMonth.get(month);
    if (p == null) {
      Staged file = nextFile();
      p = new Partition(territory, month.toString(), file);
      file.partitions.add(p);
      byMonth.put(month, p);
    }
    return p;
  }

  /** The staging file of the next new partition: a new one until there are enough, then shared. */
  private Staged nextFile() throws IOException {
    Staged file;
    if (files.size() < maxFiles) {
      Path path = dir.resolve("partition-" + files.size() + ".csv");
      file = new Staged(path, new Buffered(Files.newOutputStream(path), BUFFER));
      files.add(file);
    } else {
      file = files.get(count % maxFiles);
    }
    count++;
    return file;
  }

  /** Flushes and closes every file; returns each file and the partitions it holds. */
  List<Bucket> finish() throws IOException {
    closeFiles();
    List<Bucket> out = new ArrayList<>();
    for (Staged f : files) {
      out.add(new Bucket(f.path, List.copyOf(f.partitions)));
    }
    return out;
  }

  /** One staging file and the partitions whose rows it holds (at least one). */
  record Bucket(Path file, List<Partition> partitions) {}

  /** One partition of the lake, and the staging file that holds its rows. */
  static final class Partition {
    private final String territory;
    private final String period;
    private final Staged file;

    Partition(String territory, String period, Staged file) {
      this.territory = territory;
      this.period = period;
      this.file = file;
    }

    String territory() {
      return territory;
    }

    /** The month, {@code yyyy-MM}. */
    String period() {
      return period;
    }

    /** Appends {@code line}, one staged row with its line end, to the partition's file. */
    void append(StringBuilder line) throws IOException {
      byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
      file.out.write(bytes, 0, bytes.length);
    }
  }

  private static final class Staged {
    private final Path path;
    private final OutputStream out;
    private final List<Partition> partitions = new ArrayList<>(1);

    Staged(Path path, OutputStream out) {
      this.path = path;
      this.out = out;
    }
  }

  /** A buffered stream without {@link java.io.BufferedOutputStream}'s lock per write. */
  private static final class Buffered extends OutputStream {
    private final OutputStream out;
    private final byte[] buffer;
    private int size;

    Buffered(OutputStream out, int capacity) {
      this.out = out;
      this.buffer = new byte[capacity];
    }

    @Override
    public void write(int b) throws IOException {
      if (size == buffer.length) {
        flush();
      }
      buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > buffer.length - size) {
        flushBuffer();
        if (len > buffer.length) {
          out.write(b, off, len);
          return;
        }
      }
      System.arraycopy(b, off, buffer, size, len);
      size += len;
    }

    private void flushBuffer() throws IOException {
      if (size > 0) {
        out.write(buffer, 0, size);
        size = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      flushBuffer();
    }

    @Override
    public void close() throws IOException {
      try (OutputStream closing = out) {
        flushBuffer();
      }
    }
  }

  private void closeFiles() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    for (Staged f : files) {
      try {
        f.out.close();
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
      closeFiles();
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
