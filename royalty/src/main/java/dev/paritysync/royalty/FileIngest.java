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
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Ingests report files: parse → validate → {@link Lake}, dead letters to the store's dead-letter
 * queue, the delivery recorded in {@link Deliveries}, the run in {@link RunMetrics}. Rows and dead
 * letters name the file; the report's identity ({@link IngestedDelivery#reportId}) is the DSR's
 * MessageId (with {@code /FileNumber}) or else the file name without its extensions ({@code .gz},
 * {@code .csv}, {@code .tsv}, {@code .txt}), so a DSP's file export named after its report id is
 * the same report as its API pull.
 *
 * <p>Order, and what a crash leaves: rows and dead letters are first staged (rows in the lake's
 * DuckDB staging file, dead letters in a temporary file); a format error in strict mode, or any
 * failure, discards both and leaves lake and store as they were. Then {@link Deliveries#decide}
 * judges the delivery: the same complete delivery ends the run as {@link AlreadyIngested}, an
 * incomplete one where a complete one holds the report as {@link RefusedIncomplete}, both writing
 * nothing, unless {@code force}. Otherwise the lake replaces the report's files, the open dead
 * letters of the report's earlier deliveries are discarded and the new ones entered, and last the
 * delivery is recorded (complete or incomplete) and the ones it replaced are marked. A crash before
 * that last step leaves the earlier record as it was, so running the same ingest again is not
 * refused, and it repairs lake and dead letters.
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
  public sealed interface Outcome permits Ingested, AlreadyIngested, RefusedIncomplete {}

  /**
   * The report is in the lake, complete or not ({@code summary.incomplete()}).
   *
   * @param summary the counts
   * @param elapsed from opening the file to recording the delivery
   * @param delivery the delivery as recorded
   * @param replaced the earlier deliveries of the report whose rows this one replaced
   */
  public record Ingested(
      RunSummary summary,
      Duration elapsed,
      IngestedDelivery delivery,
      List<IngestedDelivery> replaced)
      implements Outcome {
    /** Copies the list. */
    public Ingested {
      replaced = List.copyOf(replaced);
    }

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
   * The delivery is incomplete and a complete delivery of the report is in the lake; nothing was
   * written.
   *
   * @param complete the complete delivery that holds the report
   * @param summary the counts of this (discarded) run, with why it is incomplete
   */
  public record RefusedIncomplete(IngestedDelivery complete, RunSummary summary)
      implements Outcome {}

  /**
   * How far a long run has come.
   *
   * @param rows rows read so far
   * @param bytesRead bytes of the file read so far (compressed bytes for a gzip file)
   * @param fileBytes the file's size in bytes
   * @param elapsed since the run started
   */
  public record Progress(long rows, long bytesRead, long fileBytes, Duration elapsed) {
    /** Rows read per second so far. */
    public double rowsPerSecond() {
      return RunMetrics.rate(rows, elapsed);
    }
  }

  /**
   * Ingests {@code file} as source {@code config.name()}.
   *
   * @param force ingest even when the same delivery was recorded, or when this one is incomplete
   *     and a complete one was, replacing its rows
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
    Ticker ticker = new Ticker(start, progress, Files.isRegularFile(file) ? Files.size(file) : 0);
    Single single = new Single();
    RunSummary summary;
    Ingested done;
    try (ReportWriter rows = lake.begin(config.name(), report);
        DeadLetterSpool dead = new DeadLetterSpool(lake.root().resolve(".work"))) {
      try (Counted in = new Counted(open(file))) {
        ticker.counted = in;
        summary =
            ReportIngest.ingest(
                in,
                report,
                config,
                strictness,
                row -> {
                  rows.accept(row);
                  single.accept(row);
                  ticker.tick();
                },
                row -> {
                  dead.accept(row);
                  ticker.tick();
                },
                warnings);
      }
      Arrival arrival =
          new Arrival(
              report,
              reportId(report, summary),
              "file",
              summary,
              single.period,
              single.territory,
              single.useType);
      Deliveries.Verdict verdict = database.read(c -> deliveries.decide(c, arrival, force));
      if (verdict instanceof Deliveries.Duplicate same) {
        return new AlreadyIngested(same.earlier(), summary);
      }
      if (verdict instanceof Deliveries.Refused refused) {
        return new RefusedIncomplete(refused.complete(), summary);
      }
      Deliveries.Write write = (Deliveries.Write) verdict;
      rows.commit(write.reportId());
      discardEarlierDeadLetters(config.name(), report, write.replacing());
      try (DeadLetterWriter writer = new DeadLetterWriter(database, queues)) {
        dead.replay(writer);
      }
      IngestedDelivery recorded = database.inTransaction(c -> deliveries.record(c, arrival, write));
      done =
          new Ingested(
              summary, Duration.ofNanos(clock.nanoTime() - start), recorded, write.replacing());
    }
    metrics.run(config.name(), summary, done.elapsed());
    return done;
  }

  /** The report's identity: the DSR message id, else the file name without its extensions. */
  static String reportId(String fileName, RunSummary summary) {
    if (summary.delivery().messageId() != null) {
      return summary.delivery().messageId();
    }
    String id = fileName;
    if (id.endsWith(".gz")) {
      id = id.substring(0, id.length() - 3);
    }
    for (String ext : List.of(".csv", ".tsv", ".txt")) {
      if (id.endsWith(ext) && id.length() > ext.length()) {
        return id.substring(0, id.length() - ext.length());
      }
    }
    return id.isEmpty() ? fileName : id;
  }

  /** The month, territory and use type of a report's valid rows, each while there is only one. */
  private static final class Single {
    private @Nullable String period;
    private @Nullable String territory;
    private @Nullable String useType;
    private boolean mixedPeriod;
    private boolean mixedTerritory;
    private boolean mixedUseType;

    void accept(SalesRow row) {
      String p = row.partitionMonth().toString();
      mixedPeriod |= period != null && !period.equals(p);
      mixedTerritory |= territory != null && !territory.equals(row.territory());
      mixedUseType |= useType != null && !useType.equals(row.useType());
      period = mixedPeriod ? null : p;
      territory = mixedTerritory ? null : row.territory();
      useType = mixedUseType || row.useType().isEmpty() ? null : row.useType();
    }
  }

  private static InputStream open(Path file) throws IOException {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file", e);
    }
  }

  /**
   * Open dead letters of this file's earlier runs, and of the deliveries it replaces, are
   * superseded by this run's.
   */
  private void discardEarlierDeadLetters(
      String source, String report, List<IngestedDelivery> replaced) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    names.add(report);
    replaced.forEach(d -> names.add(d.report()));
    for (String name : names) {
      discardDeadLetters(source, name, report);
    }
  }

  private void discardDeadLetters(String source, String earlier, String report) {
    List<String> ids = database.read(c -> Deliveries.openDeadLetters(c, source, earlier));
    for (int from = 0; from < ids.size(); from += DeadLetterWriter.DEFAULT_BATCH_SIZE) {
      List<String> batch =
          ids.subList(from, Math.min(ids.size(), from + DeadLetterWriter.DEFAULT_BATCH_SIZE));
      database.inTransactionRun(
          c -> {
            for (String id : batch) {
              queues.discard(c, id, Deliveries.supersededReason(earlier, report));
            }
          });
    }
  }

  /** Counts the bytes read from the file, for {@link Progress}. */
  private static final class Counted extends java.io.FilterInputStream {
    private volatile long bytes;

    Counted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bytes++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      int n = super.read(buffer, off, len);
      if (n > 0) {
        bytes += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      bytes += skipped;
      return skipped;
    }
  }

  /** Reports progress every interval of the clock's time, checked every 1024 rows. */
  private final class Ticker {
    private final long start;
    private final Consumer<Progress> progress;
    private final long size;
    private @Nullable Counted counted;
    private long rows;
    private long next;

    Ticker(long start, Consumer<Progress> progress, long size) {
      this.start = start;
      this.progress = progress;
      this.size = size;
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
        progress.accept(
            new Progress(
                rows, counted == null ? 0 : counted.bytes, size, Duration.ofNanos(now - start)));
      }
    }
  }
}
