package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --metrics-file} of {@code royalty ingest} and {@code royalty pull}: the file
 * node_exporter's textfile collector reads, written at the end of every run, failed ones included.
 */
class RoyaltyMetricsFileTest {
  private static final Instant T0 = Instant.parse("2026-03-29T00:59:00Z");

  @TempDir Path dir;
  VirtualTime time = new VirtualTime(T0);

  record Run(int code, String out, String err) {}

  private Run run(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(clock);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run ingest(String file, Path metrics) {
    return run(
        time,
        "royalty",
        "ingest",
        file,
        "--source",
        "distributor",
        "--db",
        dir.resolve("store.db").toString(),
        "--lake",
        dir.resolve("lake").toString(),
        "--metrics-file",
        metrics.toString());
  }

  /** The value of the one sample of {@code name} with labels {@code labels} (exact), or null. */
  static Double sample(String text, String name, String labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$")
            .matcher(text);
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }

  @Test
  void ingestWritesItsRunForTheTextfileCollector() throws IOException {
    Path csv = Files.writeString(dir.resolve("sales.csv"), RoyaltyIngestCommandTest.CSV);
    Path metrics = dir.resolve("royalty-ingest-distributor.prom");

    Run r = ingest(csv.toString(), metrics);

    assertThat(r.code()).as(r.err()).isZero();
    String text = Files.readString(metrics);
    String labels = "command=\"ingest\",source=\"distributor\"";
    assertThat(sample(text, "paritysync_royalty_last_run_success", labels)).isEqualTo(1.0);
    assertThat(sample(text, "paritysync_royalty_last_run_timestamp_seconds", labels))
        .isEqualTo(T0.getEpochSecond());
    assertThat(sample(text, "paritysync_royalty_last_success_timestamp_seconds", labels))
        .isEqualTo(T0.getEpochSecond());
    assertThat(sample(text, "paritysync_royalty_last_run_rows", labels)).isEqualTo(3.0);
    assertThat(sample(text, "paritysync_royalty_last_run_rejection_ratio", labels))
        .isEqualTo(1.0 / 3);
    assertThat(
            sample(
                text, "paritysync_royalty_rows_total", "outcome=\"dead\",source=\"distributor\""))
        .isEqualTo(1.0);
    assertThat(text)
        .as("only royalty meters, no timestamps, no OpenMetrics end marker")
        .doesNotContain("# EOF")
        .doesNotContainPattern("(?m)^(?!#)(?!paritysync_royalty_)")
        .doesNotContainPattern("(?m)^[^#]\\S* \\S+ \\S+$");
    assertThat(Files.getPosixFilePermissions(metrics))
        .as("readable by the collector's user")
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aFailedRunIsWrittenAndKeepsTheLastSuccess() throws IOException {
    Path csv = Files.writeString(dir.resolve("sales.csv"), RoyaltyIngestCommandTest.CSV);
    Path metrics = dir.resolve("royalty.prom");
    assertThat(ingest(csv.toString(), metrics).code()).isZero();
    time.advance(Duration.ofHours(24));
    Path ragged = Files.writeString(dir.resolve("ragged.csv"), "no,header\n");

    Run failed = ingest(ragged.toString(), metrics);

    assertThat(failed.code()).as(failed.out()).isEqualTo(1);
    String text = Files.readString(metrics);
    String labels = "command=\"ingest\",source=\"distributor\"";
    assertThat(sample(text, "paritysync_royalty_last_run_success", labels)).isEqualTo(0.0);
    assertThat(sample(text, "paritysync_royalty_last_run_timestamp_seconds", labels))
        .isEqualTo(T0.getEpochSecond() + 86_400.0);
    assertThat(sample(text, "paritysync_royalty_last_success_timestamp_seconds", labels))
        .as("carried over from the file it replaced")
        .isEqualTo(T0.getEpochSecond());
    assertThat(sample(text, "paritysync_royalty_last_run_rejection_ratio", labels))
        .as("no rows, no ratio")
        .isNull();
  }

  @Test
  void aRunThatThrowsIsWrittenAsAFailure() throws IOException {
    Path csv = Files.writeString(dir.resolve("sales.csv"), RoyaltyIngestCommandTest.CSV);
    Path metrics = dir.resolve("royalty.prom");
    Files.writeString(dir.resolve("lake-is-a-file"), "x");

    Run r =
        run(
            time,
            "royalty",
            "ingest",
            csv.toString(),
            "--source",
            "distributor",
            "--db",
            dir.resolve("store.db").toString(),
            "--lake",
            dir.resolve("lake-is-a-file").toString(),
            "--metrics-file",
            metrics.toString());

    assertThat(r.code()).as(r.err()).isNotZero();
    String text = Files.readString(metrics);
    assertThat(
            sample(
                text,
                "paritysync_royalty_last_run_success",
                "command=\"ingest\",source=\"distributor\""))
        .isEqualTo(0.0);
    assertThat(text).doesNotContain("paritysync_royalty_last_success_timestamp_seconds{");
  }

  @Test
  void aPathThatCannotBeWrittenIsRefusedBeforeTheRunNamingIt() throws IOException {
    Path csv = Files.writeString(dir.resolve("sales.csv"), RoyaltyIngestCommandTest.CSV);
    Path missing = dir.resolve("no-such-dir/royalty.prom");

    Run r = ingest(csv.toString(), missing);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "paritysync: --metrics-file: "
                + missing
                + ": no such directory "
                + missing.getParent()
                + "\n");
    assertThat(dir.resolve("store.db")).as("nothing ingested").doesNotExist();

    Run notProm = ingest(csv.toString(), dir.resolve("royalty.txt"));
    assertThat(notProm.code()).isEqualTo(2);
    assertThat(notProm.err())
        .isEqualTo(
            "paritysync: --metrics-file: "
                + dir.resolve("royalty.txt")
                + " does not end in .prom (node_exporter's textfile collector reads no other"
                + " file)\n");

    Path isDir = Files.createDirectory(dir.resolve("dir.prom"));
    Run directory = ingest(csv.toString(), isDir);
    assertThat(directory.code()).isEqualTo(2);
    assertThat(directory.err())
        .isEqualTo("paritysync: --metrics-file: " + isDir + " is a directory\n");
  }

  @Test
  void aRootPathIsRefusedNamingItNotWithANullPointer() {
    Path root = dir.getRoot();
    assertThatThrownBy(() -> RoyaltyMetricsFile.start(root, "pull", "s", time))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--metrics-file: "
                + root
                + " does not end in .prom (node_exporter's textfile collector reads no other"
                + " file)");
  }

