package dev.paritysync.app;

import dev.paritysync.app.telemetry.Metrics;
import dev.paritysync.core.time.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one run of a one-shot royalty command ({@code royalty ingest}, {@code royalty
 * pull}) and, with {@code --metrics-file PATH}, their Prometheus text exposition written to PATH
 * for node_exporter's textfile collector: the {@code paritysync.royalty.*} meters the run recorded
 * (no others: the resilience core's meters of a DSP pull would pose as a hotel channel) plus the
 * batch-job gauges below, tags {@code command} and {@code source}. Written when the run ends, also
 * when it fails, through a temporary file in PATH's directory moved over PATH atomically, so the
 * collector never reads half a file; readable by all (the collector runs as another user).
 *
 * <p>A run that fails keeps the last success's timestamp of the file it replaces (same command and
 * source), so the age of the last success keeps growing across failed runs. Time comes from the
 * injected clock. One instance per run; not thread-safe.
 */
final class RoyaltyMetricsFile {
  /** The {@code --metrics-file} option of the one-shot royalty commands (a picocli mixin). */
  static final class Option {
    @picocli.CommandLine.Option(
        names = "--metrics-file",
        paramLabel = "FILE.prom",
        description =
            "write the run's meters there at its end, also when it fails (Prometheus text format,"
                + " for node_exporter's textfile collector; docs/operations.md)")
    @Nullable Path path;
  }

  /** 1 when the last run succeeded (exit code 0), 0 when it failed. */
  static final String SUCCESS = "paritysync.royalty.last.run.success";

  /** When the last run ended, in seconds since the epoch. */
  static final String TIMESTAMP = "paritysync.royalty.last.run.timestamp.seconds";

  /** When the last successful run ended; carried over from the previous file by a failed run. */
  static final String SUCCESS_TIMESTAMP = "paritysync.royalty.last.success.timestamp.seconds";

  /** How long the last run took. */
  static final String DURATION = "paritysync.royalty.last.run.duration.seconds";

  /** Rows the last run read (ingest) or newly staged (pull), valid and rejected. */
  static final String ROWS = "paritysync.royalty.last.run.rows";

  /** Rows the last run read or staged per second of the run. */
  static final String ROWS_PER_SECOND = "paritysync.royalty.last.run.rows.per.second";

  /** Rejected (dead-lettered) rows of the last run per row, 0–1; absent when it had no rows. */
  static final String REJECTION_RATIO = "paritysync.royalty.last.run.rejection.ratio";

