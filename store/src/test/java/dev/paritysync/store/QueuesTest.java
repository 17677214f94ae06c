package dev.paritysync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.time.VirtualTime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueuesTest {
  @TempDir Path dir;
  final VirtualTime time = new VirtualTime();
  Database db;
  Ledger ledger;
  Queues queues;

  @BeforeEach
  void setUp() {
    db = Database.open(DatabaseConfig.sqlite(dir.resolve("queues.db")));
    ledger = new Ledger(time);
    queues = new Queues(ledger, time, 64);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  QueueItem enter(String subject) {
    return db.inTransaction(
        c ->
            queues.enter(
                c,
                Queues.entry(QueueItem.Queue.DEAD_LETTER, "expedia", subject, "422 invalid rate")
                    .withCorrelationId("chg-" + subject)));
  }

  List<String> ledgerKinds(String subject) {
    return db.read(c -> ledger.bySubject(c, subject)).stream().map(LedgerEntry::kind).toList();
  }

  @Test
  void enteringKeepsRedactedTruncatedEvidenceAndWritesTheLedger() {
    Request request =
        Request.post(
                URI.create("https://api.example.test/ari?hotel=7&api_key=s3cret"),
                "application/json",
                "{\"client_secret\":\"s3cret\",\"rates\":[{\"roomTypeCode\":\"DBL\"}]}"
                    .getBytes(StandardCharsets.UTF_8))
            .withHeader("Authorization", "Bearer s3cret")
            .withHeader("Idempotency-Key", "batch-1");
    String longBody = "{\"error\":\"" + "é".repeat(100) + "\"}";
    Response response =
        new Response(
            422,
            Headers.of("Content-Type", "application/json", "Set-Cookie", "session=s3cret"),
            longBody.getBytes(StandardCharsets.UTF_8),
            false,
            Duration.ofMillis(87));

    QueueItem item =
        db.inTransaction(
            c ->
                queues.enter(
                    c,
                    Queues.entry(
                            QueueItem.Queue.DEAD_LETTER, "expedia", "batch-1", "422 invalid rate")
                        .withCorrelationId("chg-1")
                        .withRequest(request)
                        .withResponse(response)
                        .withDetail("batch", Map.of("cells", 3))
                        .withAttempt(Map.of("status", 422, "action", "dead_letter"))));

    QueueItem shown = db.read(c -> queues.show(c, item.id())).orElseThrow();
    assertThat(shown).isEqualTo(item);
    assertThat(shown.state()).isEqualTo(QueueItem.State.OPEN);
    assertThat(shown.toString()).doesNotContain("s3cret");
    assertThat(shown.evidence()).containsEntry("batch", Map.of("cells", 3));
    @SuppressWarnings("unchecked")
    Map<String, Object> req = (Map<String, Object>) shown.evidence().get("request");
    assertThat((String) req.get("uri")).contains("hotel=7").contains("api_key=[redacted]");
    assertThat((String) req.get("body")).contains("roomTypeCode").contains("[redacted]");
    assertThat(req.get("headers").toString()).contains("batch-1");
    @SuppressWarnings("unchecked")
    Map<String, Object> res = (Map<String, Object>) shown.evidence().get("response");
    assertThat(res).containsEntry("status", 422).containsEntry("bodyTruncated", true);
    assertThat(((String) res.get("body")).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(64);
    assertThat((String) res.get("body")).doesNotContain("\uFFFD");
    assertThat(shown.attempts()).containsExactly(Map.of("status", 422, "action", "dead_letter"));

    List<LedgerEntry> entries = db.read(c -> ledger.byCorrelation(c, "chg-1"));
    assertThat(entries).singleElement();
    assertThat(entries.get(0).kind()).isEqualTo("queue.entered");
    assertThat(entries.get(0).attributes())
        .containsEntry("queue", "dead_letter")
        .containsEntry("item", item.id())
        .containsEntry("reason", "422 invalid rate");
  }

  @Test
  void discardClosesWithAReasonAndWritesTheLedgerOnce() {
    QueueItem item = enter("b-2");
    time.advance(Duration.ofMinutes(3));

    assertThat(ok(c -> queues.discard(c, item.id(), "rate withdrawn by revenue manager"))).isTrue();
    assertThat(ok(c -> queues.discard(c, item.id(), "again"))).isFalse();
    assertThat(ok(c -> queues.markReplayed(c, item.id()))).isFalse();

    QueueItem closed = db.read(c -> queues.show(c, item.id())).orElseThrow();
    assertThat(closed.state()).isEqualTo(QueueItem.State.DISCARDED);
    assertThat(closed.closedAt()).isEqualTo(time.instant());
    assertThat(closed.closedReason()).isEqualTo("rate withdrawn by revenue manager");
    assertThat(ledgerKinds("b-2")).containsExactly("queue.entered", "queue.discarded");
    assertThatThrownBy(() -> db.inTransaction(c -> queues.discard(c, item.id(), " ")))
        .hasMessageContaining("discarding queue item " + item.id() + " needs a reason");
  }

  @Test
  void replayClosesAndWritesTheLedger() {
    QueueItem item = enter("b-3");
    assertThat(ok(c -> queues.markReplayed(c, item.id()))).isTrue();
    assertThat(db.read(c -> queues.show(c, item.id())).orElseThrow().state())
        .isEqualTo(QueueItem.State.REPLAYED);
    assertThat(ledgerKinds("b-3")).containsExactly("queue.entered", "queue.replayed");
    assertThat(ok(c -> queues.markReplayed(c, "no-such-id"))).isFalse();
  }

  @Test
  void aRolledBackEnterLeavesNeitherItemNorLedgerEntry() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      queues.enter(
                          c, Queues.entry(QueueItem.Queue.RECONCILIATION, "ch", "b-4", "409"));
                      throw new IllegalStateException("abort");
                    }))
        .hasMessage("abort");
    assertThat(list(Queues.Filter.all())).isEmpty();
    assertThat(ledgerKinds("b-4")).isEmpty();
  }

  @Test
  void aRolledBackDiscardLeavesTheItemOpenAndNoLedgerEntry() {
    QueueItem item = enter("b-5");
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      queues.discard(c, item.id(), "nope");
                      throw new IllegalStateException("abort");
                    }))
        .hasMessage("abort");
    assertThat(db.read(c -> queues.show(c, item.id())).orElseThrow().state())
        .isEqualTo(QueueItem.State.OPEN);
    assertThat(ledgerKinds("b-5")).containsExactly("queue.entered");
  }

  @Test
  void listFiltersByQueueStateAndChannel() {
    QueueItem a = enter("l-1");
    time.advance(Duration.ofMillis(1));
    QueueItem b = enter("l-2");
    QueueItem r =
        db.inTransaction(
            c ->
                queues.enter(
                    c, Queues.entry(QueueItem.Queue.RECONCILIATION, "booking", "l-3", "409")));
    ok(c -> queues.discard(c, b.id(), "fixed upstream"));

    assertThat(list(Queues.Filter.all()))
        .extracting(QueueItem::id)
        .containsExactly(a.id(), b.id(), r.id());
    assertThat(
            list(
                Queues.Filter.all()
                    .withQueue(QueueItem.Queue.DEAD_LETTER)
                    .withState(QueueItem.State.OPEN)))
        .extracting(QueueItem::id)
        .containsExactly(a.id());
    assertThat(list(Queues.Filter.all().withChannel("booking")))
        .extracting(QueueItem::id)
        .containsExactly(r.id());
    assertThat(list(Queues.Filter.all().withLimit(1))).hasSize(1);
  }

  @Test
  void listPagesAfterAnItemAndFromAnInstant() {
    QueueItem a = enter("p-1");
    QueueItem b = enter("p-2"); // same millisecond as a: ordered by id
    time.advance(Duration.ofSeconds(1));
    QueueItem c = enter("p-3");

    assertThat(list(Queues.Filter.all().withAfter(a.createdAt(), a.id())))
        .extracting(QueueItem::id)
        .containsExactly(b.id(), c.id());
    assertThat(list(Queues.Filter.all().withAfter(b.createdAt(), b.id()).withLimit(5)))
        .extracting(QueueItem::id)
        .containsExactly(c.id());
    assertThat(list(Queues.Filter.all().withSince(c.createdAt())))
        .extracting(QueueItem::id)
        .containsExactly(c.id());
    assertThat(list(Queues.Filter.all().withAfter(c.createdAt(), c.id()))).isEmpty();
  }

  @Test
  void aDiscardNamesWhoDecided() {
    QueueItem item = enter("d-1");
    assertThat(ok(c -> queues.discard(c, item.id(), "duplicate", "ops@example"))).isTrue();
    LedgerEntry discarded = db.read(c -> ledger.bySubject(c, "d-1")).get(1);
    assertThat(discarded.kind()).isEqualTo("queue.discarded");
    assertThat(discarded.attributes())
        .containsEntry("reason", "duplicate")
        .containsEntry("by", "ops@example");
  }

  List<QueueItem> list(Queues.Filter filter) {
    return db.read(c -> queues.list(c, filter));
  }

  boolean ok(Tx<Boolean> work) {
    return db.inTransaction(work);
  }
}
