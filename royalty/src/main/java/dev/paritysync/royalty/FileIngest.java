package dev.paritysync.royalty;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.lake.ReportWriter;
import dev.paritysync.royalty.parse.ParseWarning;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Ingests report files: parse → validate → {@link Lake}, dead letters to the store's dead-letter
 * queue, the delivery recorded in {@link Deliveries}, the run in {@link RunMetrics}. The report is
 * the file name.
 *
 * <p>Order, and what a crash leaves: rows and dead letters are first staged (rows in the lake's
 * DuckDB staging file, dead letters in a temporary file); a format error in strict mode, or any
 * failure, discards both and leaves lake and store as they were. Then the delivery is looked up:
 * one already recorded (see {@link Delivery#sameAs}) ends the run as {@link AlreadyIngested},
 * writing nothing, unless {@code force}. Then the lake replaces the report's files, the report's
 * earlier open dead letters are discarded and the new ones entered, and last the delivery is
 * recorded. A crash before that last step leaves the delivery unrecorded, so running the same
 * ingest again is not refused, and it repairs lake and dead letters.
 *
 * <p>Not thread-safe (the lake is not).
 */
public final class FileIngest {
  /** How often {@link Progress} is reported unless set otherwise: every 5 seconds. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private final Database database;
  private final Lake lake;
  private final Clock clock;
  private final RunMetrics metrics;
  private final Deliveries deliveries;
  private final Queues queues;
  private final Duration progressInterval;

  /**
   * Ingests into {@code lake} and {@code database} (migrated with {@link Deliveries#MIGRATIONS}).
   */
  public FileIngest(Database database, Lake lake, Clock clock, RunMetrics metrics) {
    this(database, lake, clock, metrics, DEFAULT_PROGRESS_INTERVAL);
  }

  /** As above, reporting progress every {@code progressInterval} of {@code clock}'s time. */
  public FileIngest(
      Database database, Lake lake, Clock clock, RunMetrics metrics, Duration progressInterval) {
    this.database = Objects.requireNonNull(database, "database");
    this.lake = Objects.requireNonNull(lake, "lake");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.deliveries = new Deliveries(clock);
    this.queues = new Queues(new Ledger(clock), clock);
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new IllegalArgumentException("progress interval must be positive: " + progressInterval);
    }
    this.progressInterval = progressInterval;
  }

  /** What one file's run came to. */
  public sealed interface Outcome permits Ingested, AlreadyIngested {}

  /**
   * The report is in the lake.
   *
   * @param summary the counts
   * @param elapsed from opening the file to recording the delivery
   * @param replaced the same delivery had been ingested before ({@code force})
   */
  public record Ingested(RunSummary summary, Duration elapsed, boolean replaced)
      implements Outcome {
    /** Rows read per second over {@link #elapsed}. */
    public double rowsPerSecond() {
      return RunMetrics.rate(summary.rowsRead(), elapsed);
    }
  }

  /**
   * The same delivery was ingested before; nothing was written.
   *
   * @param earlier the recorded delivery
   * @param summary the counts of this (discarded) run
   */
  public record AlreadyIngested(IngestedDelivery earlier, RunSummary summary) implements Outcome {}

  /**
   * How far a long run has come.
   *
   * @param rows rows read so far
   * @param elapsed since the run started
   */
  public record Progress(long rows, Duration elapsed) {
    /** Rows read per second so far. */
    public double rowsPerSecond() {
      return RunMetrics.rate(rows, elapsed);
    }
  }

  /**
   * Ingests {@code file} as source {@code config.name()}.
   *
   * @param force ingest even when the same delivery was recorded, replacing its rows
   * @param warnings receives each format defect accepted in lenient mode
   * @param progress receives a {@link Progress} every progress interval while rows are read
   * @throws dev.paritysync.royalty.parse.ReportFormatException on a format defect in strict mode,
   *     or a configured column missing from the header; nothing is written then
   * @throws IllegalArgumentException when {@code file} does not exist
   */
  public Outcome ingest(
      Path file,
      SourceConfig config,
      Strictness strictness,
      boolean force,
      Consumer<ParseWarning> warnings,
      Consumer<Progress> progress)
      throws IOException {
    String report = file.getFileName().toString();
    long start = clock.nanoTime();
    Ticker ticker = new Ticker(start, progress);
    RunSummary summary;
    boolean replaced;
    try (ReportWriter rows = lake.begin(config.name(), report);
        DeadLetterSpool dead = new DeadLetterSpool(lake.root().resolve(".work"))) {
      try (InputStream in = open(file)) {
        summary =
            ReportIngest.ingest(
                in,
                report,
                config,
                strictness,
                row -> {
                  rows.accept(row);
                  ticker.tick();
                },
                row -> {
                  dead.accept(row);
                  ticker.tick();
                },
                warnings);
      }
      Optional<IngestedDelivery> earlier =
          database.read(c -> deliveries.find(c, summary.delivery()));
      if (earlier.isPresent() && !force) {
        return new AlreadyIngested(earlier.get(), summary);
      }
      replaced = earlier.isPresent();
      rows.commit();
      discardEarlierDeadLetters(config.name(), report);
      try (DeadLetterWriter writer = new DeadLetterWriter(database, queues)) {
        dead.replay(writer);
      }
      database.inTransaction(c -> deliveries.record(c, report, summary));
    }
    Duration elapsed = Duration.ofNanos(clock.nanoTime() - start);
    metrics.run(config.name(), summary, elapsed);
    return new Ingested(summary, elapsed, replaced);
  }

  private static InputStream open(Path file) throws IOException {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file", e);
    }
  }

  /** Open dead letters of an earlier run of this report are superseded by this run's. */
  private void discardEarlierDeadLetters(String source, String report) {
    List<String> ids =
        database.read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id FROM queue_items WHERE queue = 'dead_letter' AND state = 'open'"
                          + " AND channel = ? AND correlation_id = ?")) {
                ps.setString(1, source);
                ps.setString(2, report);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(rs.getString(1));
                  }
                }
              }
              return out;
            });
    for (int from = 0; from < ids.size(); from += DeadLetterWriter.DEFAULT_BATCH_SIZE) {
      List<String> batch =
          ids.subList(from, Math.min(ids.size(), from + DeadLetterWriter.DEFAULT_BATCH_SIZE));
      database.inTransaction(
          c -> {
            for (String id : batch) {
              queues.discard(c, id, "superseded: report " + report + " ingested again");
            }
            return null;
          });
    }
  }

  /** Reports progress every interval of the clock's time, checked every 1024 rows. */
  private final class Ticker {
    private final long start;
    private final Consumer<Progress> progress;
    private long rows;
    private long next;

    Ticker(long start, Consumer<Progress> progress) {
      this.start = start;
      this.progress = progress;
      this.next = start + progressInterval.toNanos();
    }

    void tick() {
      rows++;
      if ((rows & 1023) != 0) {
        return;
      }
      long now = clock.nanoTime();
      if (now - next >= 0) {
        next = now + progressInterval.toNanos();
        progress.accept(new Progress(rows, Duration.ofNanos(now - start)));
      }
    }
  }
}
