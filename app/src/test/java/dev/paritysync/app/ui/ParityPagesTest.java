package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.admin.ParityMap;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.reconcile.DriftCell;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportStore;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity heat map over real HTTP on a real SQLite file, virtual time, the engine built but
 * stepped by hand: each night's square shows the worst state of its cells (pending, retrying, dead
 * letter, stale, no data), the filters and their refusals, a night's page with truth, what was sent
 * and the ledger, and no session sent to the login form.
 */
class ParityPagesTest {
  private static final String TOKEN = "parity-admin-token";
  private static final LocalDate D1 = LocalDate.parse("2026-03-05");
  private static final LocalDate D2 = LocalDate.parse("2026-03-06");

  @TempDir java.nio.file.Path dir;
  private UiFixture ui;
  private String cookie;

  @BeforeEach
  void open() {
    ui = new UiFixture(dir, TOKEN);
    logIn();
  }

  private void logIn() {
    cookie = ui.session(TOKEN);
  }

  @AfterEach
  void close() {
    ui.close();
  }

  @Test
  void eachNightShowsTheWorstStateOfItsCellsInWordsAndSymbols() {
    HttpResponse<String> empty = ui.get("/ui/parity", cookie);
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(square(empty.body(), "a", D1)).contains("data-state=\"no-data\"", "no data");
    assertThat(empty.body())
        .contains("from 2026-03-01", "Mar 2026", "Feb 2027")
        .doesNotContain("data-date=\"2026-02-28\"", "data-date=\"2027-03-01\"");
    for (ParityMap.State s : ParityMap.State.values()) {
      assertThat(empty.body()).as("the legend").contains(s.symbol() + "</span>" + s.word());
    }

    rate(D1, D2, "100.00");
    assertThat(square(ui.get("/ui/parity", cookie).body(), "a", D1))
        .contains("data-state=\"pending\"", "title=\"2026-03-05: pending (1 pending)\"", ">…<");

    // Sent to a port nobody listens on: the batch fails and waits for its next attempt.
    ui.engine.step("a");
    String retrying = square(ui.get("/ui/parity/map", cookie).body(), "a", D1);
    assertThat(retrying).contains("data-state=\"retrying\"", ">↻<");

    // Availability of D1 changes too: that cell is pending, the rate still retrying; worst wins.
    ui.engine
        .ingest()
        .accept(List.of(Change.builder("P1", "DBL", D1, D1).withAvailability(4).build()));
    assertThat(square(ui.get("/ui/parity/map", cookie).body(), "a", D1))
        .contains("data-state=\"retrying\"", "(1 retrying, 1 pending)");

    // The batch leaves for the dead-letter queue the way the engine parks one: D1 and D2 with it.
    String batch = park(QueueItem.Queue.DEAD_LETTER);
    String map = ui.get("/ui/parity", cookie).body();
    assertThat(square(map, "a", D1))
        .contains("data-state=\"dead-letter\"", "(1 dead letter, 1 pending)");
    assertThat(square(map, "a", D2)).contains("data-state=\"dead-letter\"", ">✖<");

    // Discarded: nothing is on its way for those cells any more.
    String item =
        ui.db
            .read(c -> new Queues(new Ledger(ui.time), ui.time).list(c, Queues.Filter.all()))
            .get(0)
            .id();
    new QueueAdmin(ui.db, ui.time).discard(List.of(item), "test", "web-ui");
    assertThat(square(ui.get("/ui/parity", cookie).body(), "a", D2))
        .contains("data-state=\"stale\"", "2026-03-06: stale (1 stale)");
    assertThat(batch).isNotEmpty();
  }

