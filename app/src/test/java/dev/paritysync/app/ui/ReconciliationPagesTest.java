package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.server.SlowPeers;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.DriftCell;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportStore;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciliation pages over real HTTP on loopback, on virtual time: a real SQLite file, the
 * real hotel engine delivering to a real simulated channel (which answers 409 for one cell), the UI
 * with a {@link ReconcileAdmin} under thresholds of 50 cells and 5 %. Lists reports newest first in
 * pages; runs a pass from the form (refusing bad input, naming the field, and a form without its
 * CSRF token); approves held drift (ledgered with who); resolves a 409 conflict.
 */
class ReconciliationPagesTest {
  private static final String TOKEN = "recon-admin-token";
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  private static final LocalDate CONFLICT_DAY = TODAY.plusDays(5);

  @TempDir Path dir;
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  private SimChannel sim;
  private UiFixture ui;
  private Database db;
  private HotelEngine engine;
  private String cookie;
  private String csrf;

  @BeforeEach
  void start() {
    sim =
        SimChannel.start(
            SimConfig.healthy(1).toBuilder().withConflictCell("P1/D1/R1/" + CONFLICT_DAY).build(),
            time);
    String yaml =
        """
        portfolio:
          properties:
            P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}
        channels:
          a:
            adapter: native
            baseUrl: "%s"
            credentials: {apiKey: {header: X-Api-Key, value: "${env:KEY}"}}
            mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}
            resilience:
              quotas: {ari: ["100/1s"]}
        reconciliation:
          autoCorrect: {maxCells: 50, maxPercent: 5}
        """
            .formatted(sim.baseUri());
    ui =
        new UiFixture(
            TOKEN, "jdbc:sqlite:" + dir.resolve("engine.db"), yaml, SlowPeers.DEFAULTS, time);
    db = ui.db;
    engine = ui.engine;
    cookie = ui.session(TOKEN);
    csrf = UiFixture.csrf(get("/ui/reconciliation", cookie));
  }

  @AfterEach
  void stop() {
    if (ui != null) {
      ui.close();
    }
    sim.close();
  }

  @Test
  void listsReportsNewestFirstInPagesWithCountsScopeAndHeld() {
    assertThat(get("/ui/reconciliation", cookie).body()).contains("No reconciliation report yet.");
    ReportStore store = new ReportStore(db);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String id = String.format("01KJKB3SXRNM5G4CRN0S62YE%02d", i);
      ids.add(id);
      DriftCell stale =
          new DriftCell(
              DriftClass.STALE,
              "DBL",
              "BAR",
              TODAY.plusDays(2),
              CellValues.ofRate(Rate.of("90.00", "EUR")),
              CellValues.ofRate(Rate.of("80.00", "EUR")),
              3L);
      DriftCell queued =
          new DriftCell(DriftClass.QUEUED, "DBL", "BAR", TODAY.plusDays(3), null, null, null);
      ReconciliationReport.Status status =
          i % 2 == 0 ? ReconciliationReport.Status.REVIEW : ReconciliationReport.Status.CLEAN;
      List<DriftCell> cells = i % 2 == 0 ? List.of(stale, stale, queued) : List.of();
      store.save(
          new ReconciliationReport(
              id,
              Instant.parse("2026-02-01T00:00:00Z").plusSeconds(60L * (i / 2)),
              TODAY,
              TODAY.plusDays(4),
              status,
              List.of(new ReconciliationReport.Group("a", "P1", 5, cells, status, 0, null))));
    }
    String first = get("/ui/reconciliation", cookie).body();
    List<String> rows = rows(first, "data-report");
    assertThat(rows).hasSize(ReconciliationPages.PAGE);
    assertThat(rows.get(0)).isEqualTo(ids.get(24));
    assertThat(rows.get(19)).isEqualTo(ids.get(5));
    String newest = row(first, "data-report", ids.get(24));
    assertThat(newest)
        .contains(
            "held for review",
            "2026-02-01 00:12:00 UTC",
            "a · P1",
            "2026-03-01 – 2026-03-05",
            "2 stale",
            "1 queued",
            "data-held>2<");
    assertThat(row(first, "data-report", ids.get(23))).contains("clean", "no difference");
    // ids 5 and 4 ran at the same millisecond: the page ends between them, and the cursor, which
    // keeps the id, still starts the next page at 4.
    Matcher next = Pattern.compile("href=\"(/ui/reconciliation\\?cursor=[^\"]+)\"").matcher(first);
    assertThat(next.find()).isTrue();
    String second = get(next.group(1), cookie).body();
    assertThat(rows(second, "data-report"))
        .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    assertThat(second).doesNotContain("id=\"next\"");

