package dev.paritysync.bench.engine;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.engine.Accepted;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.DatabaseConfig.SqliteSynchronous;
import dev.paritysync.store.Ledger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The ingest part of the end-to-end benchmark: the demo portfolio (5 properties × 8 room types × 3
 * rate plans, 365 days) with 3 channels mapping everything; seeded PMS changes (rates over ranges
 * of various lengths, availability, restrictions) delivered to {@link Ingest#accept} in calls of
 * exactly 10,000 cells, one transaction each, into a fresh SQLite file in a temporary directory.
 * Prints cells/s for each SQLite synchronous mode, against a baseline in the same process: the same
 * cells appended by plain JDBC batch inserts (see {@link RawInsert}). Validation (Hibernate
 * Validator) is timed on its own, outside any transaction, and reported separately.
 *
 * <p>Arguments: {@code --cells=<n>} (default 1,000,000; a multiple of the call size), {@code
 * --call-cells=<n>} (default 10,000), {@code --seed=<long>} (default 20261123), {@code
 * --sync=FULL,NORMAL} (the modes to run, in order; default both), {@code --no-baseline} (ingest
 * only, while profiling). Output is Markdown; headings start at level 3.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class IngestWorkload {
  static final long DEFAULT_SEED = 20261123L;
  static final List<String> CHANNELS = List.of("booking", "expedia", "channex");
  private static final Instant NOW = Instant.parse("2026-12-31T08:00:00Z");
  private static final int WARM_UP_CALLS = 15;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private IngestWorkload() {}

  /**
   * Runs the workload with the arguments above.
   *
   * @throws IllegalStateException when the row counts after an ingest are not what was written
   */
  public static void main(String[] args) throws Exception {
    long cells = 1_000_000;
    int callCells = 10_000;
    long seed = DEFAULT_SEED;
    boolean baseline = true;
    List<SqliteSynchronous> modes = List.of(SqliteSynchronous.FULL, SqliteSynchronous.NORMAL);
    for (String arg : args) {
      if (arg.startsWith("--cells=")) {
        cells = Long.parseLong(arg.substring("--cells=".length()));
      } else if (arg.startsWith("--call-cells=")) {
        callCells = Integer.parseInt(arg.substring("--call-cells=".length()));
      } else if (arg.startsWith("--seed=")) {
        seed = Long.parseLong(arg.substring("--seed=".length()));
      } else if (arg.equals("--no-baseline")) {
        baseline = false;
      } else if (arg.startsWith("--sync=")) {
        modes =
            Stream.of(arg.substring("--sync=".length()).split(","))
                .map(m -> SqliteSynchronous.valueOf(m.trim().toUpperCase(Locale.ROOT)))
                .toList();
      } else {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + "; expected --cells=, --call-cells=, --seed=, --sync=, --no-baseline");
      }
    }
    if (callCells <= 0 || cells <= 0 || cells % callCells != 0) {
      throw new IllegalArgumentException(
          "--cells=" + cells + " must be a positive multiple of --call-cells=" + callCells);
    }
    run((int) (cells / callCells), callCells, seed, modes, baseline);
  }

  /** Validates every call once to warm up, then times validating the work; returns seconds. */
  private static double validate(
      ChangeValidator validator, List<List<Change>> warmUp, List<List<Change>> work, Clock wall) {
    for (List<Change> call : warmUp) {
      validator.validate(call);
    }
    long v0 = wall.nanoTime();
    for (List<Change> call : work) {
      if (!validator.validate(call).isEmpty()) {
        throw new IllegalStateException(
            "generated changes are invalid: " + validator.validate(call));
      }
    }
    return seconds(wall.nanoTime() - v0);
  }

  /** JIT warm-up of both paths on throwaway files. */
  private static void warmUp(List<List<Change>> warmUp, ChangeValidator validator, VirtualTime time)
      throws IOException {
    Path scratch = Files.createTempDirectory("paritysync-ingest-warmup");
    try {
      ingest(scratch.resolve("ingest.db"), SqliteSynchronous.NORMAL, warmUp, validator, time);
      raw(scratch.resolve("raw.db"), SqliteSynchronous.NORMAL, warmUp, List.of());
      raw(scratch.resolve("raw4.db"), SqliteSynchronous.NORMAL, warmUp, CHANNELS);
    } finally {
      delete(scratch);
    }
  }

  /** One table row per path in {@code mode}, on a fresh directory; checks the row counts. */
  private static void measure(
      SqliteSynchronous mode,
      List<List<Change>> work,
      ChangeValidator validator,
      VirtualTime time,
      boolean baseline,
      long total,
      long changes)
      throws IOException {
    Path dir = Files.createTempDirectory("paritysync-ingest");
    try {
      Result raw1 = baseline ? raw(dir.resolve("raw.db"), mode, work, List.of()) : null;
      Result raw4 = baseline ? raw(dir.resolve("raw4.db"), mode, work, CHANNELS) : null;
      Result r = ingest(dir.resolve("ingest.db"), mode, work, validator, time);
      if (raw1 != null && raw4 != null) { // the baseline ran
        row(mode, "raw INSERT, 1 row per cell (truth-shaped)", total, raw1, raw1, raw4);
        row(mode, "raw INSERT, 4 rows per cell (truth + 3 outbox)", total, raw4, raw1, raw4);
      }
      row(mode, "**Ingest.accept** (validation included)", total, r, raw1, raw4);
      System.out.flush();
      if (r.count("truth") > DemoChanges.DISTINCT_CELLS
          || r.count("outbox") != CHANNELS.size() * r.count("truth")
          || r.count("changes") != changes
          || r.count("ledger") != changes) {
        throw new IllegalStateException("unexpected row counts after ingest: " + r.counts);
      }
      System.err.printf(Locale.ROOT, "%s: rows %s%n", mode, r.counts);
    } finally {
      delete(dir);
    }
  }

  private static void run(
      int calls, int callCells, long seed, List<SqliteSynchronous> modes, boolean baseline)
      throws IOException {
    Clock wall = Clock.system();
    VirtualTime time = new VirtualTime(NOW);
    long t0 = wall.nanoTime();
    List<List<Change>> work = DemoChanges.calls(calls, callCells, seed);
    List<List<Change>> warmUp = DemoChanges.calls(WARM_UP_CALLS, callCells, seed + 1);
    long changes = work.stream().mapToLong(List::size).sum();
    long total = (long) calls * callCells;
    double generateSeconds = seconds(wall.nanoTime() - t0);

    ChangeValidator validator = new ChangeValidator(DemoChanges.portfolio(), time);
    double validateSeconds = validate(validator, warmUp, work, wall);
    warmUp(warmUp, validator, time);

    System.out.println("### Ingest workload");
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "seed %d; %,d calls × %,d cells = %,d cell changes in %,d changes (%.1f cells per change);"
            + " portfolio %d properties × %d room types × %d rate plans × %d days = %,d distinct"
            + " cells; %d channels mapping everything; generated in %.1f s%n%n",
        seed,
        calls,
        callCells,
        total,
        changes,
        (double) total / changes,
        DemoChanges.PROPERTIES.size(),
        DemoChanges.ROOMS.size(),
        DemoChanges.PLANS.size(),
        DemoChanges.DAYS,
        DemoChanges.DISTINCT_CELLS,
        CHANNELS.size(),
        generateSeconds);
    System.out.printf(
        Locale.ROOT,
        "Validation alone (Hibernate Validator, every change, no database): %.2f s = %,.0f cells/s"
            + " = %.1f µs per change%n%n",
        validateSeconds,
        total / validateSeconds,
        validateSeconds * 1e6 / changes);
    System.out.println(
        "| sync | path | cells/s (wall) | cells per CPU-second | rate ÷ raw 1 row/cell (wall) |"
            + " rate ÷ raw 4 rows/cell (wall) | database + WAL |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    for (SqliteSynchronous mode : modes) {
      measure(mode, work, validator, time, baseline, total, changes);
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Each time runs from before the call (`accept`, or the raw transaction) to after its"
            + " commit, summed over all calls; CPU is the calling thread's, which runs SQLite too."
            + " Wall time of the whole run %.0f s.%n",
        seconds(wall.nanoTime() - t0));
  }

  private static void row(
      SqliteSynchronous mode,
      String path,
      long cells,
      Result r,
      @Nullable Result raw1,
      @Nullable Result raw4) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %,.0f | %,.0f | %s | %s | %s |%n",
        mode,
        path,
        cells / r.seconds,
        cells / r.cpuSeconds,
        raw1 == null ? "–" : String.format(Locale.ROOT, "%.2f", raw1.seconds / r.seconds),
        raw4 == null ? "–" : String.format(Locale.ROOT, "%.2f", raw4.seconds / r.seconds),
        r.bytes < 0 ? "–" : (r.bytes >> 20) + " MB");
  }

  private record Result(double seconds, double cpuSeconds, long bytes, Map<String, Long> counts) {
    long count(String table) {
      Long n = counts.get(table);
      if (n == null) {
        throw new IllegalStateException("no row count for table " + table + " in " + counts);
      }
      return n;
    }
  }

  private static Result ingest(
      Path file,
      SqliteSynchronous mode,
      List<List<Change>> work,
      ChangeValidator validator,
      VirtualTime time) {
    Clock wall = Clock.system();
    Map<String, ChannelMapping> channels = new LinkedHashMap<>();
    CHANNELS.forEach(c -> channels.put(c, DemoChanges.fullMapping()));
    try (Database db = open(file, mode, "classpath:db/migration/hotel")) {
      Ingest ingest = new Ingest(db, validator, channels, new Ledger(time), time);
      long nanos = 0;
      long cpu = 0;
      for (List<Change> call : work) {
        long start = wall.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        Accepted a = ingest.accept(call);
        cpu += THREADS.getCurrentThreadCpuTime() - cpuStart;
        nanos += wall.nanoTime() - start;
        if (!a.unmapped().isEmpty()) {
          throw new IllegalStateException("unmapped cells with a full mapping: " + a.unmapped());
        }
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("truth", count(db, "ari_truth"));
      counts.put("outbox", count(db, "ari_outbox"));
      counts.put("changes", count(db, "ari_changes"));
      counts.put("ledger", count(db, "ledger"));
      return new Result(seconds(nanos), seconds(cpu), size(file), counts);
    }
  }

  private static Result raw(
      Path file, SqliteSynchronous mode, List<List<Change>> work, List<String> channels) {
    Clock wall = Clock.system();
    try (Database db = open(file, mode, null)) {
      RawInsert.createTables(db);
      long nanos = 0;
      long cpu = 0;
      long version = 0;
      for (List<Change> call : work) {
        long start = wall.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        RawInsert.insert(db, call, ++version, channels);
        cpu += THREADS.getCurrentThreadCpuTime() - cpuStart;
        nanos += wall.nanoTime() - start;
      }
      return new Result(seconds(nanos), seconds(cpu), size(file), Map.of());
    }
  }

  private static Database open(Path file, SqliteSynchronous mode, @Nullable String migrations) {
    DatabaseConfig.Builder b =
        DatabaseConfig.builder().withSqliteFile(file).withSqliteSynchronous(mode);
    if (migrations != null) {
      b.withMigrations(migrations);
    }
    return Database.open(b.build());
  }

  private static long count(Database db, String table) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static long size(Path db) {
    long bytes = 0;
    for (String suffix : List.of("", "-wal")) {
      Path p = Path.of(db + suffix);
      try {
        bytes += Files.exists(p) ? Files.size(p) : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
