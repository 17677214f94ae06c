package dev.paritysync.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging and the filters read from each item (reason, property) over a real SQLite file: pages stay
 * whole when matches are sparse, and a cursor resumes after the last item returned.
 */
class QueueAdminTest {
  @TempDir Path dir;
  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  Database db;
  QueueAdmin admin;
  final List<QueueItem> entered = new ArrayList<>();

  @BeforeEach
  void fill() {
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("admin.db"))
                .withMigrations("classpath:db/migration/hotel")
                .build());
    admin = new QueueAdmin(db, time);
    Queues queues = new Queues(new Ledger(time), time);
    // Ten items; every third is a 422 for property P2, the rest 503s for P1.
    for (int i = 0; i < 10; i++) {
      boolean rare = i % 3 == 0;
      String reason = rare ? "validation (HTTP 422)" : "retries_exhausted (HTTP 503)";
      int n = i;
      entered.add(
          db.inTransaction(
              c ->
                  queues.enter(
                      c,
                      Queues.entry(QueueItem.Queue.DEAD_LETTER, "a", "batch-" + n, reason)
                          .withDetail("batch", Map.of("property", rare ? "P2" : "P1")))));
      time.advance(Duration.ofSeconds(1));
    }
  }

  @AfterEach
  void close() {
    db.close();
  }

  ItemFilter filter(String reason, String property, int limit) {
    return new ItemFilter(null, null, QueueItem.State.OPEN, reason, property, null, limit, null);
  }

  List<String> all(ItemFilter filter) {
    List<String> ids = new ArrayList<>();
    Page<QueueItem> page = admin.list(filter);
    page.items().forEach(i -> ids.add(i.id()));
    while (page.nextCursor() != null) {
      assertThat(page.items()).hasSize(filter.limit());
      page = admin.list(filter.withCursor(page.nextCursor()));
      page.items().forEach(i -> ids.add(i.id()));
    }
    return ids;
  }

  @Test
  void sparseMatchesArePagedWholeAndInOrder() {
    List<String> rare =
        List.of(entered.get(0).id(), entered.get(3).id(), entered.get(6).id(), entered.get(9).id());
    assertThat(all(filter("http 422", null, 1))).containsExactlyElementsOf(rare);
    assertThat(all(filter(null, "P2", 3))).containsExactlyElementsOf(rare);
    assertThat(all(filter("503", "P2", 2))).isEmpty();
    assertThat(all(filter(null, null, 4))).hasSize(10);
    Page<QueueItem> exact = admin.list(filter("422", null, 4));
    assertThat(exact.items()).hasSize(4);
    assertThat(exact.nextCursor()).as("no page after the last match").isNull();
  }

  @Test
  void sinceAndTheCursorStartWhereTheySay() {
    ItemFilter since =
        new ItemFilter(null, null, null, null, null, entered.get(8).createdAt(), 50, null);
    assertThat(admin.list(since).items())
        .extracting(QueueItem::id)
        .containsExactly(entered.get(8).id(), entered.get(9).id());
    assertThatThrownBy(() -> filter(null, null, 1).withCursor("not-a-cursor"))
        .isInstanceOf(AdminException.class)
        .hasMessage("cursor: 'not-a-cursor' is not a cursor this server gave out");
    assertThatThrownBy(() -> filter(null, null, 1001))
        .hasMessage("limit: must be 1 to 1000, was 1001");
  }

  @Test
  void discardChecksEveryIdFirstAndRecordsWhoDecided() {
    String a = entered.get(0).id();
    assertThatThrownBy(() -> admin.discard(List.of(a, "nope"), "dup", "ops"))
        .isInstanceOf(AdminException.class)
        .hasMessage("no queue item nope")
        .extracting(e -> ((AdminException) e).kind())
        .isEqualTo(AdminException.Kind.NOT_FOUND);
    assertThat(admin.item(a).state()).isEqualTo(QueueItem.State.OPEN);

    assertThat(admin.discard(List.of(a), " dup ", "ops").get(0).closedReason()).isEqualTo("dup");
    assertThat(admin.show(a).trail())
        .filteredOn(e -> e.kind().equals("queue.discarded"))
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("by", "ops"));
    assertThatThrownBy(() -> admin.discard(List.of(a), "again", "ops"))
        .extracting(e -> ((AdminException) e).kind())
        .isEqualTo(AdminException.Kind.CONFLICT);
    assertThatThrownBy(() -> admin.discard(List.of(a), " ", "ops"))
        .extracting(e -> ((AdminException) e).field())
        .isEqualTo("reason");
  }
}
