package dev.paritysync.bench.royalty;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.FileIngest;
import dev.paritysync.royalty.RunMetrics;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The royalty ingest benchmark: generates a seeded distributor CSV ({@code Sale Month, Store,
 * Artist, Title, ISRC, UPC, Quantity, Country of Sale, Earnings (USD)}; 1 in 1,000 rows has a bad
 * ISRC and becomes a dead letter), ingests it through {@link FileIngest} (parse, validate, DuckDB
 * staging, partitioned Parquet, dead letters and delivery into SQLite) and prints rows/s, the peak
 * heap, the largest heap after a collection (the live set) and the peak RSS (DuckDB's native memory
 * included). Baseline in the same run: DuckDB's own {@code read_csv} of the same file written to
 * one Parquet file, with the same memory limit and threads — the practical parse limit. Then the
 * same for a generated DDEX DSR flat file ({@link DsrReport}, default 2,000,000 sales lines), the
 * baseline being DuckDB reading it as a plain TSV (every line a record). The ratio printed is
 * DuckDB's time over the ingest's, over the same file.
 *
 * <p>Arguments: {@code --rows=<n>} (default 10,000,000), {@code --territories=<n>} (default 60),
 * {@code --months=<n>} (default 3), {@code --dir=<path>} (default {@code
 * bench/target/royalty-ingest}), {@code --memory-limit=<size>} (DuckDB, default {@value
 * Lake#DEFAULT_MEMORY_LIMIT}), {@code --seed=<long>} (default 20261124), {@code --keep} (keep the
 * generated report), {@code --dsr-rows=<n>} (default 2,000,000), {@code --format=csv|dsr|both}
 * (default both). Run with {@code -Xmx256m} (bench/royalty-ingest.sh does). Output is Markdown.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class RoyaltyIngestBench {
  static final long DEFAULT_SEED = 20261124L;
  static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";
  static final String[] STORES = {"Spotify", "Apple Music", "YouTube Music", "Deezer", "Tidal"};

  private RoyaltyIngestBench() {}

  /** One benchmark's settings. */
  private record Settings(
      long rows,
      long dsrRows,
      int territories,
      int months,
      Path dir,
      String memoryLimit,
      long seed,
      boolean keep,
      String format) {}

  /** Runs the benchmark with the arguments above and prints its tables to stdout. */
  public static void main(String[] args) throws Exception {
    long rows = 10_000_000;
    long dsrRows = 2_000_000;
    int territories = 60;
    int months = 3;
    Path dir = Path.of("bench", "target", "royalty-ingest");
    String memoryLimit = Lake.DEFAULT_MEMORY_LIMIT;
    long seed = DEFAULT_SEED;
    boolean keep = false;
    String format = "both";
    for (String arg : args) {
      if (arg.startsWith("--rows=")) {
        rows = Long.parseLong(arg.substring("--rows=".length()).replace("_", ""));
      } else if (arg.startsWith("--dsr-rows=")) {
        dsrRows = Long.parseLong(arg.substring("--dsr-rows=".length()).replace("_", ""));
      } else if (arg.startsWith("--territories=")) {
        territories = Integer.parseInt(arg.substring("--territories=".length()));
      } else if (arg.startsWith("--months=")) {
        months = Integer.parseInt(arg.substring("--months=".length()));
      } else if (arg.startsWith("--dir=")) {
        dir = Path.of(arg.substring("--dir=".length()));
      } else if (arg.startsWith("--memory-limit=")) {
        memoryLimit = arg.substring("--memory-limit=".length());
      } else if (arg.startsWith("--seed=")) {
        seed = Long.parseLong(arg.substring("--seed=".length()));
      } else if (arg.startsWith("--format=")) {
        format = arg.substring("--format=".length());
      } else if (arg.equals("--keep")) {
        keep = true;
      } else {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + "; expected --rows=, --dsr-rows=, --format=, --territories=, --months=, --dir=,"
                + " --memory-limit=, --seed=, --keep");
      }
    }
    if (territories < 1 || territories > 200 || months < 1 || months > 12) {
      throw new IllegalArgumentException("--territories: 1..200, --months: 1..12");
    }
    if (!format.equals("csv") && !format.equals("dsr") && !format.equals("both")) {
      throw new IllegalArgumentException("--format: csv, dsr or both, not '" + format + "'");
    }
    Settings settings =
        new Settings(rows, dsrRows, territories, months, dir, memoryLimit, seed, keep, format);
    AtomicLong maxLive = new AtomicLong();
    watchCollections(maxLive);
    if (!format.equals("dsr")) {
      run(settings, false, maxLive);
    }
    if (!format.equals("csv")) {
      run(settings, true, maxLive);
    }
  }

  private static void run(Settings settings, boolean dsr, AtomicLong maxLive) throws Exception {
    Clock clock = Clock.system();
    Path dir = settings.dir();
    String memoryLimit = settings.memoryLimit();
    deleteTree(dir);
    Files.createDirectories(dir);
    Path file = dir.resolve(dsr ? "dsr-report.tsv" : "distributor-report.csv");

    long t0 = clock.nanoTime();
    long rows;
    long dead;
    if (dsr) {
      long[] written =
          DsrReport.generate(
              file, settings.dsrRows(), settings.territories(), settings.months(), settings.seed());
      rows = written[0];
      dead = written[1];
    } else {
      rows = settings.rows();
      dead = generate(file, rows, settings.territories(), settings.months(), settings.seed());
    }
    Duration generated = Duration.ofNanos(clock.nanoTime() - t0);
    long bytes = Files.size(file);

    System.gc();
    maxLive.set(0);
    resetPeaks();

    FileIngest.Ingested result = ingest(dir, file, dsr, memoryLimit, clock, rows, dead);
    long peakHeap = peakHeap();
    long rssAfterIngest = rssPeakKb();

    long d0 = clock.nanoTime();
    long duckRows =
        dsr
            ? duckdbReadTsv(file, dir.resolve("duckdb.parquet"), memoryLimit)
            : duckdbReadCsv(file, dir.resolve("duckdb.parquet"), memoryLimit);
    Duration duck = Duration.ofNanos(clock.nanoTime() - d0);
    long lines = dsr ? lineCount(file) : rows;
    if (duckRows != lines) {
      throw new IllegalStateException("DuckDB read " + duckRows + " records, expected " + lines);
    }
    print(
        settings,
        dsr,
        result,
        duck,
        duckRows,
        bytes,
        generated,
        peakHeap,
        maxLive.get(),
        rssAfterIngest);
    if (!settings.keep()) {
      deleteTree(dir);
    }
  }

  /** Ingests {@code file} into a fresh store and lake, checking the counts. */
  private static FileIngest.Ingested ingest(
      Path dir, Path file, boolean dsr, String memoryLimit, Clock clock, long rows, long dead)
      throws IOException {
    String source = dsr ? "dsp" : "distributor";
    FileIngest.Ingested result;
    try (Database db =
            Database.open(
                DatabaseConfig.builder()
                    .withSqliteFile(dir.resolve("store.db"))
                    .withMigrations(Deliveries.MIGRATIONS)
                    .build());
        Lake lake = Lake.open(dir.resolve("lake"), memoryLimit)) {
      FileIngest ingest =
          new FileIngest(db, lake, clock, new RunMetrics(new SimpleMeterRegistry()));
      result =
          (FileIngest.Ingested)
              ingest.ingest(
                  file,
                  SourceConfig.defaults(
                      source, dsr ? SourceConfig.Format.DSR : SourceConfig.Format.CSV),
                  Strictness.STRICT,
                  false,
                  w -> {},
                  p ->
                      System.err.printf(
                          Locale.ROOT, "  %,d rows, %,.0f rows/s%n", p.rows(), p.rowsPerSecond()));
      long inLake = lake.count(source);
      if (inLake != result.summary().valid()
          || result.summary().deadLettered() != dead
          || result.summary().rowsRead() != rows) {
        throw new IllegalStateException(
            "read "
                + result.summary().rowsRead()
                + " of "
                + rows
                + " rows; lake holds "
                + inLake
                + " rows, valid "
                + result.summary().valid()
                + "; dead letters "
                + result.summary().deadLettered()
                + ", generated "
                + dead);
      }
    }
    return result;
  }

  private static void print(
      Settings settings,
      boolean dsr,
      FileIngest.Ingested result,
      Duration duck,
      long duckRows,
      long bytes,
      Duration generated,
      long peakHeap,
      long maxLive,
      long rssKb) {
    RunSummary s = result.summary();
    double ours = result.rowsPerSecond();
    double theirs = RunMetrics.rate(duckRows, duck);
    // The ratio is of times over the same file: for the CSV the same as of rows/s, for the DSR
    // (DuckDB reads every line as a record, the ingest yields one row per sales line) the only
    // fair one.
    double ratio = (double) duck.toNanos() / result.elapsed().toNanos();
    System.out.printf(
        Locale.ROOT,
        "### Royalty ingest: %,d rows (%,.0f MB %s, %d territories × %d months,"
            + " generated in %.1f s)%n%n",
        s.rowsRead(),
        bytes / 1e6,
        dsr ? "DSR flat file" : "distributor CSV",
        settings.territories(),
        settings.months(),
        generated.toMillis() / 1000.0);
    System.out.println("| run | rows | seconds | rows/s | ratio (time) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    System.out.printf(
        Locale.ROOT,
        "| paritysync royalty ingest (parse, validate, lake, dead letters) | %,d | %.1f | %,.0f |"
            + " %.2f |%n",
        s.rowsRead(),
        result.elapsed().toMillis() / 1000.0,
        ours,
        ratio);
    System.out.printf(
        Locale.ROOT,
        "| DuckDB %s → one Parquet file (baseline) | %,d | %.1f | %,.0f | 1.00 |%n%n",
        dsr ? "read_csv as TSV (every line a record)" : "read_csv",
        duckRows,
        duck.toMillis() / 1000.0,
        theirs);
    System.out.printf(
        Locale.ROOT,
        "valid %,d, dead letters %,d, rejection %.2f%%; max heap %d MB, peak heap used %d MB,"
            + " largest heap after GC %d MB, peak RSS of the process so far %d MB (DuckDB"
            + " memory_limit %s)%n%n",
        s.valid(),
        s.deadLettered(),
        s.rejectionRate() * 100,
        Runtime.getRuntime().maxMemory() >> 20,
        peakHeap >> 20,
        maxLive >> 20,
        rssKb >> 10,
        settings.memoryLimit());
  }

  private static long lineCount(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  /** Writes the report; returns how many rows carry a bad ISRC. */
  static long generate(Path csv, long rows, int territories, int months, long seed)
      throws IOException {
    String[] codes =
        java.util.Arrays.stream(Locale.getISOCountries())
            .sorted()
            .limit(territories)
            .toArray(String[]::new);
    SplittableRandom random = new SplittableRandom(seed);
    long bad = 0;
    try (BufferedWriter w =
        Files.newBufferedWriter(
            csv, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW)) {
      w.write(HEADER);
      StringBuilder line = new StringBuilder(128);
      for (long i = 0; i < rows; i++) {
        line.setLength(0);
        int track = random.nextInt(200_000);
        line.append("2024-").append(month(1 + random.nextInt(months))).append(',');
        line.append(STORES[random.nextInt(STORES.length)]).append(',');
        line.append("Artist ").append(track % 5_000).append(',');
        line.append("Track ").append(track).append(',');
        if (random.nextInt(1000) == 0) {
          line.append("BAD").append(track);
          bad++;
        } else {
          line.append("USRC1").append(24 + track % 2).append(pad5(track % 100_000));
        }
        line.append(',');
        if (random.nextInt(4) != 0) {
          line.append(upc(track));
        }
        line.append(',');
        line.append(1 + random.nextInt(500)).append(',');
        line.append(codes[random.nextInt(codes.length)]).append(',');
        line.append("0.").append(pad5(random.nextInt(100_000))).append('\n');
        w.append(line);
      }
    }
    return bad;
  }

  private static String month(int m) {
    return m < 10 ? "0" + m : Integer.toString(m);
  }

  private static String pad5(int n) {
    String s = Integer.toString(n);
    return "00000".substring(s.length()) + s;
  }

  /** A 12-digit UPC-A with a valid GS1 check digit. */
  static String upc(int n) {
    String body = "19" + String.format(Locale.ROOT, "%09d", n);
    int sum = 0;
    for (int i = 0; i < 11; i++) {
      int d = body.charAt(i) - '0';
      sum += (i % 2 == 0) ? 3 * d : d;
    }
    return body + (10 - sum % 10) % 10;
  }

  static long duckdbReadCsv(Path csv, Path parquet, String memoryLimit) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET memory_limit = '" + memoryLimit + "'");
      s.execute("SET threads = 2");
      s.execute("SET preserve_insertion_order = false");
      s.execute("SET temp_directory = '" + parquet.resolveSibling("duck-tmp") + "'");
      s.execute(
          "COPY (SELECT * FROM read_csv('"
              + csv
              + "', header = true)) TO '"
              + parquet
              + "' (FORMAT parquet)");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * DuckDB reading the DSR as a plain TSV: every line one record of up to 13 text columns (no
   * quoting, no escapes, short lines padded), written to one Parquet file.
   */
  static long duckdbReadTsv(Path tsv, Path parquet, String memoryLimit) throws Exception {
    StringBuilder columns = new StringBuilder("{");
    for (int i = 1; i <= 13; i++) {
      columns.append(i == 1 ? "" : ", ").append("'c").append(i).append("': 'VARCHAR'");
    }
    columns.append('}');
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET memory_limit = '" + memoryLimit + "'");
      s.execute("SET threads = 2");
      s.execute("SET preserve_insertion_order = false");
      s.execute("SET temp_directory = '" + parquet.resolveSibling("duck-tmp") + "'");
      s.execute(
          "COPY (SELECT * FROM read_csv('"
              + tsv
              + "', delim = '\\t', quote = '', escape = '', header = false, auto_detect = false,"
              + " null_padding = true, columns = "
              + columns
              + ")) TO '"
              + parquet
              + "' (FORMAT parquet)");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed())
        .sum();
  }

  /** Records the largest heap in use right after any collection. */
  private static void watchCollections(AtomicLong maxLive) {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (n, h) -> {
                if (!n.getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e :
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                  if (!e.getKey().contains("Metaspace")
                      && !e.getKey().contains("Code")
                      && !e.getKey().contains("Class")) {
                    used += e.getValue().getUsed();
                  }
                }
                maxLive.accumulateAndGet(used, Math::max);
              },
              null,
              null);
    }
  }

  /** VmHWM of this process in kB, or -1 where /proc is absent. */
  private static long rssPeakKb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
