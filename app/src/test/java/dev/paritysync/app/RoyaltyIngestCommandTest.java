package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.lake.Lake;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Drives {@code paritysync royalty ingest} end to end: real files, a real SQLite file, a real
 * DuckDB lake, all in a temporary directory.
 */
class RoyaltyIngestCommandTest {
  static final String CSV =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n"
          + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
          + "2024-03,S,A,T,BAD,,1,US,0.10\n"
          + "2024-04,S,A,T,USSM19803037,,2,GB,0.20\n";

  @TempDir Path dir;
  VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:00Z"));

  /** The clock a run reads; {@link #time} unless a test sets another. */
  Clock clock;

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(clock == null ? time : clock);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("royalty", "ingest"));
    all.addAll(List.of(args));
    if (!all.contains("--db")) {
      all.addAll(List.of("--db", dir.resolve("store.db").toString()));
    }
    if (!all.contains("--lake")) {
      all.addAll(List.of("--lake", dir.resolve("lake").toString()));
    }
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  Path file(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, body, StandardCharsets.UTF_8);
    return p;
  }

  long lakeRows() {
    try (Lake lake = Lake.open(dir.resolve("lake"))) {
      return ((Number) lake.query("SELECT count(*) AS n FROM sales").get(0).get("n")).longValue();
    }
  }

  @Test
  void ingestsAFilePrintsItsSummaryAndRefusesTheSameDeliveryTwice() throws IOException {
    Path csv = file("sales.csv", CSV);

    Run first = run(csv.toString(), "--source", "distributor");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .matches(
            "sales.csv: rows 3, valid 2, dead letters 1, rejection 33.33%, format warnings 0,"
                + " \\d+ rows/s\\R");
    assertThat(lakeRows()).isEqualTo(2);

    Run again = run(file("renamed.csv", CSV).toString(), "--source", "distributor");

    assertThat(again.code()).isZero();
    assertThat(again.out())
        .startsWith(
            "renamed.csv: already ingested as sales.csv at 2026-03-29T00:59:00Z (same SHA-256)")
        .contains("nothing written, --force to ingest it again");
    assertThat(lakeRows()).isEqualTo(2);

    Run forced = run(csv.toString(), "--source", "distributor", "--force");

    assertThat(forced.code()).isZero();
    assertThat(forced.out()).contains("(replaced an earlier ingest of the same delivery)");
    assertThat(lakeRows()).as("replaced, not added").isEqualTo(2);
  }

  @Test
  void aLongFileLogsRowsRowsPerSecondAndBytesOfTheFile() throws IOException {
    StringBuilder body = new StringBuilder(CSV.substring(0, CSV.indexOf('\n') + 1));
    for (int i = 0; i < 20_000; i++) {
      body.append("2024-03,S,A,T,USSM19803037,,1,US,0.10\n");
    }
    Path big = file("big.csv", body.toString());
    // every reading of the clock moves it a second on: 1024 rows take about a second
    clock =
        new Clock() {
          @Override
          public Instant instant() {
            return time.instant();
          }

          @Override
          public long nanoTime() {
            time.advance(java.time.Duration.ofSeconds(1));
            return time.nanoTime();
          }
        };

    Run r = run(big.toString(), "--source", "distributor");

    assertThat(r.code()).as(r.err()).isZero();
    List<String> progress = r.err().lines().toList();
    assertThat(progress).isNotEmpty();
    assertThat(progress)
        .allMatch(
            l ->
                l.matches(
                    "ingest big\\.csv: [\\d,]+ rows, [\\d,]+ rows/s, \\d+\\.\\d of 0\\.8 MB"
                        + " \\(\\d+%\\)"),
            "ingest big.csv: N rows, R rows/s, X of 0.8 MB (P%)");
  }

  @Test
  void sourcesComeFromTheConfigFile() throws IOException {
    Path yaml =
        file(
            "royalty.yaml",
            "sources:\n  labelco:\n    format: csv\n    columns:\n      isrc: Track ISRC\n");
    Path csv = file("labelco.csv", CSV.replace(",ISRC,", ",Track ISRC,"));

    Run r = run(csv.toString(), "--source", "labelco", "--config", yaml.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("labelco.csv: rows 3, valid 2, dead letters 1");
  }

  @Test
  void badInputIsOneLineNamingTheCulprit() throws IOException {
    Path csv = file("sales.csv", CSV);

    Run unknown = run(csv.toString(), "--source", "nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo(
            "paritysync: --source: unknown source 'nope'; known: dsr, apple, distributor"
                + System.lineSeparator());

    Run missing = run(dir.resolve("absent.csv").toString(), "--source", "distributor");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "paritysync: " + dir.resolve("absent.csv") + ": no such file" + System.lineSeparator());

    Path yaml = file("bad.yaml", "sources:\n  x:\n    format: xml\n");
    Run badConfig = run(csv.toString(), "--source", "x", "--config", yaml.toString());
    assertThat(badConfig.code()).isEqualTo(2);
    assertThat(badConfig.err().strip())
        .isEqualTo(
            "paritysync: "
                + yaml
                + ": sources.x.format: 'xml' is not one of dsr, apple, csv, json");
  }

  @Test
  void aStrictDefectRejectsTheFileAndWritesNothing() throws IOException {
    Path csv = file("ragged.csv", CSV + "2024-03,S,A,T,USSM19803037,,1,US\n");

    Run r = run(csv.toString(), "--source", "distributor", "--strict");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("paritysync: rejected, nothing written: ragged.csv:5: ");
    assertThat(r.out()).isEmpty();
    assertThat(lakeRows()).isZero();
  }

  static Path dsrSamples() {
    Path dir =
        Path.of(
            System.getProperty("paritysync.shared", "../../shared"),
            "fixtures",
            "royalty",
            "ddexnet-dsrf");
    assumeTrue(
        Files.isDirectory(dir),
        "shared fixtures absent: " + dir.toAbsolutePath() + " (set -Dparitysync.shared)");
    return dir;
  }

  static List<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(dsrSamples())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tsv")).sorted().toList();
    }
  }

  @Test
  void everySharedDsrSampleReadsAsDocumentedLenientlyAndIsRejectedStrictly() throws IOException {
    List<Path> samples = samples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(6);

    for (Path sample : samples) {
      Run strict =
          run(
              sample.toString(),
              "--source",
              "dsr",
              "--strict",
              "--db",
              dir.resolve("strict.db").toString());
      assertThat(strict.code()).as(sample + ": " + strict.err()).isEqualTo(1);
      assertThat(strict.err())
          .as(sample.toString())
          .startsWith("paritysync: rejected, nothing written: " + sample.getFileName() + ":");
    }
    assertThat(lakeRows()).isZero();

    List<String> args = new ArrayList<>(samples.stream().map(Path::toString).toList());
    args.addAll(List.of("--source", "dsr"));
    Run lenient = run(args.toArray(String[]::new));

    assertThat(lenient.code()).as("test_file_parser.tsv is not a DSR: refused").isEqualTo(1);
    assertThat(lenient.err())
        .contains(
            "paritysync: rejected, nothing written: test_file_parser.tsv:3: file does not start"
                + " with a HEAD record (found FHEA); not a DSR file");
    List<String> lines = lenient.out().lines().toList();
    assertThat(lines).hasSize(samples.size() - 1);
    assertThat(lines)
        .filteredOn(l -> l.contains("_AU_1of1_"))
        .hasSize(2)
        .allSatisfy(
            l ->
                assertThat(l)
                    .endsWith(
                        ", incomplete (line 7: FOOT NumberOfLinesInFile says 123 lines in the"
                            + " file; the file has 7)"));
    assertThat(lines)
        .filteredOn(l -> l.startsWith("DSR_TEST_YouTube"))
        .singleElement()
        .asString()
        .contains("rows 6, valid 6, dead letters 0, rejection 0.00%, format warnings 3");
    // 1of2 and 2of2 are byte-identical: one delivery
    assertThat(lines)
        .filteredOn(l -> l.contains("_2of2_"))
        .singleElement()
        .asString()
        .contains(
            "already ingested as DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of2_");
    assertThat(lenient.err()).contains("warning: ");
    assertThat(lakeRows()).isEqualTo(6);

    Run listed = deliveries();
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out().lines().skip(1))
        .hasSize(4)
        .anySatisfy(l -> assertThat(l).contains("\t1453417766009915/1\tcomplete\tfile\tDSR_TEST_"))
        .filteredOn(l -> l.contains("\tincomplete\t"))
        .hasSize(3)
        .allSatisfy(
            l ->
                assertThat(l)
                    .endsWith(
                        "\tline 7: FOOT NumberOfLinesInFile says 123 lines in the file; the file has 7"));
  }

  Run deliveries(String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(time);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("royalty", "deliveries"));
    all.addAll(List.of("--db", dir.resolve("store.db").toString()));
    all.addAll(List.of(more));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  static String dsr(String cents, boolean complete) {
    StringBuilder b =
        new StringBuilder(
            "HEAD\tdsrf/30\tUGCProfile\t1.0\tM1\t2016-01-21T15:09:26Z\t2015-02-01\t2015-02-28\n"
                + "#HEAD\tMessageVersion\tProfile\tProfileVersion\tMessageId"
                + "\tMessageCreatedDateTime\tUsageStartDate\tUsageEndDate\n"
                + "#SY02.01\tSummaryRecordId\tCommercialModel\tUseType\tTerritory\tCurrency\n"
                + "#AS01\tBlockId\tResourceReference\tISRC\tTitle\tDisplayArtistName\n"
                + "#SU03.01\tBlockId\tSummaryRecordId\tUsages\tNetRevenue\n"
                + "#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile\n"
                + "SY02.01\t1\tSubscriptionModel\tStream\tIS\tEUR\n");
    for (int i = 1; i <= 6; i++) {
      b.append("AS01\tB" + i + "\tR" + i + "\tUSSM1980303" + i + "\tSong\tArtist\n");
      b.append("SU03.01\tB" + i + "\t1\t10\t" + i + "." + cents + "\n");
    }
    return complete ? b + "FOOT\t20\t1\t6\n" : b.substring(0, b.length() - 2);
  }

  @Test
  void aTruncatedReportIsStoredIncompleteAndTheCompleteResendReplacesIt() throws IOException {
    Run cut = run(file("DSR_M1_a.tsv", dsr("10", false)).toString(), "--source", "dsr");

    assertThat(cut.code()).as(cut.err()).isEqualTo(3);
    assertThat(cut.out())
        .contains("rows 6, valid 5, dead letters 1")
        .contains(", incomplete (line 19: no FOOT record at the end of the file)");

    Run whole = run(file("DSR_M1_b.tsv", dsr("00", true)).toString(), "--source", "dsr");

    assertThat(whole.code()).as(whole.err()).isZero();
    assertThat(whole.out())
        .contains("rows 6, valid 6, dead letters 0")
        .contains(
            "(replaced the rows of report M1 delivered as DSR_M1_a.tsv at 2026-03-29T00:59:00Z,"
                + " incomplete)");
    assertThat(lakeRows()).isEqualTo(6);

    Run again = run(file("DSR_M1_c.tsv", dsr("10", false)).toString(), "--source", "dsr");

    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err())
        .endsWith(
            "paritysync: refused, nothing written: DSR_M1_c.tsv is incomplete (line 19: no FOOT"
                + " record at the end of the file) and report M1 is in the lake complete, as"
                + " DSR_M1_b.tsv at 2026-03-29T00:59:00Z; --force to replace it anyway\n");
    assertThat(
            deliveries().out().lines().skip(1).map(l -> l.split("\t")[3] + " " + l.split("\t")[5]))
        .containsExactly("replaced DSR_M1_a.tsv", "complete DSR_M1_b.tsv");
  }
}
