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
 * one Parquet file, with the same memory limit and threads — the practical parse limit.
 *
 * <p>Arguments: {@code --rows=<n>} (default 10,000,000), {@code --territories=<n>} (default 60),
 * {@code --months=<n>} (default 3), {@code --dir=<path>} (default {@code
 * bench/target/royalty-ingest}), {@code --memory-limit=<size>} (DuckDB, default {@value
 * Lake#DEFAULT_MEMORY_LIMIT}), {@code --seed=<long>}, {@code --keep} (keep the generated report).
 * Run with {@code -Xmx256m} (bench/royalty-ingest.sh does). Output is Markdown.
 */
public final class RoyaltyIngestBench {
  static final long DEFAULT_SEED = 20261124L;
  static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";
  static final String[] STORES = {"Spotify", "Apple Music", "YouTube Music", "Deezer", "Tidal"};

  private RoyaltyIngestBench() {}

  public static void main(String[] args) throws Exception {
    long rows = 10_000_000;
    int territories = 60;
    int months = 3;
    Path dir = Path.of("bench", "target", "royalty-ingest");
    String memoryLimit = Lake.DEFAULT_MEMORY_LIMIT;
    long seed = DEFAULT_SEED;
    boolean keep = false;
    for (String arg : args) {
      if (arg.startsWith("--rows=")) {
        rows = Long.parseLong(arg.substring("--rows=".length()).replace("_", ""));
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
      } else if (arg.equals("--keep")) {
        keep = true;
      } else {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + "; expected --rows=, --territories=, --months=, --dir=, --memory-limit=,"
                + " --seed=, --keep");
      }
    }
    if (territories < 1 || territories > 200 || months < 1 || months > 12) {
      throw new IllegalArgumentException("--territories: 1..200, --months: 1..12");
    }
    Clock clock = Clock.system();
    deleteTree(dir);
    Files.createDirectories(dir);
    Path csv = dir.resolve("distributor-report.csv");

    long t0 = clock.nanoTime();
    long dead = generate(csv, rows, territories, months, seed);
    Duration generated = Duration.ofNanos(clock.nanoTime() - t0);
    long bytes = Files.size(csv);

    AtomicLong maxLive = new AtomicLong();
    watchCollections(maxLive);
    resetPeaks();

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
                  csv,
                  SourceConfig.defaults("distributor", SourceConfig.Format.CSV),
                  Strictness.STRICT,
                  false,
                  w -> {},
                  p ->
                      System.err.printf(
                          Locale.ROOT, "  %,d rows, %,.0f rows/s%n", p.rows(), p.rowsPerSecond()));
      long inLake = lake.count("distributor");
      if (inLake != result.summary().valid() || result.summary().deadLettered() != dead) {
        throw new IllegalStateException(
            "lake holds "
                + inLake
                + " rows, valid "
                + result.summary().valid()
                + "; dead letters "
                + result.summary().deadLettered()
                + ", generated "
                + dead);
      }
    }
    long peakHeap = peakHeap();
    long rssAfterIngest = rssPeakKb();

    long d0 = clock.nanoTime();
    long duckRows = duckdbReadCsv(csv, dir.resolve("duckdb.parquet"), memoryLimit);
    Duration duck = Duration.ofNanos(clock.nanoTime() - d0);
    if (duckRows != rows) {
      throw new IllegalStateException("DuckDB read " + duckRows + " rows, generated " + rows);
    }

    RunSummary s = result.summary();
    double ours = result.rowsPerSecond();
    double theirs = RunMetrics.rate(duckRows, duck);
    System.out.printf(
        Locale.ROOT,
        "### Royalty ingest: %,d rows (%,.0f MB distributor CSV, %d territories × %d months,"
            + " generated in %.1f s)%n%n",
        rows,
        bytes / 1e6,
        territories,
        months,
        generated.toMillis() / 1000.0);
    System.out.println("| run | rows | seconds | rows/s | ratio |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    System.out.printf(
        Locale.ROOT,
        "| paritysync royalty ingest (parse, validate, lake, dead letters) | %,d | %.1f | %,.0f |"
            + " %.2f |%n",
        s.rowsRead(),
        result.elapsed().toMillis() / 1000.0,
        ours,
        ours / theirs);
    System.out.printf(
        Locale.ROOT,
        "| DuckDB read_csv → one Parquet file (baseline) | %,d | %.1f | %,.0f | 1.00 |%n%n",
        duckRows,
        duck.toMillis() / 1000.0,
        theirs);
    System.out.printf(
        Locale.ROOT,
        "valid %,d, dead letters %,d, rejection %.2f%%; max heap %d MB, peak heap used %d MB,"
            + " largest heap after GC %d MB, peak RSS during ingest %d MB (DuckDB memory_limit"
            + " %s)%n",
        s.valid(),
        s.deadLettered(),
        s.rejectionRate() * 100,
        Runtime.getRuntime().maxMemory() >> 20,
        peakHeap >> 20,
        maxLive.get() >> 20,
        rssAfterIngest >> 10,
        memoryLimit);
    if (!keep) {
      deleteTree(dir);
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