  private static final String PROMETHEUS_SUCCESS_TIMESTAMP =
      "paritysync_royalty_last_success_timestamp_seconds";
  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^" + PROMETHEUS_SUCCESS_TIMESTAMP + "\\{([^}]*)}\\s+(\\S+)\\s*$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final @Nullable Path path;
  private final String command;
  private final String source;
  private final Clock clock;
  private final long started;
  private final Metrics metrics = Metrics.applicationOnly();
  private long rows;
  private long rejected;

  private RoyaltyMetricsFile(@Nullable Path path, String command, String source, Clock clock) {
    this.path = path;
    this.command = Objects.requireNonNull(command, "command");
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.started = clock.nanoTime();
    metrics
        .registry()
        .config()
        .meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith("paritysync.royalty.")));
  }

  /**
   * A run of {@code command} for {@code source} starting now on {@code clock}, written to {@code
   * path} at its end (null: recorded, not written).
   *
   * @throws IllegalArgumentException naming the path when it does not end in {@code .prom} (the
   *     collector reads no other file), is a directory, or its directory is missing or not writable
   */
  static RoyaltyMetricsFile start(@Nullable Path path, String command, String source, Clock clock) {
    if (path != null) {
      Path dir = path.toAbsolutePath().getParent();
      Path name = path.getFileName(); // null for a root such as /
      if (name == null || !name.toString().endsWith(".prom")) {
        throw new IllegalArgumentException(
            "--metrics-file: "
                + path
                + " does not end in .prom (node_exporter's textfile collector reads no other file)");
      }
      if (Files.isDirectory(path)) {
        throw new IllegalArgumentException("--metrics-file: " + path + " is a directory");
      }
      if (dir == null || !Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            "--metrics-file: " + path + ": no such directory " + dir);
      }
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException(
            "--metrics-file: " + path + ": directory " + dir + " is not writable");
      }
    }
    return new RoyaltyMetricsFile(path, command, source, clock);
  }

  /** Where the run's meters go. */
  MeterRegistry registry() {
    return metrics.registry();
  }

  /** Counts {@code read} rows of the run, {@code rejectedRows} of them rejected. */
  void rows(long read, long rejectedRows) {
    rows += read;
    rejected += rejectedRows;
  }

  /**
   * Runs {@code body}, the command's work returning its exit code, then writes the file: a success
   * when the code is 0, a failure when it is not or {@code body} throws (what {@code body} threw
   * propagates, a failure to write the file added to it as suppressed).
   *
   * @throws UncheckedIOException naming the path when the file cannot be written
   */
  int run(Callable<Integer> body) throws Exception {
    int code;
    try {
      code = body.call();
    } catch (Exception | Error e) {
      try {
        write(false);
      } catch (RuntimeException w) {
        e.addSuppressed(w);
      }
      throw e;
    }
    write(code == 0);
    return code;
  }

  /** Records the batch-job gauges and writes the file (when there is a path); then closes. */
  void write(boolean success) {
    try {
      double now = clock.millis() / 1000.0;
      double seconds = Math.max(0, clock.nanoTime() - started) / 1e9;
      gauge(SUCCESS, "1 when the last run succeeded, 0 when it failed", success ? 1 : 0);
      gauge(TIMESTAMP, "When the last run ended, in seconds since the epoch", now);
      OptionalDouble lastSuccess = success ? OptionalDouble.of(now) : previousSuccess();
      if (lastSuccess.isPresent()) {
        gauge(
            SUCCESS_TIMESTAMP,
            "When the last successful run ended, in seconds since the epoch",
            lastSuccess.getAsDouble());
      }
      gauge(DURATION, "How long the last run took", seconds);
      gauge(ROWS, "Rows the last run read or staged, valid and rejected", rows);
      gauge(
          ROWS_PER_SECOND,
          "Rows the last run read or staged per second",
          seconds <= 0 ? 0 : rows / seconds);
      if (rows > 0) {
        gauge(
            REJECTION_RATIO,
            "Rejected rows of the last run per row read",
            (double) rejected / rows);
      }
      if (path != null) {
        writeAtomically(path, metrics.scrape());
      }
    } finally {
      metrics.close();
    }
  }

  private void gauge(String name, String description, double value) {
    Gauge.builder(name, () -> value)
        .description(description)
        .tags(Tags.of("command", command, "source", source))
        .register(metrics.registry());
  }

  /** The last success's timestamp in the file this run replaces, for this command and source. */
  private OptionalDouble previousSuccess() {
    if (path == null || !Files.isRegularFile(path)) {
      return OptionalDouble.empty();
    }
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return OptionalDouble.empty(); // unreadable: as if there had been no success
    }
    Matcher sample = SAMPLE.matcher(text);
    while (sample.find()) {
      String labelCommand = null;
      String labelSource = null;
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        if (label.group(1).equals("command")) {
          labelCommand = label.group(2);
        } else if (label.group(1).equals("source")) {
          labelSource = label.group(2);
        }
      }
      if (escape(command).equals(labelCommand) && escape(source).equals(labelSource)) {
        try {
          return OptionalDouble.of(Double.parseDouble(sample.group(2)));
        } catch (NumberFormatException e) {
          return OptionalDouble.empty();
        }
      }
    }
    return OptionalDouble.empty();
  }

  /** A label value as the text exposition writes it. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void writeAtomically(Path path, String text) {
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      // not *.prom: the collector skips it while it is being written
      tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot replace a file atomically", e);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write failed already; that is the error to report
        }
      }
      throw new UncheckedIOException("--metrics-file: cannot write " + path + ": " + e, e);
    }
  }
}
