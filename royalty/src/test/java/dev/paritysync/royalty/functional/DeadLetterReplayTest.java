package dev.paritysync.royalty.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.FileIngest;
import dev.paritysync.royalty.RunMetrics;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying royalty dead letters after a configuration fix, over a real SQLite store and a real
 * DuckDB lake: valid now → in the lake once, however often replayed; still invalid → open with the
 * new reason; the report's next delivery replaces the replayed row with the rest.
 */
class DeadLetterReplayTest {
  static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";
  static final String ROWS =
      "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
          + "2024-03,S,A,T,USSM19803037,,2,Mars,0.20\n"
          + "2024-03,S,A,T,BAD,,3,Mars,0.30\n";

  @TempDir Path dir;
  VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:00Z"));
  Database db;
  Lake lake;
  Queues queues = new Queues(new Ledger(time), time);
  SourceConfig before = SourceConfig.defaults("distro", SourceConfig.Format.CSV);
  SourceConfig fixed =
      SourceConfig.fromMap(
          "distro", Map.of("format", "csv", "territoryAliases", Map.of("Mars", "US")));

  @BeforeEach
  void open() throws Exception {
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("royalty.db"))
                .withMigrations(Deliveries.MIGRATIONS)
                .build());
    lake = Lake.open(dir.resolve("lake"));
    Path file = dir.resolve("sales.csv");
    Files.writeString(file, HEADER + ROWS);
    new FileIngest(db, lake, time, new RunMetrics(new SimpleMeterRegistry()))
        .ingest(file, before, Strictness.LENIENT, false, w -> {}, p -> {});
  }

  @AfterEach
  void close() {
    lake.close();
    db.close();
  }

  QueueItem deadLetter(long line) {
    return db
        .read(
            c ->
                queues.list(
                    c,
                    Queues.Filter.all()
                        .withQueue(QueueItem.Queue.DEAD_LETTER)
                        .withChannel("distro")))
        .stream()
        .filter(i -> ((Number) i.evidence().get("row")).longValue() == line)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aRowValidNowIsWrittenOnceAndItsDeadLetterClosedWithALedgerEntry() {
    DeadLetterReplay replay = new DeadLetterReplay(db, lake, time);
    QueueItem item = deadLetter(3);
    assertThat(item.evidence().get("values"))
        .isEqualTo(
            Map.of(
                "period", "2024-03",
                "commercialModel", "S",
                "artist", "A",
                "title", "T",
                "isrc", "USSM19803037",
                "upc", "",
                "quantity", "2",
                "territory", "Mars",
                "amount", "0.20",
                "currency", "USD"));
    assertThat(lake.count("distro", "sales.csv")).isEqualTo(1);

    DeadLetterReplay.Outcome outcome = replay.replay(item, Map.of("distro", fixed));

    assertThat(outcome).isInstanceOf(DeadLetterReplay.Written.class);
    assertThat(((DeadLetterReplay.Written) outcome).reportId()).isEqualTo("sales");
    assertThat(lake.count("distro", "sales.csv")).isEqualTo(2);
    assertThat(
            lake.query(
                "SELECT territory, quantity FROM sales WHERE report = 'sales.csv' AND row_number ="
                    + " 3"))
        .containsExactly(Map.of("territory", "US", "quantity", 2L));
    assertThat(deadLetter(3).state()).isEqualTo(QueueItem.State.REPLAYED);
    List<LedgerEntry> trail = db.read(c -> new Ledger(time).bySubject(c, "sales.csv:3"));
    assertThat(trail)
        .extracting(LedgerEntry::kind)
        .containsExactly("queue.entered", "queue.replayed", "royalty.row.replayed");

    assertThatThrownBy(() -> replay.replay(deadLetter(3), Map.of("distro", fixed)))
        .hasMessageStartingWith("queue item " + item.id() + " is already replayed");
    assertThat(lake.count("distro", "sales.csv")).isEqualTo(2);
  }

  @Test
  void aCrashBetweenLakeAndStoreLeavesTheRowOnceWhenReplayedAgain() {
    DeadLetterReplay replay = new DeadLetterReplay(db, lake, time);
    replay.replay(deadLetter(3), Map.of("distro", fixed));
    // What a crash after the lake write and before the store's transaction leaves: an open item.
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE queue_items SET state = 'open', closed_at = NULL WHERE subject = ?")) {
            ps.setString(1, "sales.csv:3");
            ps.executeUpdate();
          }
          return null;
        });

    assertThat(replay.replay(deadLetter(3), Map.of("distro", fixed)))
        .isInstanceOf(DeadLetterReplay.Written.class);
    assertThat(lake.count("distro", "sales.csv")).isEqualTo(2);
  }

  @Test
  void aRowStillInvalidStaysOpenWithTheNewReason() {
    DeadLetterReplay replay = new DeadLetterReplay(db, lake, time);
    QueueItem item = deadLetter(4);
    assertThat(item.reason()).startsWith("territory: ");

    DeadLetterReplay.Outcome outcome = replay.replay(item, Map.of("distro", fixed));

    assertThat(outcome).isInstanceOf(DeadLetterReplay.StillInvalid.class);
    QueueItem after = deadLetter(4);
    assertThat(after.state()).isEqualTo(QueueItem.State.OPEN);
    assertThat(after.reason()).startsWith("isrc: ").contains("'BAD'");
    assertThat(after.evidence().get("field")).isEqualTo("isrc");
    List<LedgerEntry> trail = db.read(c -> new Ledger(time).bySubject(c, "sales.csv:4"));
    assertThat(trail)
        .extracting(LedgerEntry::kind)
        .containsExactly("queue.entered", "royalty.row.still_invalid");
    assertThat(lake.count("distro", "sales.csv")).isEqualTo(1);
  }

  @Test
  void theReportsNextDeliveryReplacesTheReplayedRowWithTheRest() throws Exception {
    new DeadLetterReplay(db, lake, time).replay(deadLetter(3), Map.of("distro", fixed));
    assertThat(lake.count("distro", "sales.csv")).isEqualTo(2);

    Path corrected = dir.resolve("in").resolve("sales.csv");
    Files.createDirectories(corrected.getParent());
    Files.writeString(
        corrected, HEADER + ROWS.replace("Mars", "US").replace("BAD", "USSM19803037"));
    new FileIngest(db, lake, time, new RunMetrics(new SimpleMeterRegistry()))
        .ingest(corrected, before, Strictness.LENIENT, false, w -> {}, p -> {});

    assertThat(lake.count("distro", "sales.csv")).isEqualTo(3);
  }

  @Test
  void aSourceNotConfiguredIsNotReplayedAndSaysWhatToGive() {
    DeadLetterReplay.Outcome outcome =
        new DeadLetterReplay(db, lake, time).replay(deadLetter(3), Map.of());
    assertThat(outcome).isInstanceOf(DeadLetterReplay.NotReplayable.class);
    assertThat(((DeadLetterReplay.NotReplayable) outcome).why())
        .isEqualTo(
            "source 'distro' is not configured (known: ); give the --config it was ingested with");
    assertThat(deadLetter(3).state()).isEqualTo(QueueItem.State.OPEN);
  }
}