  @Test
  void aFileThatCannotBeReplacedIsAnErrorNamingIt() throws Exception {
    Path metrics = dir.resolve("royalty.prom");
    RoyaltyMetricsFile file = RoyaltyMetricsFile.start(metrics, "pull", "s", time);

    // during the run, something made the path a directory that is not empty
    assertThatThrownBy(
            () ->
                file.run(
                    () -> {
                      Files.createDirectories(metrics.resolve("inside"));
                      return 0;
                    }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("--metrics-file: cannot write " + metrics + ": ");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the temporary file removed")
          .containsExactly("royalty.prom");
    }
  }

  @Test
  void pullWritesItsRowsRejectionAndCompletionDelta() throws Exception {
    Path metrics = dir.resolve("royalty-pull-simdsp.prom");
    try (SimDsp dsp =
        SimDsp.start(
            SimDspConfig.newBuilder()
                .withRowsPerReport(200)
                .withReportsPerPeriod(2)
                .withInvalidRate(0.1)
                .build(),
            Clock.system())) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "royalty",
                  "pull",
                  "--dsp",
                  dsp.baseUri().toString(),
                  "--source",
                  "simdsp",
                  "--period",
                  "2026-03",
                  "--db",
                  dir.resolve("r.db").toString(),
                  "--lake",
                  dir.resolve("lake").toString(),
                  "--metrics-file",
                  metrics.toString()));

      Run r = run(time, args.toArray(String[]::new));

      assertThat(r.code()).as(r.err()).isZero();
      String text = Files.readString(metrics);
      String labels = "command=\"pull\",source=\"simdsp\"";
      long rows = dsp.rowCount("rpt-2026-03-1") + dsp.rowCount("rpt-2026-03-2");
      assertThat(sample(text, "paritysync_royalty_last_run_success", labels)).isEqualTo(1.0);
      assertThat(sample(text, "paritysync_royalty_last_run_rows", labels)).isEqualTo(rows);
      double rejected =
          sample(
              text, "paritysync_royalty_pull_rows_total", "outcome=\"rejected\",source=\"simdsp\"");
      assertThat(rejected).isPositive();
      assertThat(sample(text, "paritysync_royalty_last_run_rejection_ratio", labels))
          .isEqualTo(rejected / rows);
      assertThat(
              sample(text, "paritysync_royalty_pull_completion_seconds_count", "source=\"simdsp\""))
          .isEqualTo(2.0);
      assertThat(text).doesNotContain("paritysync_attempts_total");
    }
  }
}