    HttpResponse<String> unknown = get("/ui/reconciliation?sort=new", cookie);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("parameter 'sort' is not one of this page's: cursor");
    HttpResponse<String> badCursor = get("/ui/reconciliation?cursor=zz", cookie);
    assertThat(badCursor.statusCode()).isEqualTo(400);
    assertThat(badCursor.body()).contains("cursor: 'zz' is not a cursor this server gave out");
    assertThat(get("/ui/reconciliation/nope", cookie).statusCode()).isEqualTo(404);
  }

  @Test
  void runNowRefusesBadInputNamingTheFieldThenApprovalRepushesHeldDriftLedgeredWithWho()
      throws Exception {
    push(rate(1, 3, "90.00"));
    CellKey day2 = new CellKey("D1", "R1", TODAY.plusDays(2));
    sim.overwrite(
        "P1",
        day2,
        new CellValue(new BigDecimal("70.00"), "EUR", null, null, null, null, null, null));

    assertEveryBadRunIsRefusedNamingTheField();

    HttpResponse<String> ran =
        post(
            "/ui/reconciliation/run",
            cookie,
            "csrf=" + csrf + "&channel=a&property=P1&from=2026-03-02&to=2026-03-04");
    assertThat(ran.statusCode()).as(ran.body()).isEqualTo(303);
    String location = ran.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/ui/reconciliation/[0-9A-Z]{26}\\?ran=1");
    String id = location.substring("/ui/reconciliation/".length(), location.indexOf('?'));
    String page = get(location, cookie).body();
    assertThat(page)
        .contains(
            "Ran the pass: held for review.",
            "<dd id=\"held\">1 cell(s)</dd>",
            "action=\"/ui/reconciliation/" + id + "/approve\"",
            "33.33 %");
    assertThat(row(page, "data-cell", "a/DBL/BAR/2026-03-03"))
        .contains("rate 90.00 EUR", "rate 70.00 EUR", "unknown value", "held for review");
    assertThat(page)
        .contains(
            "class=\"recon-sq recon-unknown\" tabindex=\"0\" role=\"img\""
                + " aria-label=\"2026-03-03: 1 unknown value\"",
            "data-date=\"2026-03-02\" aria-hidden=\"true\">·<",
            "data-date=\"2026-03-04\" aria-hidden=\"true\">·<");
    assertThat(pending()).as("held drift is not pushed").isZero();
    assertThat(row(get("/ui/reconciliation", cookie).body(), "data-report", id))
        .contains("held for review", "1 unknown value", "data-held>1<");

    String approve = "/ui/reconciliation/" + id + "/approve";
    assertThat(post(approve, cookie, "").statusCode()).isEqualTo(403);
    assertThat(post(approve, cookie, "csrf=" + csrf + "x").statusCode()).isEqualTo(403);
    assertThat(pending()).isZero();
    HttpResponse<String> approved = post(approve, cookie, "csrf=" + csrf);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
    assertThat(approved.headers().firstValue("Location"))
        .hasValue("/ui/reconciliation/" + id + "?approved=1");
    String after = get("/ui/reconciliation/" + id + "?approved=1", cookie).body();
    assertThat(after)
        .contains(
            "Approved: 1 cell(s) re-pushed; the ledger records web-ui",
            "approved, re-pushed",
            "<dd id=\"held\">0 cell(s)</dd>")
        .doesNotContain("/approve\"");
    assertThat(row(after, "data-cell", "a/DBL/BAR/2026-03-03"))
        .contains("repaired: re-pushed on approval");
    assertThat(pending()).isEqualTo(1);
    List<LedgerEntry> trail = db.read(c -> new Ledger(time).bySubject(c, id));
    assertThat(trail)
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo("reconcile.approved");
              assertThat(e.attributes()).containsEntry("approvedBy", QueuePages.ACTOR);
            });
    engine.step("a");
    assertThat(sim.state("P1").get(day2).rate()).isEqualByComparingTo("90.00");

    HttpResponse<String> again = post(approve, cookie, "csrf=" + csrf);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("is APPROVED, not waiting for review");
    assertThat(get("/ui/reconciliation/" + id + "?ran=2", cookie).statusCode()).isEqualTo(400);
  }

  /**
   * Run now without the CSRF token, with a bad or missing date, an unknown channel, property or
   * field: each refused with a message naming the field, the form keeping what was sent; no report.
   */
  private void assertEveryBadRunIsRefusedNamingTheField() throws Exception {
    HttpResponse<String> noCsrf =
        post("/ui/reconciliation/run", cookie, "channel=a&from=2026-03-02&to=2026-03-04");
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("the form carries no CSRF token");
    refused("channel=a&property=P1&from=March&to=2026-03-04", "from: 'March' is not a date");
    refused("channel=a&property=P1&from=2026-02-30&to=2026-03-04", "from: '2026-02-30'");
    refused("channel=a&property=P1&from=2026-03-02", "to: give a date (yyyy-MM-dd)");
    refused("channel=a&from=2026-03-05&to=2026-03-02", "to: 2026-03-02 is before from 2026-03-05");
    refused("from=2026-03-01&to=2027-03-02", "to: from 2026-03-01 to 2027-03-02 is 367 days");
    assertThat(
            post(
                    "/ui/reconciliation/run",
                    cookie,
                    "csrf=" + csrf + "&channel=a&property=P1&from=2026-03-09&to=2026-03-08")
                .body())
        .as("the form keeps what was sent")
        .contains(
            "<option value=\"a\" selected>",
            "<option value=\"P1\" selected>",
            "value=\"2026-03-09\"",
            "value=\"2026-03-08\"");
    refused("channel=zz&from=2026-03-02&to=2026-03-04", "no channel zz; channels: [a]");
    refused("property=P9&from=2026-03-02&to=2026-03-04", "property P9: not in the portfolio");
    refused("chanel=a&from=2026-03-02&to=2026-03-04", "field 'chanel' is not one of");
    assertThat(reportCount()).as("no refused run stored a report").isZero();
  }

  @Test
  void aConflictIsListedShownSideBySideAndResolvedLedgeredWithWho() throws Exception {
    push(rate(5, 5, "90.00"));
    String list = get("/ui/reconciliation/conflicts", cookie).body();
    List<String> items = rows(list, "data-item");
    assertThat(items).hasSize(1);
    String item = items.get(0);
    assertThat(row(list, "data-item", item)).contains("a", "409");

    String shown = get("/ui/reconciliation/conflicts/" + item, cookie).body();
    assertThat(row(shown, "data-cell", "DBL/BAR/" + CONFLICT_DAY))
        .contains("rate 90.00 EUR", "nothing", "differs");
    assertThat(shown).contains("name=\"action\" value=\"repush\"", "value=\"accept-channel\"");

    String resolve = "/ui/reconciliation/conflicts/" + item + "/resolve";
    assertThat(post(resolve, cookie, "action=repush").statusCode()).isEqualTo(403);
    HttpResponse<String> bad = post(resolve, cookie, "csrf=" + csrf + "&action=ignore");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("action: choose repush or accept-channel");
    assertThat(pending()).isZero();

    HttpResponse<String> done = post(resolve, cookie, "csrf=" + csrf + "&action=repush");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
    String back = done.headers().firstValue("Location").orElseThrow();
    assertThat(back)
        .isEqualTo("/ui/reconciliation/conflicts?resolved=" + item + "&action=repush&cells=1");
    assertThat(get(back, cookie).body())
        .contains("Resolved " + item + ": truth re-pushed (1 cell(s)); the ledger records web-ui")
        .contains("No open conflict.");
    assertThat(pending()).isEqualTo(1);
    assertThat(
            db.read(c -> new dev.paritysync.store.Queues(new Ledger(time), time).show(c, item))
                .orElseThrow()
                .state())
        .isEqualTo(QueueItem.State.REPLAYED);
    List<LedgerEntry> trail = db.read(c -> new Ledger(time).bySubject(c, item));
    assertThat(trail)
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo("reconcile.resolved");
              assertThat(e.attributes())
                  .containsEntry("by", QueuePages.ACTOR)
                  .containsKey("action");
            });

    HttpResponse<String> again = post(resolve, cookie, "csrf=" + csrf + "&action=repush");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("no open reconciliation item " + item);
    assertThat(get("/ui/reconciliation/conflicts/nope", cookie).statusCode()).isEqualTo(404);
    // A notice without its action is bad input naming the parameter, not a 500 (Map.of refuses
    // to look up null).
    HttpResponse<String> noAction = get("/ui/reconciliation/conflicts?resolved=" + item, cookie);
    assertThat(noAction.statusCode()).as(noAction.body()).isEqualTo(400);
    assertThat(noAction.body()).contains("is one of");
  }

  @Test
  void aConflictResolvedByAcceptingTheChannelsValueMakesItTruth() throws Exception {
    push(rate(5, 5, "90.00"));
    CellKey day5 = new CellKey("D1", "R1", CONFLICT_DAY);
    sim.overwrite(
        "P1",
        day5,
        new CellValue(new BigDecimal("85.00"), "EUR", null, null, null, null, null, null));
    String item = rows(get("/ui/reconciliation/conflicts", cookie).body(), "data-item").get(0);
    assertThat(
            row(
                get("/ui/reconciliation/conflicts/" + item, cookie).body(),
                "data-cell",
                "DBL/BAR/" + CONFLICT_DAY))
        .contains("rate 90.00 EUR", "rate 85.00 EUR", "differs");

    HttpResponse<String> done =
        post(
            "/ui/reconciliation/conflicts/" + item + "/resolve",
            cookie,
            "csrf=" + csrf + "&action=accept-channel");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
    assertThat(get(done.headers().firstValue("Location").orElseThrow(), cookie).body())
        .contains("Resolved " + item + ": the channel's values accepted (1 cell(s))");
    List<LedgerEntry> trail = db.read(c -> new Ledger(time).bySubject(c, item));
    assertThat(trail)
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo("reconcile.resolved");
              assertThat(e.attributes()).containsEntry("by", QueuePages.ACTOR);
            });
    assertThat(
            db.read(c -> new dev.paritysync.store.Queues(new Ledger(time), time).show(c, item))
                .orElseThrow()
                .state())
        .isEqualTo(QueueItem.State.DISCARDED);
    assertThat(
            count(
                "SELECT COUNT(*) FROM ari_truth WHERE date = '"
                    + CONFLICT_DAY
                    + "' AND CAST(rate AS REAL) = 85"))
        .as("the channel's rate became truth")
        .isEqualTo(1);
  }

  private void refused(String form, String message) {
    String body = form.contains("csrf=") ? form : "csrf=" + csrf + "&" + form;
    HttpResponse<String> r = post("/ui/reconciliation/run", cookie, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains(message);
    if (!form.contains("chanel=")) { // a field the form lacks: refused before the page is drawn
      assertThat(r.body())
          .as("the list again, the refusal above the run form")
          .contains(
              "<p class=\"error\" role=\"alert\" id=\"run-error\">",
              "action=\"/ui/reconciliation/run\"");
    }
  }

  private static Change rate(int from, int to, String amount) {
    return Change.builder("P1", "DBL", TODAY.plusDays(from), TODAY.plusDays(to))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  /** Accepts {@code change} and runs the channel's loop once: formed and sent. */
  private void push(Change change) {
    engine.ingest().accept(List.of(change));
    engine.step("a");
    time.advance(Duration.ofSeconds(1));
  }

  private long pending() {
    return count("SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL");
  }

  private long reportCount() {
    return count("SELECT COUNT(*) FROM reconciliation_reports");
  }

  private long count(String sql) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The values of {@code attribute} on the page's rows, in order. */
  private static List<String> rows(String page, String attribute) {
    Matcher m = Pattern.compile("<tr " + attribute + "=\"([^\"]+)\"").matcher(page);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The HTML of the row whose {@code attribute} is {@code value}. */
  private static String row(String page, String attribute, String value) {
    int start = page.indexOf("<tr " + attribute + "=\"" + value + "\"");
    assertThat(start).as("a row %s=%s in %s", attribute, value, page).isNotNegative();
    return page.substring(start, page.indexOf("</tr>", start));
  }

  private HttpResponse<String> get(String path, String cookie) {
    return ui.get(path, cookie);
  }

  private HttpResponse<String> post(String path, String cookie, String form) {
    return ui.post(path, cookie, form);
  }
}
