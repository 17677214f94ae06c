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
 * --call-cells=<n>} (default 10,000), {@code --seed=<long>}, {@code --sync=FULL,NORMAL} (the modes
 * to run, in order). Output is Markdown; headings start at level 3.
 */
public final class IngestWorkload {
  static final long DEFAULT_SEED = 20261123L;
  static final List<String> CHANNELS = List.of("booking", "expedia", "channex");
  private static final Instant NOW = Instant.parse("2026-12-31T08:00:00Z");
  private static final int WARM_UP_CALLS = 15;

  private IngestWorkload() {}

  public static void main(String[] args) throws Exception {
    long cells = 1_000_000;
    int callCells = 10_000;
    long seed = DEFAULT_SEED;
    List<SqliteSynchronous> modes = List.of(SqliteSynchronous.FULL, SqliteSynchronous.NORMAL);
    for (String arg : args) {
      if (arg.startsWith("--cells=")) {
        cells = Long.parseLong(arg.substring("--cells=".length()));
      } else if (arg.startsWith("--call-cells=")) {
        callCells = Integer.parseInt(arg.substring("--call-cells=".length()));
      } else if (arg.startsWith("--seed=")) {
        seed = Long.parseLong(arg.substring("--seed=".length()));
      } else if (arg.startsWith("--sync=")) {
        modes =
            Stream.of(arg.substring("--sync=".length()).split(","))
                .map(m -> SqliteSynchronous.valueOf(m.trim().toUpperCase(Locale.ROOT)))
                .toList();
      } else {
        throw new IllegalArgumentException(
            "unknown argument " + arg + "; expected --cells=, --call-cells=, --seed=, --sync=");
      }
    }
    if (callCells <= 0 || cells <= 0 || cells % callCells != 0) {
      throw new IllegalArgumentException(
          "--cells=" + cells + " must be a positive multiple of --call-cells=" + callCells);
    }
    run((int) (cells / callCells), callCells, seed, modes);
  }

  private static void run(int calls, int callCells, long seed, List<SqliteSynchronous> modes)
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
    double validateSeconds = seconds(wall.nanoTime() - v0);

    // JIT warm-up of both paths on throwaway files.
    Path scratch = Files.createTempDirectory("paritysync-ingest-warmup");
    try {
      ingest(scratch.resolve("ingest.db"), SqliteSynchronous.NORMAL, warmUp, validator, time);
      raw(scratch.resolve("raw.db"), SqliteSynchronous.NORMAL, warmUp, List.of());
      raw(scratch.resolve("raw4.db"), SqliteSynchronous.NORMAL, warmUp, CHANNELS);
    } finally {
      delete(scratch);
    }

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
        "| sync | raw insert, 1 row/cell (cells/s) | raw insert, truth + 3 outbox rows/cell"
            + " (cells/s) | Ingest.accept (cells/s) | ingest / raw 1 row | ingest / raw 4 rows |"
            + " ingest without validation (cells/s) | database size |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (SqliteSynchronous mode : modes) {
      Path dir = Files.createTempDirectory("paritysync-ingest");
      try {
        double raw1 = raw(dir.resolve("raw.db"), mode, work, List.of());
        double raw4 = raw(dir.resolve("raw4.db"), mode, work, CHANNELS);
        Result r = ingest(dir.resolve("ingest.db"), mode, work, validator, time);
        System.out.printf(
            Locale.ROOT,
            "| %s | %,.0f | %,.0f | **%,.0f** | %.2f | %.2f | %,.0f | %,d MB |%n",
            mode,
            total / raw1,
            total / raw4,
            total / r.seconds,
            raw1 / r.seconds,
            raw4 / r.seconds,
            total / (r.seconds - validateSeconds),
            r.bytes >> 20);
        System.out.flush();
        r.counts.forEach(
            (what, n) -> {
              if (what.equals("truth") && n > DemoChanges.DISTINCT_CELLS) {
                throw new IllegalStateException("more truth rows than cells: " + n);
              }
            });
        System.err.printf(Locale.ROOT, "%s: rows %s%n", mode, r.counts);
      } finally {
        delete(dir);
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Wall time %.0f s. Times are per call from before `accept` (validation included) to after"
            + " its commit, summed over all calls.%n",
        seconds(wall.nanoTime() - t0));
  }

  private record Result(double seconds, long bytes, Map<String, Long> counts) {}

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
      for (List<Change> call : work) {
        long start = wall.nanoTime();
        Accepted a = ingest.accept(call);
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
      return new Result(seconds(nanos), size(file), counts);
    }
  }

  private static double raw(
      Path file, SqliteSynchronous mode, List<List<Change>> work, List<String> channels) {
    Clock wall = Clock.system();
    try (Database db = open(file, mode, null)) {
      RawInsert.createTables(db);
      long nanos = 0;
      long version = 0;
      for (List<Change> call : work) {
        long start = wall.nanoTime();
        RawInsert.insert(db, call, ++version, channels);
        nanos += wall.nanoTime() - start;
      }
      return seconds(nanos);
    }
  }

  private static Database open(Path file, SqliteSynchronous mode, String migrations) {
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
