package dev.paritysync.royalty.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.FileIngest;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.RunMetrics;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A delivery is complete or it is not recorded as complete: a truncated, a FOOT-mismatched and a
 * complete delivery of one DSR (same MessageId, other file names), ingested leniently in every
 * order, end with exactly the complete report's rows; a truncated gzip is incomplete too. Real
 * SQLite file, real DuckDB lake.
 */
class IncompleteDeliveryTest {
  private static final SourceConfig DSR = SourceConfig.defaults("dsp", SourceConfig.Format.DSR);

  @TempDir Path dir;
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  private Database db;
  private Lake lake;
  private FileIngest ingest;

  @BeforeEach
  void open() {
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("royalty.db"))
                .withMigrations(Deliveries.MIGRATIONS)
                .build());
    lake = Lake.open(dir.resolve("lake"));
    ingest = new FileIngest(db, lake, time, new RunMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void close() {
    lake.close();
    db.close();
  }

  /** Six blocks of one AS and one SU each; amounts are {@code n + cents}, so copies differ. */
  static String dsr(String cents, boolean foot, int footLines) {
    List<String> lines = new ArrayList<>();
    lines.add("HEAD\tdsrf/30\tUGCProfile\t1.0\tM1\t2016-01-21T15:09:26Z\t2015-02-01\t2015-02-28");
    lines.add(
        "#HEAD\tMessageVersion\tProfile\tProfileVersion\tMessageId\tMessageCreatedDateTime"
            + "\tUsageStartDate\tUsageEndDate");
    lines.add("#SY02.01\tSummaryRecordId\tCommercialModel\tUseType\tTerritory\tCurrency");
    lines.add("#AS01\tBlockId\tResourceReference\tISRC\tTitle\tDisplayArtistName");
    lines.add("#SU03.01\tBlockId\tSummaryRecordId\tUsages\tNetRevenue");
    lines.add("#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile");
    lines.add("SY02.01\t1\tSubscriptionModel\tStream\tIS\tEUR");
    for (int b = 1; b <= 6; b++) {
      lines.add("AS01\tB" + b + "\tR" + b + "\tUSSM1980303" + b + "\tSong " + b + "\tArtist");
      lines.add("SU03.01\tB" + b + "\t1\t" + (10 * b) + "\t" + b + "." + cents);
    }
    if (foot) {
      lines.add("FOOT\t" + footLines + "\t1\t6");
    }
    return String.join("\n", lines) + "\n";
  }

  static final String COMPLETE = dsr("00", true, 20);
  static final String FOOT_MISMATCH = dsr("20", true, 21);

  /** Cut off mid-line in the last SU's amount, so no FOOT: {@code 6.1} of {@code 6.10}. */
  static final String TRUNCATED = dsr("10", false, 0).stripTrailing().replaceAll("0$", "");

  private Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private FileIngest.Outcome run(Path file) throws IOException {
    return ingest.ingest(file, DSR, Strictness.LENIENT, false, w -> {}, p -> {});
  }

  private List<String> lakeRows() {
    return lake
        .query("SELECT row_number, amount FROM sales WHERE source = 'dsp' ORDER BY row_number")
        .stream()
        .map(
            r ->
                r.get("row_number")
                    + "="
                    + ((java.math.BigDecimal) r.get("amount")).toPlainString())
        .toList();
  }

  private List<String> openDeadLetters() {
    Queues queues = new Queues(new Ledger(time), time);
    return db
        .read(
            c ->
                queues.list(
                    c,
                    Queues.Filter.all()
                        .withQueue(QueueItem.Queue.DEAD_LETTER)
                        .withState(QueueItem.State.OPEN)))
        .stream()
        .map(QueueItem::subject)
        .toList();
  }

  private List<IngestedDelivery> deliveries() {
    return db.read(c -> new Deliveries(time).list(c, null));
  }

  static final List<String> COMPLETE_ROWS =
      List.of(
          "9=1.000000", "11=2.000000", "13=3.000000", "15=4.000000", "17=5.000000", "19=6.000000");

  static Stream<Arguments> everyOrder() {
    String[] names = {"truncated", "mismatched", "complete"};
    List<Arguments> out = new ArrayList<>();
    for (int[] p : new int[][] {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}) {
      out.add(
          Arguments.of((Object) Arrays.stream(p).mapToObj(i -> names[i]).toArray(String[]::new)));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("everyOrder")
  void inEveryOrderTheLakeEndsWithExactlyTheCompleteReport(String[] order) throws IOException {
    Map<String, String> texts =
        Map.of("truncated", TRUNCATED, "mismatched", FOOT_MISMATCH, "complete", COMPLETE);
    for (String which : order) {
      run(file("DSR_M1_" + which + ".tsv", texts.get(which)));
      time.advance(Duration.ofMinutes(1));
    }

    assertThat(lakeRows()).isEqualTo(COMPLETE_ROWS);
    assertThat(openDeadLetters()).isEmpty();
    List<IngestedDelivery> current =
        deliveries().stream().filter(d -> d.replacedBy() == null).toList();
    assertThat(current)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.report()).isEqualTo("DSR_M1_complete.tsv");
              assertThat(d.state()).isEqualTo("complete");
              assertThat(d.reportId()).isEqualTo("M1");
            });
  }

  @Test
  void anIncompleteDeliveryIsStoredWithItsReasonAndTheCutRowIsADeadLetter() throws IOException {
    FileIngest.Outcome outcome = run(file("DSR_M1_truncated.tsv", TRUNCATED));

    assertThat(outcome).isInstanceOf(FileIngest.Ingested.class);
    IngestedDelivery d = ((FileIngest.Ingested) outcome).delivery();
    assertThat(d.state()).isEqualTo("incomplete");
    assertThat(d.incomplete()).isEqualTo("line 19: no FOOT record at the end of the file");
    assertThat(lakeRows()).hasSize(5).doesNotContain("19=6.100000", "19=6.000000");
    assertThat(openDeadLetters()).containsExactly("DSR_M1_truncated.tsv:19");
  }

  @Test
  void theCompleteReportReplacingAnIncompleteOneSaysSo() throws IOException {
    run(file("DSR_M1_mismatched.tsv", FOOT_MISMATCH));

    FileIngest.Outcome outcome = run(file("DSR_M1_complete.tsv", COMPLETE));

    FileIngest.Ingested done = (FileIngest.Ingested) outcome;
    assertThat(done.replaced())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.report()).isEqualTo("DSR_M1_mismatched.tsv");
              assertThat(d.incomplete())
                  .isEqualTo(
                      "line 20: FOOT NumberOfLinesInFile says 21 lines in the file; the file has"
                          + " 20");
            });
    assertThat(deliveries())
        .extracting(IngestedDelivery::report, IngestedDelivery::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("DSR_M1_mismatched.tsv", "replaced"),
            org.assertj.core.groups.Tuple.tuple("DSR_M1_complete.tsv", "complete"));
  }

  @Test
  void anIncompleteDeliveryAfterTheCompleteOneIsRefusedAndWritesNothing() throws IOException {
    run(file("DSR_M1_complete.tsv", COMPLETE));

    FileIngest.Outcome outcome = run(file("DSR_M1_truncated.tsv", TRUNCATED));

    assertThat(outcome).isInstanceOf(FileIngest.RefusedIncomplete.class);
    FileIngest.RefusedIncomplete refused = (FileIngest.RefusedIncomplete) outcome;
    assertThat(refused.complete().report()).isEqualTo("DSR_M1_complete.tsv");
    assertThat(refused.summary().incomplete())
        .isEqualTo("line 19: no FOOT record at the end of the file");
    assertThat(deliveries()).hasSize(1);
  }

  @Test
  void aTruncatedGzipIsIncompleteAndTheCompleteReportReplacesIt() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(dsr("30", true, 20).getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = gz.toByteArray();
    Path cut = dir.resolve("DSR_M1.tsv.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 12)); // the trailer and the deflate end

    FileIngest.Ingested first = (FileIngest.Ingested) run(cut);

    assertThat(first.summary().incomplete()).contains("truncated gzip: ");
    assertThat(first.delivery().state()).isEqualTo("incomplete");

    FileIngest.Ingested second = (FileIngest.Ingested) run(file("DSR_M1.tsv", COMPLETE));

    assertThat(second.replaced())
        .extracting(IngestedDelivery::report)
        .containsExactly(cut.getFileName().toString());
    assertThat(lakeRows()).isEqualTo(COMPLETE_ROWS);
    assertThat(openDeadLetters()).isEmpty();
  }
}
