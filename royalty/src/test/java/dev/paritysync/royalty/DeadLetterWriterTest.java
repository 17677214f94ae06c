package dev.paritysync.royalty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterWriterTest {
  @TempDir Path dir;

  @Test
  void invalidRowsOfAnIngestLandInTheDeadLetterQueueWithTheirEvidence() throws Exception {
    VirtualTime time = new VirtualTime();
    try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("royalty.db")))) {
      Queues queues = new Queues(new Ledger(time), time);
      String csv =
          "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n"
              + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
              + "2024-03,S,A,T,BAD,,1,US,0.10\n"
              + "2024-03,S,A,T,USSM19803037,,1,US,-0.10\n"
              + "2024-03,S,A,T,USSM19803037,,1,Mars,0.10\n";
      RunSummary summary;
      try (DeadLetterWriter writer = new DeadLetterWriter(db, queues, 2)) {
        summary =
            ReportIngest.ingest(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "d.csv",
                SourceConfig.defaults("distro", SourceConfig.Format.CSV),
                Strictness.STRICT,
                r -> {},
                writer,
                w -> {});
        writer.flush();
        assertThat(writer.written()).isEqualTo(3);
      }

      assertThat(summary.deadLettered()).isEqualTo(3);
      List<QueueItem> items =
          db.read(c -> queues.list(c, Queues.Filter.all().withQueue(QueueItem.Queue.DEAD_LETTER)));
      assertThat(items)
          .extracting(QueueItem::subject)
          .containsExactlyInAnyOrder("d.csv:3", "d.csv:4", "d.csv:5");
      QueueItem bad = items.stream().filter(i -> i.subject().equals("d.csv:3")).findFirst().get();
      assertThat(bad.channel()).isEqualTo("distro");
      assertThat(bad.reason()).startsWith("isrc: ISRC 'BAD' is not");
      assertThat(bad.evidence())
          .containsEntry("field", "isrc")
          .containsEntry("report", "d.csv")
          .containsEntry("excerpt", "2024-03,S,A,T,BAD,,1,US,0.10");
    }
  }
}
