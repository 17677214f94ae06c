package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter page over real HTTP: the list and its filter, discard with a reason (ledgered
 * with who did it), its refusals (no CSRF token, no reason, an item already closed, bad query).
 */
class DeadLetterPagesTest {
  private static final String TOKEN = "dlq-admin-token";

  @TempDir java.nio.file.Path dir;
  private UiFixture ui;
  private String item;
  private String cookie;

  @BeforeEach
  void open() {
    ui = new UiFixture(dir, TOKEN);
    Queues queues = new Queues(new Ledger(ui.time), ui.time);
    item =
        ui.db.inTransaction(
            c ->
                queues
                    .enter(
                        c,
                        Queues.entry(
                            QueueItem.Queue.DEAD_LETTER,
                            "a",
                            "P1 DBL/BAR 2026-03-05",
                            "422: rate 10.00 is below the channel's floor <50>"))
                    .id());
    cookie = ui.session(TOKEN);
  }

  @AfterEach
  void close() {
    ui.close();
  }

  @Test
  void listsOpenDeadLettersWithTheirReasonAndFiltersByChannel() {
    HttpResponse<String> page = ui.get("/ui/dead-letters", cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "data-item=\"" + item + "\"",
            "P1 DBL/BAR 2026-03-05",
            "422: rate 10.00 is below the channel's floor &lt;50&gt;",
            "action=\"/ui/items/" + item + "/discard\"");
    assertThat(ui.get("/ui/dead-letters?channel=b", cookie).body())
        .contains("No open dead letter with channel b.")
        .doesNotContain(item);
    HttpResponse<String> bad = ui.get("/ui/dead-letters?sort=age", cookie);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .contains("parameter 'sort' is not one of this page's: age, bulk, cells, channel,");
    assertThat(ui.get("/ui/dead-letters?cursor=zz", cookie).statusCode()).isEqualTo(400);
  }

  @Test
  void discardNeedsTheCsrfTokenAndAReasonAndIsLedgeredWithWhoDidIt() throws Exception {
    String csrf = UiFixture.csrf(ui.get("/ui/dead-letters", cookie));
    String path = "/ui/items/" + item + "/discard";

    HttpResponse<String> noToken = ui.post(path, cookie, "reason=dup");
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("the form carries no CSRF token");
    HttpResponse<String> noReason = ui.post(path, cookie, "csrf=" + csrf + "&reason=++");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason: give why the item is discarded");
    assertThat(state()).isEqualTo(QueueItem.State.OPEN);

    HttpResponse<String> done =
        ui.post(
            path,
            cookie,
            "csrf=" + csrf + "&reason=" + URLEncoder.encode("sent twice", StandardCharsets.UTF_8));
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location"))
        .hasValue("/ui/dead-letters?discarded=" + item);
    assertThat(state()).isEqualTo(QueueItem.State.DISCARDED);
    List<LedgerEntry> trail =
        ui.db.read(c -> new Ledger(ui.time).bySubject(c, "P1 DBL/BAR 2026-03-05"));
    assertThat(trail)
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo("queue.discarded");
              assertThat(e.attributes())
                  .containsEntry("by", QueuePages.ACTOR)
                  .containsValue("sent twice");
            });
    assertThat(ui.get("/ui/dead-letters?discarded=" + item, cookie).body())
        .contains("Discarded " + item)
        .doesNotContain("data-item=");

    HttpResponse<String> again = ui.post(path, cookie, "csrf=" + csrf + "&reason=x");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains(item);
    HttpResponse<String> none = ui.post("/ui/items/nope/replay", cookie, "csrf=" + csrf);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("nope");
  }

  private QueueItem.State state() throws Exception {
    return ui.db
        .read(c -> new Queues(new Ledger(ui.time), ui.time).show(c, item))
        .orElseThrow()
        .state();
  }
}
