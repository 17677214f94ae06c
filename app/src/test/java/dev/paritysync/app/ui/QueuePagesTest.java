package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue pages over real HTTP, on virtual time, over a real SQLite file and a real engine
 * delivering to a simulated channel that refuses rates under 50.00 (dead letters) and answers 409
 * for one day (reconciliation items): filters and their refusals, an item's evidence, bulk replay
 * with its confirmation, and both kinds of item acted on, each action in the ledger with who.
 */
class QueuePagesTest {
  private static final String TOKEN = "queues-admin-token";
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  private static final LocalDate CONFLICT_DAY = TODAY.plusDays(5);

  @TempDir Path dir;
  private SimChannel sim;
  private UiFixture ui;
  private String cookie;
  private String csrf;

  @BeforeEach
  void open() {
    sim =
        SimChannel.start(
            SimConfig.healthy(1).toBuilder()
                .withRateFloor(new BigDecimal("50"))
                .withConflictCell("P1/D1/R1/" + CONFLICT_DAY)
                .build(),
            new VirtualTime(TODAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
    ui =
        new UiFixture(
            dir,
            TOKEN,
            UiFixture.YAML.replace("http://127.0.0.1:9/", sim.baseUri() + "/")
                + "    resilience: {quotas: {ari: [\"100/1s\"]}}\n");
    cookie = ui.session(TOKEN);
    csrf = UiFixture.csrf(ui.get("/ui/dead-letters", cookie));
  }

  @AfterEach
  void close() {
    ui.close();
    sim.close();
  }

  /**
   * A rate for P1/DBL/BAR from day {@code from} to day {@code to}, sent: formed, refused, parked.
   */
  private void push(int from, int to, String amount) {
    ui.engine
        .ingest()
        .accept(
            List.of(
                Change.builder("P1", "DBL", TODAY.plusDays(from), TODAY.plusDays(to))
                    .withRatePlan("BAR")
                    .withRate(Rate.of(amount, "EUR"))
                    .build()));
    ui.engine.step("a");
    ui.time.advance(Duration.ofSeconds(1));
  }

  /** The open items, oldest first, of {@code queue}. */
  private List<QueueItem> items(QueueItem.Queue queue) {
    return ui.db.read(
        c ->
            new Queues(new Ledger(ui.time), ui.time)
                .list(c, Queues.Filter.all().withQueue(queue).withLimit(100)));
  }

  private QueueItem item(String id) {
    return ui.db.read(c -> new Queues(new Ledger(ui.time), ui.time).show(c, id)).orElseThrow();
  }

  private List<LedgerEntry> trail(String id) {
    return ui.db.read(c -> new Ledger(ui.time).bySubject(c, item(id).subject()));
  }

  /** Three dead letters (10.00 on days 1-2; 15.00 on day 3; two hours later 20.00 on day 10). */
  private List<String> deadLetters() {
    push(1, 2, "10.00");
    push(3, 3, "15.00");
    ui.time.advance(Duration.ofHours(2));
    push(10, 10, "20.00");
    List<String> ids = items(QueueItem.Queue.DEAD_LETTER).stream().map(QueueItem::id).toList();
    assertThat(ids).hasSize(3);
    return ids;
  }

  @Test
  void filtersSelectByChannelPropertyReasonSinceAgeAndStatusAndRefuseBadParameters() {
    List<String> dl = deadLetters();
    push(5, 5, "90.00");
    String conflict = items(QueueItem.Queue.RECONCILIATION).get(0).id();

    String all = ui.get("/ui/dead-letters", cookie).body();
    assertThat(all).contains("<h1>Dead letters</h1>", dl.get(0), dl.get(1), dl.get(2));
    assertThat(all).doesNotContain(conflict);
    String recon = ui.get("/ui/reconciliation-items", cookie).body();
    assertThat(recon).contains("<h1>Reconciliation items</h1>", conflict).doesNotContain(dl.get(0));

    assertThat(ui.get("/ui/dead-letters?reason=10.00", cookie).body())
        .contains(dl.get(0), "Filtered: reason containing \"10.00\"")
        .doesNotContain(dl.get(1), dl.get(2));
    assertThat(ui.get("/ui/dead-letters?age=1h", cookie).body())
        .contains(dl.get(2))
        .doesNotContain(dl.get(0), dl.get(1));
    assertThat(ui.get("/ui/dead-letters?since=2026-03-01T01:00:00Z", cookie).body())
        .contains(dl.get(2))
        .doesNotContain(dl.get(0), dl.get(1));
    assertThat(ui.get("/ui/dead-letters?since=2026-03-01&property=P1&channel=a", cookie).body())
        .contains(dl.get(0), dl.get(1), dl.get(2));
    assertThat(ui.get("/ui/dead-letters?until=2026-03-01T01:00:00Z", cookie).body())
        .contains(dl.get(0), dl.get(1))
        .doesNotContain(dl.get(2));
    assertThat(
            ui.get("/ui/dead-letters?since=2026-03-01T00:00:01Z&until=2026-03-01T01:00:00Z", cookie)
                .body())
        .contains(dl.get(1), "entered since 2026-03-01T00:00:01Z, entered until 2026-03-01T01:00")
        .doesNotContain(dl.get(0), dl.get(2));
    assertThat(ui.get("/ui/dead-letters?until=2026-03-01", cookie).body())
        .as("a day is included whole")
        .contains(dl.get(0), dl.get(1), dl.get(2));
    assertThat(ui.get("/ui/dead-letters?property=P2", cookie).body())
        .contains("No open dead letter with property P2.")
        .doesNotContain("data-item=");
    assertThat(ui.get("/ui/dead-letters?channel=b&status=all", cookie).body())
        .contains("No dead letter with channel b.");

    // The filter is in the URL and goes with every link and form: the evidence and back again.
    String filtered = ui.get("/ui/dead-letters?reason=rate+1&age=1d", cookie).body();
    assertThat(filtered)
        .contains(
            "name=\"back\" value=\"reason=rate+1&amp;age=1d\"",
            "href=\"/ui/items/" + dl.get(0) + "?back=reason%3Drate%2B1%26age%3D1d\"",
            "href=\"/ui/dead-letters/replay-all?reason=rate+1&amp;age=1d\"",
            "value=\"rate 1\"");

    refused("/ui/dead-letters?sort=age", "parameter 'sort' is not one of this page's: age, bulk,");
    refused("/ui/dead-letters?channel=a&channel=b", "parameter 'channel' is given more than once");
    refused("/ui/dead-letters?reason=" + "x".repeat(201), "'reason' is longer than 200 characters");
    refused("/ui/dead-letters?channel=a+b", "channel: 'a b' is not a channel name");
    refused("/ui/dead-letters?property=..", "property: '..' is not a property name");
    refused("/ui/dead-letters?since=March", "since: 'March' is not a date (2026-03-01)");
    refused("/ui/dead-letters?since=2026-02-30", "since: '2026-02-30' is not a date");
    refused("/ui/dead-letters?until=soon", "until: 'soon' is not a date (2026-03-01)");
    refused(
        "/ui/dead-letters?since=2026-03-03&until=2026-03-01",
        "until: 2026-03-02T00:00:00Z must be after since 2026-03-03T00:00:00Z");
    refused("/ui/dead-letters?age=5w", "age: '5w' is not an age: a whole number and m, h or d");
    refused("/ui/dead-letters?age=367d", "age: must be more than 0 and at most 366d");
    refused("/ui/dead-letters?age=0m", "age: must be more than 0");
    refused("/ui/dead-letters?age=1h&since=2026-03-01", "since and age: give one of them");
    refused("/ui/dead-letters?status=closed", "status: 'closed' is not a state");
    refused("/ui/dead-letters?cursor=zz", "cursor: 'zz' is not a cursor");
  }

  @Test
  void anItemsPageShowsItsEvidenceAndLedgerTrailAndActsOnIt() {
    List<String> dl = deadLetters();
    String id = dl.get(0);
    HttpResponse<String> page = ui.get("/ui/items/" + id, cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "Dead letter <code>" + id + "</code>",
            "○ open",
            "validation (HTTP 422: [updates[0].rate: rate 10.00 is below the floor 50])",
            "POST " + sim.baseUri() + "/v1/properties/P1/ari",
            "\"rate\":\"10.00\"",
            "rate 10.00 is below the floor 50",
            "DBL/BAR 2026-03-02..2026-03-03  rate 10.00 EUR",
            "DBL/BAR/2026-03-02@1",
            "DBL/BAR/2026-03-03@1",
            "updates[0].rate: rate 10.00 is below the floor 50",
            "DEAD_LETTER(validation)",
            "data-kind=\"batch.formed\"",
            "data-kind=\"attempt\"",
            "data-kind=\"queue.entered\"",
            "data-kind=\"batch.dead_lettered\"",
            "class=\"replay\"",
            "href=\"/ui/dead-letters\" id=\"back\"");
    assertThat(page.body()).contains("422 (").doesNotContain("X-Api-Key: k");

    // Replay from its page: back to it, replayed, the ledger saying who.
    HttpResponse<String> done =
        ui.post(
            "/ui/items/" + id + "/replay",
            cookie,
            "csrf=" + csrf + "&view=item&back=" + enc("reason=10.00"));
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location"))
        .hasValue("/ui/items/" + id + "?back=reason%3D10.00&replayed=" + id + "&cells=2");
    String after = ui.get(done.headers().firstValue("Location").orElseThrow(), cookie).body();
    assertThat(after)
        .contains(
            "Replayed " + id + ": 2 cell(s) pending again.",
            "↻ replayed",
            "data-kind=\"queue.replayed\"",
            "href=\"/ui/dead-letters?reason=10.00\" id=\"back\"")
        .doesNotContain("class=\"replay\"", "class=\"discard\"");
    assertThat(trail(id))
        .filteredOn(e -> e.kind().endsWith(".replayed"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.attributes()).containsEntry("by", "web-ui"));
    assertThat(item(id).state()).isEqualTo(QueueItem.State.REPLAYED);

    HttpResponse<String> again =
        ui.post("/ui/items/" + id + "/replay", cookie, "csrf=" + csrf + "&view=item");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("queue item " + id + " is already replayed");
    assertThat(ui.get("/ui/items/nope", cookie).body()).contains("no queue item nope");
    assertThat(ui.get("/ui/items/nope", cookie).statusCode()).isEqualTo(404);
    refused("/ui/items/" + "x".repeat(101), "id: at most 100 characters");
    refused("/ui/items/" + id + "?view=list", "parameter 'view' is not one of this page's");
    refused("/ui/items/" + id + "?back=" + enc("status=gone"), "status: 'gone' is not a state");
    HttpResponse<String> badView =
        ui.post("/ui/items/" + dl.get(1) + "/replay", cookie, "csrf=" + csrf + "&view=x");
    assertThat(badView.statusCode()).isEqualTo(400);
    assertThat(badView.body()).contains("view: 'x' is not a view (list, item)");
  }

  @Test
  void bulkReplayTakesEveryOpenItemTheFilterSelectsAfterConfirmingTheCount() {
    List<String> dl = deadLetters();
    push(5, 5, "90.00");
    String conflict = items(QueueItem.Queue.RECONCILIATION).get(0).id();
    String filter = "reason=" + enc("rate 1");

    HttpResponse<String> confirm = ui.get("/ui/dead-letters/replay-all?" + filter, cookie);
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body())
        .contains(
            "Filter: reason containing \"rate 1\".",
            "This replays <strong>2</strong> open dead letter(s) holding 3 cell(s)",
            "name=\"expect\" value=\"2\"",
            "name=\"back\" value=\"reason=rate+1\"",
            "action=\"/ui/dead-letters/replay-all\"");
    assertThat(ui.get("/ui/dead-letters/replay-all?until=2026-03-01T01:00:00Z", cookie).body())
        .contains("This replays <strong>2</strong> open dead letter(s) holding 3 cell(s)");
    refused("/ui/dead-letters/replay-all?status=all", "status: bulk replay takes open items only");
    refused("/ui/dead-letters/replay-all?cursor=x", "parameter 'cursor' is not one of this page's");
    assertThat(ui.get("/ui/dead-letters/replay-all?reason=nothing", cookie).body())
        .contains("No open dead letter matches: nothing to replay.")
        .doesNotContain("name=\"expect\"");

    String form = "back=" + enc("reason=rate 1") + "&expect=2";
    HttpResponse<String> noToken = ui.post("/ui/dead-letters/replay-all", cookie, form);
    assertThat(noToken.statusCode()).isEqualTo(403);
    HttpResponse<String> stale =
        ui.post(
            "/ui/dead-letters/replay-all",
            cookie,
            "csrf=" + csrf + "&back=" + enc("reason=rate 1") + "&expect=3");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("the filter now selects 2 open dead letter(s), not the 3");
    HttpResponse<String> badExpect =
        ui.post("/ui/dead-letters/replay-all", cookie, "csrf=" + csrf + "&expect=-1");
    assertThat(badExpect.statusCode()).isEqualTo(400);
    assertThat(badExpect.body()).contains("expect: the count confirmed, a whole number 0 to 1000");
    assertThat(items(QueueItem.Queue.DEAD_LETTER))
        .allSatisfy(i -> assertThat(i.state()).isEqualTo(QueueItem.State.OPEN));

    HttpResponse<String> done =
        ui.post("/ui/dead-letters/replay-all", cookie, "csrf=" + csrf + "&" + form);
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location"))
        .hasValue("/ui/dead-letters?reason=rate+1&bulk=2&cells=3");
    assertThat(ui.get("/ui/dead-letters?reason=rate+1&bulk=2&cells=3", cookie).body())
        .contains("Replayed 2 item(s): 3 cell(s) pending again. The ledger has each, by web-ui.");
    for (String replayed : List.of(dl.get(0), dl.get(1))) {
      assertThat(item(replayed).state()).isEqualTo(QueueItem.State.REPLAYED);
      assertThat(trail(replayed))
          .filteredOn(e -> e.kind().equals("queue.replayed"))
          .singleElement()
          .satisfies(e -> assertThat(e.attributes()).containsEntry("by", "web-ui"));
    }
    assertThat(item(dl.get(2)).state()).as("20.00 does not match").isEqualTo(QueueItem.State.OPEN);
    assertThat(item(conflict).state()).as("another queue").isEqualTo(QueueItem.State.OPEN);
  }

  @Test
  void bulkReplayRefusesAFilterSelectingMoreThanItTakes() {
    Queues queues = new Queues(new Ledger(ui.time), ui.time);
    ui.db.inTransaction(
        c -> {
          for (int i = 0; i <= QueuePages.MAX_BULK; i++) {
            queues.enter(
                c, Queues.entry(QueueItem.Queue.DEAD_LETTER, "a", "batch-" + i, "422: floor"));
          }
          return null;
        });
    assertThat(ui.get("/ui/dead-letters/replay-all", cookie).body())
        .contains("the filter selects more than 1000 open dead letters: narrow it")
        .doesNotContain("name=\"expect\"");
    HttpResponse<String> r =
        ui.post("/ui/dead-letters/replay-all", cookie, "csrf=" + csrf + "&expect=1000");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("the filter selects more than 1000 open dead letters");
  }

  @Test
  void reconciliationItemsAreListedReplayedAndDiscardedWithWho() {
    push(5, 5, "90.00");
    push(5, 5, "95.00");
    List<String> ids = items(QueueItem.Queue.RECONCILIATION).stream().map(QueueItem::id).toList();
    assertThat(ids).hasSize(2);
    String list = ui.get("/ui/reconciliation-items", cookie).body();
    assertThat(list)
        .contains("data-item=\"" + ids.get(0) + "\"", "data-item=\"" + ids.get(1) + "\"")
        .contains("conflict", "aria-current=\"page\">Reconciliation items</a>");
    // An item's page leads to the reconciliation pages' side-by-side view, where it is resolved.
    assertThat(ui.get("/ui/items/" + ids.get(0), cookie).body())
        .contains("<a href=\"/ui/reconciliation/conflicts/" + ids.get(0) + "\" id=\"conflict\">");

    HttpResponse<String> replayed =
        ui.post(
            "/ui/items/" + ids.get(0) + "/replay",
            cookie,
            "csrf=" + csrf + "&view=list&back=channel%3Da");
    assertThat(replayed.headers().firstValue("Location"))
        .hasValue("/ui/reconciliation-items?channel=a&replayed=" + ids.get(0) + "&cells=0");
    HttpResponse<String> discarded =
        ui.post(
            "/ui/items/" + ids.get(1) + "/discard",
            cookie,
            "csrf=" + csrf + "&reason=" + enc("the channel's rate is right"));
    assertThat(discarded.headers().firstValue("Location"))
        .hasValue("/ui/reconciliation-items?discarded=" + ids.get(1));
    assertThat(trail(ids.get(0)))
        .filteredOn(e -> e.kind().equals("queue.replayed"))
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("by", "web-ui"));
    assertThat(trail(ids.get(1)))
        .filteredOn(e -> e.kind().equals("queue.discarded"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.attributes())
                    .containsEntry("by", "web-ui")
                    .containsEntry("reason", "the channel's rate is right"));
    assertThat(ui.get("/ui/reconciliation-items", cookie).body())
        .contains("No open reconciliation item.");
    String closed = ui.get("/ui/reconciliation-items?status=all", cookie).body();
    assertThat(closed).contains("↻ replayed", "✕ discarded").doesNotContain("class=\"replay\"");
    assertThat(ui.get("/ui/items/" + ids.get(1), cookie).body())
        .contains("Reconciliation item <code>", "the channel's rate is right");
  }

  private void refused(String path, String message) {
    HttpResponse<String> r = ui.get(path, cookie);
    assertThat(r.statusCode()).as(path).isEqualTo(400);
    assertThat(r.body()).as(path).contains(message);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
