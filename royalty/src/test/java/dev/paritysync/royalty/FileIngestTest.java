package dev.paritysync.royalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.ReportFormatException;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File intake against a real SQLite file and a real DuckDB lake in a temporary directory. */
class FileIngestTest {
  static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";

  @TempDir Path dir;
  VirtualTime time = new VirtualTime(Instant.parse("2026-01-31T23:59:00Z"));
  Database db;
  Lake lake;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  FileIngest ingest;
  SourceConfig distro = SourceConfig.defaults("distro", SourceConfig.Format.CSV);

  @BeforeEach
  void open() {
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("royalty.db"))
                .withMigrations(Deliveries.MIGRATIONS)
                .build());
    lake = Lake.open(dir.resolve("lake"));
    ingest = new FileIngest(db, lake, time, new RunMetrics(registry));
  }

  @AfterEach
  void close() {
    lake.close();
    db.close();
  }

  Path csv(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, HEADER + body, StandardCharsets.UTF_8);
    return file;
  }

  static final String FOUR_ROWS =
      "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
          + "2024-03,S,A,T,BAD,,1,US,0.10\n"
          + "2024-04,S,A,T,USSM19803037,,2,GB,0.20\n"
          + "2024-03,S,A,T,USSM19803037,,1,Mars,0.10\n";

  FileIngest.Outcome run(Path file, Strictness strictness, boolean force) throws IOException {
    return ingest.ingest(file, distro, strictness, force, w -> {}, p -> {});
  }

  List<QueueItem> openDeadLetters() {
    Queues queues = new Queues(new Ledger(time), time);
    return db.read(
        c ->
            queues.list(
                c,
                Queues.Filter.all()
                    .withQueue(QueueItem.Queue.DEAD_LETTER)
                    .withState(QueueItem.State.OPEN)));
  }

  long deliveries() {
    return db.read(
        c -> {
          try (var rs =
              c.createStatement().executeQuery("SELECT count(*) FROM royalty_deliveries")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Test
  void validRowsGoToTheLakeAndInvalidOnesToTheDeadLetterQueue() throws IOException {
    FileIngest.Outcome outcome = run(csv("d.csv", FOUR_ROWS), Strictness.LENIENT, false);

    assertThat(outcome).isInstanceOf(FileIngest.Ingested.class);
    RunSummary s = ((FileIngest.Ingested) outcome).summary();
    assertThat(s.rowsRead()).isEqualTo(4);
    assertThat(s.valid()).isEqualTo(2);
    assertThat(lake.count("distro", "d.csv")).isEqualTo(s.valid());
    assertThat(openDeadLetters())
        .extracting(QueueItem::subject)
        .containsExactlyInAnyOrder("d.csv:3", "d.csv:5");
    assertThat(deliveries()).isEqualTo(1);
    assertThat(registry.get(RunMetrics.REJECTION_RATE).tag("source", "distro").gauge().value())
        .isEqualTo(0.5);
    assertThat(
            registry
                .get(RunMetrics.ROWS)
                .tags("source", "distro", "outcome", "valid")
                .counter()
                .count())
        .isEqualTo(2.0);
  }

  @Test
  void theSameDeliveryUnderAnotherNameIsRefusedAndWritesNothing() throws IOException {
    run(csv("d.csv", FOUR_ROWS), Strictness.LENIENT, false);

    FileIngest.Outcome again = run(csv("copy-of-d.csv", FOUR_ROWS), Strictness.LENIENT, false);

    assertThat(again).isInstanceOf(FileIngest.AlreadyIngested.class);
    assertThat(((FileIngest.AlreadyIngested) again).earlier().report()).isEqualTo("d.csv");
    assertThat(lake.count("distro")).isEqualTo(2);
    assertThat(openDeadLetters()).hasSize(2);
    assertThat(deliveries()).isEqualTo(1);
  }

  static String dsr(String revenue) {
    return String.join(
            "\n",
            "HEAD\tdsrf/30\tUGCProfile\t1.0\tM1\t2016-01-21T15:09:26Z\t2015-02-01\t2015-02-28",
            "#HEAD\tMessageVersion\tProfile\tProfileVersion\tMessageId\tMessageCreatedDateTime"
                + "\tUsageStartDate\tUsageEndDate",
            "#SY02.01\tSummaryRecordId\tCommercialModel\tUseType\tTerritory\tCurrency",
            "#AS01\tBlockId\tResourceReference\tISRC\tTitle\tDisplayArtistName",
            "#SU03.01\tBlockId\tSummaryRecordId\tUsages\tNetRevenue",
            "#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile",
            "SY02.01\t1\tSubscriptionModel\tStream\tWW\tEUR",
            "AS01\tB1\tR1\tUSSM19803037\tSong\tArtist",
            "SU03.01\tB1\t1\t10\t" + revenue,
            "FOOT\t10\t1\t1")
        + "\n";
  }

  @Test
  void aDsrWithAnEarlierMessageIdIsTheSameDeliveryEvenWithOtherBytes() throws IOException {
    SourceConfig youtube = SourceConfig.defaults("youtube", SourceConfig.Format.DSR);
    Path first = dir.resolve("first.tsv");
    Files.writeString(first, dsr("0.50"));
    Path resent = dir.resolve("resent.tsv");
    Files.writeString(resent, dsr("0.51"));
    assertThat(ingest.ingest(first, youtube, Strictness.STRICT, false, w -> {}, p -> {}))
        .isInstanceOf(FileIngest.Ingested.class);

    FileIngest.Outcome again =
        ingest.ingest(resent, youtube, Strictness.STRICT, false, w -> {}, p -> {});

    assertThat(again).isInstanceOf(FileIngest.AlreadyIngested.class);
    IngestedDelivery earlier = ((FileIngest.AlreadyIngested) again).earlier();
    assertThat(earlier.report()).isEqualTo("first.tsv");
    assertThat(earlier.messageId()).isEqualTo("M1");
    assertThat(lake.count("youtube")).isEqualTo(1);
  }

  @Test
  void forceIngestsTheSameDeliveryAgainReplacingItsRowsAndDeadLetters() throws IOException {
    Path file = csv("d.csv", FOUR_ROWS);
    run(file, Strictness.LENIENT, false);

    FileIngest.Outcome again = run(file, Strictness.LENIENT, true);

    assertThat(again).isInstanceOf(FileIngest.Ingested.class);
    assertThat(((FileIngest.Ingested) again).replaced()).hasSize(1);
    assertThat(lake.count("distro", "d.csv")).isEqualTo(2);
    assertThat(openDeadLetters()).hasSize(2);
  }

  @Test
  void aCorrectedReportUnderTheSameNameReplacesItsRows() throws IOException {
    run(csv("d.csv", FOUR_ROWS), Strictness.LENIENT, false);

    FileIngest.Outcome corrected =
        run(csv("d.csv", "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"), Strictness.LENIENT, false);

    assertThat(corrected).isInstanceOf(FileIngest.Ingested.class);
    assertThat(lake.count("distro", "d.csv")).isEqualTo(1);
    assertThat(openDeadLetters()).isEmpty();
    assertThat(deliveries()).isEqualTo(2);
  }

  @Test
  void aStrictDefectWritesNothingForThatReport() throws IOException {
    Path file = csv("d.csv", FOUR_ROWS + "2024-03,S,A,T,USSM19803037,,1,US\n");

    assertThatThrownBy(() -> run(file, Strictness.STRICT, false))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageStartingWith("d.csv:6: ");

    assertThat(lake.count("distro")).isZero();
    assertThat(openDeadLetters()).isEmpty();
    assertThat(deliveries()).isZero();
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> run(dir.resolve("nope.csv"), Strictness.LENIENT, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(dir.resolve("nope.csv") + ": no such file");
  }

  @Test
  void longRunsReportProgressOnTheInjectedClock() throws IOException {
    Path file = dir.resolve("big.csv");
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write(HEADER);
      for (int i = 0; i < 5000; i++) {
        w.write("2024-03,S,A,T,USSM19803037,,1,US,0.10\n");
      }
    }
    // every reading of the clock moves it a second on
    Clock stepping =
        new Clock() {
          @Override
          public Instant instant() {
            return time.instant();
          }

          @Override
          public long nanoTime() {
            time.advance(Duration.ofSeconds(1));
            return time.nanoTime();
          }
        };
    FileIngest slow =
        new FileIngest(db, lake, stepping, new RunMetrics(registry), Duration.ofMillis(1500));
    List<FileIngest.Progress> seen = new ArrayList<>();

    FileIngest.Outcome outcome =
        slow.ingest(file, distro, Strictness.STRICT, false, w -> {}, seen::add);

    // read at the start (t=1 s) and every 1024 rows: 1024 at 2 s (not yet 1.5 s on), 2048 at
    // 3 s (reported, next due at 4.5 s), 3072 at 4 s, 4096 at 5 s (reported); the end at 6 s
    assertThat(seen).extracting(FileIngest.Progress::rows).containsExactly(2048L, 4096L);
    assertThat(seen.get(0).elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(seen.get(0).rowsPerSecond()).isEqualTo(1024.0);
    assertThat(seen.get(0).fileBytes()).isEqualTo(Files.size(file));
    assertThat(seen.get(0).bytesRead()).isBetween(2048L * 39, Files.size(file));
    assertThat(seen.get(1).bytesRead()).isGreaterThan(seen.get(0).bytesRead());
    assertThat(((FileIngest.Ingested) outcome).rowsPerSecond()).isEqualTo(1000.0);
  }
}