  @Test
  void aConflictShowsAsReconciliationAndHeldDriftAsDriftWhileTruthIsUnchanged() {
    rate(D1, D2, "100.00");
    ui.engine.step("a");
    park(QueueItem.Queue.RECONCILIATION);
    assertThat(square(ui.get("/ui/parity", cookie).body(), "a", D1))
        .contains("data-state=\"reconciliation\"", ">⚑<", "(1 reconciliation open)");

    // D3 at parity by the versions, but the last pass found the channel holding another rate.
    LocalDate d3 = D2.plusDays(1);
    rate(d3, d3, "100.00");
    ui.db.inTransaction(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "UPDATE ari_outbox SET acked_version = pending_version, pending_version = NULL"
                      + " WHERE date = ?")) {
            ps.setString(1, d3.toString());
            return ps.executeUpdate();
          }
        });
    assertThat(square(ui.get("/ui/parity", cookie).body(), "a", d3))
        .contains("data-state=\"at-parity\"", ">✓<");
    long version =
        ui.db.read(
            c -> {
              try (var ps = c.prepareStatement("SELECT version FROM ari_truth WHERE date = ?")) {
                ps.setString(1, d3.toString());
                try (var rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              }
            });
    new ReportStore(ui.db)
        .save(
            new ReconciliationReport(
                "01TESTREPORT00000000000000",
                ui.time.instant(),
                D1,
                d3,
                ReconciliationReport.Status.REVIEW,
                List.of(
                    new ReconciliationReport.Group(
                        "a",
                        "P1",
                        3,
                        List.of(
                            new DriftCell(
                                DriftClass.UNKNOWN_VALUE, "DBL", "BAR", d3, null, null, version)),
                        ReconciliationReport.Status.REVIEW,
                        0,
                        null))));
    String map = ui.get("/ui/parity", cookie).body();
    assertThat(square(map, "a", d3)).contains("data-state=\"drift\"", ">≠<", "(1 drift)");
    assertThat(ui.get("/ui/parity/a/P1/" + d3, cookie).body())
        .contains("data-plan=\"BAR\" data-state=\"drift\"");

    // A newer change is on its way: no longer the drift the pass found.
    rate(d3, d3, "101.00");
    assertThat(square(ui.get("/ui/parity", cookie).body(), "a", d3))
        .contains("data-state=\"pending\"");
  }

  @Test
  void cellsTheChannelDoesNotMapAndEachPropertysOwnToday() throws Exception {
    ui.close();
    java.nio.file.Files.createDirectories(dir.resolve("two"));
    ui =
        new UiFixture(
            dir.resolve("two"),
            TOKEN,
            UiFixture.YAML.replace(
                "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n",
                "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}},"
                    + " SGL: {ratePlans: {BAR: EUR}}}}\n"
                    + "    P2: {timezone: Pacific/Pago_Pago, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"));
    logIn();
    ui.engine
        .ingest()
        .accept(
            List.of(
                Change.builder("P1", "SGL", D1, D2)
                    .withRatePlan("BAR")
                    .withRate(new Rate(new BigDecimal("80.00"), "EUR"))
                    .build()));
    rate(D2, D2, "100.00");
    String map = ui.get("/ui/parity", cookie).body();
    assertThat(square(map, "a", D1))
        .contains("data-state=\"unmapped\"", ">∅<", "2026-03-05: unmapped (1 not mapped)");
    assertThat(square(map, "a", D2)).contains("(1 pending, 1 not mapped)");
    // P2's today is still 2026-02-28 in Pago Pago (UTC-11) when it is 2026-03-01 in UTC.
    assertThat(map).contains("P1 on a, from 2026-03-01", "P2 on a, from 2026-02-28");
    assertThat(ui.get("/ui/parity/a/P1/" + D1, cookie).body())
        .contains("data-room=\"SGL\" data-plan=\"BAR\" data-state=\"unmapped\"");
    assertThat(ui.get("/ui/parity/a/P2/2026-02-28", cookie).statusCode()).isEqualTo(200);
    assertThat(ui.get("/ui/parity/a/P1/2026-02-28", cookie).statusCode()).isEqualTo(400);
  }

  @Test
  void filtersByRoomTypeAndRatePlanAndRefusesBadParameters() {
    rate(D1, D1, "100.00");
    ui.engine.step("a");
    ui.engine
        .ingest()
        .accept(List.of(Change.builder("P1", "DBL", D1, D1).withAvailability(4).build()));
    String plan = ui.get("/ui/parity?roomType=DBL&ratePlan=BAR", cookie).body();
    assertThat(square(plan, "a", D1)).contains("(1 retrying)").doesNotContain("pending");
    assertThat(plan).contains("<option value=\"BAR\" selected>BAR</option>");
    assertThat(plan).contains("hx-get=\"/ui/parity/map?ratePlan=BAR&amp;roomType=DBL\"");

    assertThat(ui.get("/ui/parity?channel=a&property=P1", cookie).statusCode()).isEqualTo(200);
    refused("/ui/parity?roomType=SGL", "parameter 'roomType': 'SGL' is not one of [DBL]");
    refused("/ui/parity/map?ratePlan=NRF", "parameter 'ratePlan': 'NRF' is not one of [BAR]");
    refused("/ui/parity?channel=b", "parameter 'channel': 'b' is not one of [a]");
    refused("/ui/parity?property=P9", "parameter 'property': 'P9' is not one of [P1]");
    refused("/ui/parity?sort=date", "parameter 'sort' is not one of this page's: channel,");
    refused("/ui/parity?roomType=DBL&roomType=DBL", "parameter 'roomType' is given more than once");
    refused("/ui/parity?roomType=" + "x".repeat(201), "parameter 'roomType' is longer than 200");
  }

  @Test
  void aNightShowsEachCellsTruthWhatWasSentAndItsLedger() {
    rate(D1, D1, "100.00");
    ui.engine.step("a");
    HttpResponse<String> page = ui.get("/ui/parity/a/P1/" + D1, cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "P1 on a, night of 2026-03-05",
            "data-room=\"DBL\" data-plan=\"BAR\" data-state=\"retrying\"",
            "v1: rate 100.00 EUR",
            "pending none, in flight v1, acknowledged none",
            "v1: rate 100.00 EUR <span class=\"note\">(batch",
            "data-fact=\"acked\">nothing",
            "data-kind=\"change.accepted\"",
            "data-kind=\"batch.formed\"",
            "data-kind=\"attempt\"");

    assertThat(ui.get("/ui/parity/a/P1/2026-03-02?x=1", cookie).statusCode()).isEqualTo(400);
    HttpResponse<String> bad = ui.get("/ui/parity/a/P1/5-3-2026", cookie);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("date '5-3-2026' is not a date (yyyy-MM-dd)");
    HttpResponse<String> past = ui.get("/ui/parity/a/P1/2026-02-28", cookie);
    assertThat(past.statusCode()).isEqualTo(400);
    assertThat(past.body()).contains("outside the map: 2026-03-01 to 2027-02-28");
    assertThat(ui.get("/ui/parity/z/P1/" + D1, cookie).body())
        .contains("channel 'z' is not configured");
    assertThat(ui.get("/ui/parity/a/P9/" + D1, cookie).statusCode()).isEqualTo(404);
  }

  @Test
  void withoutASessionTheMapIsTheLoginForm() {
    HttpResponse<String> page = ui.get("/ui/parity", null);
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/ui/login");
    HttpResponse<String> htmx =
        ui.send(HttpRequest.newBuilder(ui.uri("/ui/parity/map")).header("HX-Request", "true"));
    assertThat(htmx.statusCode()).isEqualTo(401);
    assertThat(htmx.headers().firstValue("HX-Redirect")).hasValue("/ui/login");
    assertThat(ui.get("/ui/parity/a/P1/" + D1, null).statusCode()).isEqualTo(303);
  }

  private void rate(LocalDate from, LocalDate to, String amount) {
    ui.engine
        .ingest()
        .accept(
            List.of(
                Change.builder("P1", "DBL", from, to)
                    .withRatePlan("BAR")
                    .withRate(new Rate(new BigDecimal(amount), "EUR"))
                    .build()));
  }

  /** Parks the batch in flight as the engine's Parking does: item, cells released, work dead. */
  @SuppressWarnings("unchecked")
  private String park(QueueItem.Queue queue) {
    return ui.db.inTransaction(
        c -> {
          String batch;
          String payload;
          Map<String, Object> parsed;
          try (var ps = c.prepareStatement("SELECT id, payload FROM work_items")) {
            try (var rs = ps.executeQuery()) {
              rs.next();
              batch = rs.getString(1);
              payload = rs.getString(2);
            }
          }
          try {
            parsed =
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload, Map.class);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          try (var ps =
              c.prepareStatement(
                  "UPDATE ari_outbox SET inflight_version = NULL, inflight_batch = NULL"
                      + " WHERE inflight_batch = ?")) {
            ps.setString(1, batch);
            ps.executeUpdate();
          }
          try (var ps = c.prepareStatement("UPDATE work_items SET state = 'dead' WHERE id = ?")) {
            ps.setString(1, batch);
            ps.executeUpdate();
          }
          new Queues(new Ledger(ui.time), ui.time)
              .enter(
                  c, Queues.entry(queue, "a", batch, "no one listens").withDetail("batch", parsed));
          return batch;
        });
  }

  private void refused(String path, String message) {
    HttpResponse<String> r = ui.get(path, cookie);
    assertThat(r.statusCode()).as(path).isEqualTo(400);
    assertThat(r.body()).as(path).contains(message);
  }

  /** The square of {@code channel} on {@code date}: its whole link. */
  private static String square(String html, String channel, LocalDate date) {
    int section = html.indexOf("data-channel=\"" + channel + "\"");
    assertThat(section).as("channel %s's map", channel).isNotNegative();
    int at = html.indexOf("data-date=\"" + date + "\"", section);
    assertThat(at).as("a square for %s", date).isNotNegative();
    int start = html.lastIndexOf("<a ", at);
    return html.substring(start, html.indexOf("</a>", at) + 4);
  }
}
