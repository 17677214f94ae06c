package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over real HTTP on loopback: an {@link ApiServer} on a free port with {@link
 * AdminRoutes}, the real hotel engine on a real SQLite file, delivering to a real simulator that
 * rejects rates under 50.00 (422: dead letter) and answers 409 for one cell (reconciliation), on
 * virtual time from a midnight.
 */
class AdminRoutesTest {
  static final String TOKEN = "admin-token-1";
  static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  static final LocalDate CONFLICT_DAY = TODAY.plusDays(5);

  @TempDir Path dir;
  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();
  Database db;
  SimChannel sim;
  Transport transport;
  HotelEngine engine;
  ApiServer server;

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("engine.db");
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(file)
                .withMigrations("classpath:db/migration/hotel")
                .build());
    sim =
        SimChannel.start(
            SimConfig.healthy(1).toBuilder()
                .withRateFloor(new BigDecimal("50"))
                .withConflictCell("P1/D1/R1/" + CONFLICT_DAY)
                .build(),
            time);
    Path key = dir.resolve("channel-a.key").toAbsolutePath();
    Files.writeString(key, "k");
    Path yaml = dir.resolve("paritysync.yaml");
    Files.writeString(
        yaml,
        """
        database: {url: "jdbc:sqlite:%s"}
        portfolio:
          properties:
            P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}
        channels:
          a:
            adapter: native
            baseUrl: "%s"
            credentials: {apiKey: {header: X-Api-Key, value: "${file:%s}"}}
            mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}
            resilience:
              quotas: {ari: ["100/1s"]}
              circuitBreaker: {consecutiveFailures: 1}
        reconciliation:
          autoCorrect: {maxCells: 50, maxPercent: 5}
        """
            .formatted(file, sim.baseUri(), key));
    EngineFileConfig config = EngineFileConfig.load(yaml, SecretResolver.system());
    transport = Transport.builder().withClock(time).build();
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(config.portfolio())
            .withChannels(config.channels())
            .build();
    server =
        ApiServer.builder()
            .withRoutes(
                new AdminRoutes(
                    Secret.of(TOKEN), engine, db, time, config.reconciliation(), List.of("P1")))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    engine.close();
    transport.close();
    sim.close();
    db.close();
  }

  static Change rate(int from, int to, String amount) {
    return Change.builder("P1", "DBL", TODAY.plusDays(from), TODAY.plusDays(to))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  /** Accepts {@code change} and runs the channel's loop once: formed and sent. */
  void push(Change change) {
    engine.ingest().accept(List.of(change));
    engine.step("a");
    time.advance(Duration.ofSeconds(1));
  }

  /** Parks a dead letter (days 1-2 under the floor) and a reconciliation item (the 409 day). */
  JsonNode park() throws Exception {
    push(rate(1, 2, "10.00"));
    push(rate(5, 5, "90.00"));
    JsonNode items = get("/admin/v1/items").get("items");
    assertThat(items).hasSize(2);
    return items;
  }

  HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, TOKEN, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r = send("POST", path, TOKEN, body);
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return json.readTree(r.body());
  }

  /** Sends and asserts a problem document with {@code status}; returns it. */
  JsonNode problem(int status, String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, TOKEN, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    JsonNode doc = json.readTree(r.body());
    assertThat(doc.get("status").asInt()).isEqualTo(status);
    return doc;
  }

  long pending() {
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void withoutTheTokenEveryPathIs401WithABearerChallenge() throws Exception {
    HttpResponse<String> none = send("GET", "/admin/v1/channels", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(none.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    assertThat(json.readTree(none.body()).get("detail").asText())
        .isEqualTo("the admin API needs Authorization: Bearer <token>");

    HttpResponse<String> wrong = send("POST", "/admin/v1/items/x/replay", TOKEN + "x", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"paritysync-admin\", error=\"invalid_token\"");

    // two Authorization headers: which one counts is ambiguous, so neither does
    HttpResponse<String> twice =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/admin/v1/channels"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Authorization", "Bearer " + TOKEN + "x")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(json.readTree(twice.body()).get("detail").asText())
        .isEqualTo("Authorization is sent 2 times; it takes one value, send it once");

    HttpResponse<String> unknownPath = send("GET", "/admin/v1/nothing", "nope", null);
    assertThat(unknownPath.statusCode()).isEqualTo(401);
    assertThat(send("GET", "/admin/v1/channels", TOKEN, null).statusCode()).isEqualTo(200);
  }

  @Test
  void itemsAreListedFilteredAndPaged() throws Exception {
    JsonNode all = park();
    String dead = all.get(0).get("id").asText();
    String conflict = all.get(1).get("id").asText();
    assertThat(all.get(0).get("queue").asText()).isEqualTo("dead-letter");
    assertThat(all.get(0).get("property").asText()).isEqualTo("P1");
    assertThat(all.get(0).get("cells").asInt()).isEqualTo(2);
    assertThat(all.get(1).get("queue").asText()).isEqualTo("reconciliation");

    assertThat(get("/admin/v1/items?kind=reconciliation").get("items"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(conflict);
    assertThat(get("/admin/v1/items?reason=" + q("FLOOR")).get("items"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(dead);
    assertThat(get("/admin/v1/items?property=P9").get("items")).isEmpty();
    assertThat(get("/admin/v1/items?channel=b").get("items")).isEmpty();
    assertThat(get("/admin/v1/items?status=discarded").get("items")).isEmpty();
    assertThat(get("/admin/v1/items?since=" + q("2026-03-01T00:00:01Z")).get("items"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(conflict);
    assertThat(get("/admin/v1/items?until=" + q("2026-03-01T00:00:01Z")).get("items"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(dead);
    assertThat(
            problem(
                    400,
                    "GET",
                    "/admin/v1/items?since="
                        + q("2026-03-02T00:00:00Z")
                        + "&until="
                        + q("2026-03-01T00:00:00Z"),
                    null)
                .at("/errors/0/path")
                .asText())
        .isEqualTo("until");

    JsonNode first = get("/admin/v1/items?limit=1");
    assertThat(first.get("items")).extracting(n -> n.get("id").asText()).containsExactly(dead);
    String cursor = first.get("nextCursor").asText();
    JsonNode second = get("/admin/v1/items?limit=1&cursor=" + q(cursor));
    assertThat(second.get("items")).extracting(n -> n.get("id").asText()).containsExactly(conflict);
    assertThat(second.get("nextCursor").isNull()).isTrue();

    JsonNode badStatus = problem(400, "GET", "/admin/v1/items?status=closed", null);
    assertThat(badStatus.get("detail").asText())
        .isEqualTo("status: 'closed' is not a state (open, replayed, discarded, all)");
    assertThat(badStatus.at("/errors/0/path").asText()).isEqualTo("status");
    assertThat(problem(400, "GET", "/admin/v1/items?limit=0", null).at("/errors/0/path").asText())
        .isEqualTo("limit");
    assertThat(problem(400, "GET", "/admin/v1/items?cursor=zz", null).at("/errors/0/path").asText())
        .isEqualTo("cursor");
    assertThat(
            problem(400, "GET", "/admin/v1/items?colour=red", null).at("/errors/0/path").asText())
        .isEqualTo("colour");
  }

  @Test
  void anItemIsShownReplayedAndItsLedgerFoundByCorrelationId() throws Exception {
    JsonNode all = park();
    String dead = all.get(0).get("id").asText();

    JsonNode shown = get("/admin/v1/items/" + dead);
    assertThat(shown.at("/evidence/response/status").asInt()).isEqualTo(422);
    assertThat(shown.at("/evidence/batch/cells")).hasSize(2);
    assertThat(shown.at("/attempts/0/status").asInt()).isEqualTo(422);
    List<String> kinds = new ArrayList<>();
    shown.get("ledger").forEach(e -> kinds.add(e.get("kind").asText()));
    assertThat(kinds).contains("batch.formed", "attempt", "queue.entered");
    problem(404, "GET", "/admin/v1/items/nope", null);

    assertThat(pending()).isZero();
    JsonNode replayed = post("/admin/v1/items/" + dead + "/replay", null);
    assertThat(replayed.get("cells").asInt()).isEqualTo(2);
    assertThat(replayed.get("superseded").asInt()).isZero();
    assertThat(pending()).isEqualTo(2);
    assertThat(get("/admin/v1/items/" + dead).get("state").asText()).isEqualTo("replayed");
    assertThat(
            problem(409, "POST", "/admin/v1/items/" + dead + "/replay", null)
                .get("detail")
                .asText())
        .startsWith("queue item " + dead + " is already replayed (at ");
    problem(404, "POST", "/admin/v1/items/nope/replay", null);

    String correlation = shown.get("correlationId").asText();
    JsonNode ledger = get("/admin/v1/ledger?correlationId=" + q(correlation));
    List<String> trail = new ArrayList<>();
    ledger.get("entries").forEach(e -> trail.add(e.get("kind").asText()));
    assertThat(trail)
        .contains("change.accepted", "batch.formed", "attempt", "queue.entered", "queue.replayed");
    ledger
        .get("entries")
        .forEach(
            e -> {
              if (e.get("kind").asText().endsWith(".replayed")) {
                assertThat(e.at("/attributes/by").asText())
                    .as("a replay without 'by' is ledgered as the API's")
                    .isEqualTo(AdminRoutes.DEFAULT_ACTOR);
              }
            });
    assertThat(problem(400, "GET", "/admin/v1/ledger", null).at("/errors/0/path").asText())
        .isEqualTo("correlationId");
  }

  @Test
  void aDiscardIsLedgeredWithReasonAndActorAndOnlyOnce() throws Exception {
    JsonNode all = park();
    String conflict = all.get(1).get("id").asText();

    assertThat(
            problem(400, "POST", "/admin/v1/items/" + conflict + "/discard", "{}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("reason");
    assertThat(
            problem(400, "POST", "/admin/v1/items/" + conflict + "/discard", "{\"reason\": 3}")
                .get("detail")
                .asText())
        .isEqualTo("reason: must be a string");
    assertThat(
            problem(400, "POST", "/admin/v1/items/" + conflict + "/discard", "{not json")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("body");

    JsonNode discarded =
        post(
            "/admin/v1/items/" + conflict + "/discard",
            "{\"reason\": \"channel fixed by hand\", \"by\": \"ops@example\"}");
    assertThat(discarded.get("state").asText()).isEqualTo("discarded");
    assertThat(discarded.get("closedReason").asText()).isEqualTo("channel fixed by hand");
    assertThat(get("/admin/v1/items?status=discarded").get("items"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(conflict);

    JsonNode again =
        problem(409, "POST", "/admin/v1/items/" + conflict + "/discard", "{\"reason\": \"x\"}");
    assertThat(again.get("detail").asText())
        .startsWith("queue item " + conflict + " is already discarded (at ");
    problem(404, "POST", "/admin/v1/items/nope/discard", "{\"reason\": \"x\"}");

    JsonNode trail = get("/admin/v1/items/" + conflict).get("ledger");
    JsonNode entry = null;
    for (JsonNode e : trail) {
      if (e.get("kind").asText().equals("queue.discarded")) {
        entry = e;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.at("/attributes/reason").asText()).isEqualTo("channel fixed by hand");
    assertThat(entry.at("/attributes/by").asText()).isEqualTo("ops@example");
  }

  @Test
  void bulkReplayTakesEveryOpenItemTheFilterSelects() throws Exception {
    park();
    JsonNode r = post("/admin/v1/items:replay", "{\"kind\": \"dead-letter\", \"by\": \"ops\"}");
    assertThat(r.get("replayed")).hasSize(1);
    String id = r.at("/replayed/0/id").asText();
    List<String> by = new ArrayList<>();
    get("/admin/v1/items/" + id)
        .get("ledger")
        .forEach(
            e -> {
              if (e.get("kind").asText().equals("queue.replayed")) {
                by.add(e.at("/attributes/by").asText());
              }
            });
    assertThat(by).containsExactly("ops");
    assertThat(r.get("cells").asInt()).isEqualTo(2);
    assertThat(get("/admin/v1/items").get("items"))
        .extracting(n -> n.get("queue").asText())
        .containsExactly("reconciliation");
  }

  @Test
  void channelsShowParityLastSuccessQuotaAndAnOpenCircuit() throws Exception {
    JsonNode before = get("/admin/v1/channels/a");
    assertThat(before.get("lastSuccess").isNull()).isTrue();
    assertThat(before.get("circuit").asText()).isEqualTo("CLOSED");

    push(rate(10, 12, "90.00"));

    JsonNode a = get("/admin/v1/channels").get("channels").get(0);
    assertThat(a.get("name").asText()).isEqualTo("a");
    assertThat(a.at("/parity/cellsAtParity").asLong()).isEqualTo(3);
    assertThat(a.at("/parity/mappedCells").asLong()).isEqualTo(3);
    assertThat(a.at("/parity/percent").asDouble()).isEqualTo(100.0);
    assertThat(a.get("lastSuccess").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(a.at("/queues/pendingCells").asLong()).isZero();
    assertThat(a.get("requests").asLong()).isEqualTo(1);
    assertThat(a.at("/quotas/0/endpoint").asText()).isEqualTo("ari");
    assertThat(a.at("/quotas/0/limits/0").asText()).isEqualTo("100/1s");
    assertThat(a.at("/quotas/0/keys/0/property").asText()).isEqualTo("P1");
    assertThat(a.at("/quotas/0/keys/0/capacity").asLong()).isEqualTo(100);
    assertThat(a.at("/quotas/0/keys/0/available").asLong()).isBetween(0L, 100L);

    sim.setOutage(true);
    engine.ingest().accept(List.of(rate(20, 20, "95.00")));
    engine.step("a");

    JsonNode down = get("/admin/v1/channels/a");
    assertThat(down.get("circuit").asText()).isEqualTo("OPEN");
    assertThat(down.at("/parity/mappedCells").asLong()).isEqualTo(4);
    assertThat(down.at("/parity/percent").asDouble()).isEqualTo(75.0);
    assertThat(down.get("lastSuccess").asText()).isEqualTo("2026-03-01T00:00:00Z");
    problem(404, "GET", "/admin/v1/channels/zz", null);
  }

  @Test
  void aReconciliationRunOverTheApiFindsDriftAndApprovalPushesIt() throws Exception {
    push(rate(1, 3, "90.00"));
    CellKey day2 = new CellKey("D1", "R1", TODAY.plusDays(2));
    sim.overwrite(
        "P1",
        day2,
        new CellValue(new BigDecimal("70.00"), "EUR", null, null, null, null, null, null));

    HttpResponse<String> created =
        send(
            "POST",
            "/admin/v1/reconciliations",
            TOKEN,
            "{\"channel\": \"a\", \"property\": \"P1\", \"from\": \"2026-03-02\","
                + " \"to\": \"2026-03-04\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode report = json.readTree(created.body());
    String id = report.get("id").asText();
    assertThat(created.headers().firstValue("Location"))
        .hasValue("/admin/v1/reconciliations/" + id);
    assertThat(report.get("status").asText()).isEqualTo("REVIEW");
    assertThat(report.at("/groups/0/compared").asInt()).isEqualTo(3);
    assertThat(report.at("/groups/0/counts/UNKNOWN_VALUE").asInt()).isEqualTo(1);
    assertThat(report.at("/groups/0/driftPercent").asDouble()).isEqualTo(33.33);
    assertThat(pending()).isZero();

    assertThat(get("/admin/v1/reconciliations/" + id).get("id").asText()).isEqualTo(id);
    HttpResponse<String> csv =
        send("GET", "/admin/v1/reconciliations/" + id + "?format=csv", TOKEN, null);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.body())
        .contains(
            id + ",a,P1,REVIEW,UNKNOWN_VALUE,DBL,BAR,2026-03-03,1,rate 90.00 EUR,rate 70.00 EUR");
    HttpResponse<String> html =
        send("GET", "/admin/v1/reconciliations/" + id + "?format=html", TOKEN, null);
    assertThat(html.body()).contains("class=\"heatmap\"");
    problem(400, "GET", "/admin/v1/reconciliations/" + id + "?format=pdf", null);
    problem(404, "GET", "/admin/v1/reconciliations/nope", null);

    JsonNode approved = post("/admin/v1/reconciliations/" + id + "/approve", "{\"by\": \"rm\"}");
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.at("/groups/0/repushed").asInt()).isEqualTo(1);
    assertThat(pending()).isEqualTo(1);
    engine.step("a");
    assertThat(sim.state("P1").get(day2).rate()).isEqualByComparingTo("90.00");
    assertThat(
            problem(409, "POST", "/admin/v1/reconciliations/" + id + "/approve", null)
                .get("detail")
                .asText())
        .isEqualTo("reconciliation report " + id + " is APPROVED, not waiting for review");
  }

  @Test
  void badReconciliationInputNamesTheField() throws Exception {
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"from\": \"March\"}")
                .get("detail")
                .asText())
        .isEqualTo("from: 'March' is not a date (yyyy-MM-dd)");
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"channel\": \"zz\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("channel");
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"property\": \"P9\"}")
                .get("detail")
                .asText())
        .isEqualTo("property P9: not in the portfolio; properties: [P1]");
    assertThat(
            problem(
                    400,
                    "POST",
                    "/admin/v1/reconciliations",
                    "{\"from\": \"2026-03-05\", \"to\": \"2026-03-01\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("to");
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"chanel\": \"a\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("chanel");
  }

  @Test
  void aConflictIsShownAndResolvedByRepushOnce() throws Exception {
    JsonNode all = park();
    String dead = all.get(0).get("id").asText();
    String conflict = all.get(1).get("id").asText();

    JsonNode view = get("/admin/v1/conflicts/" + conflict);
    assertThat(view.get("channel").asText()).isEqualTo("a");
    assertThat(view.at("/cells/0/date").asText()).isEqualTo(CONFLICT_DAY.toString());
    assertThat(view.at("/cells/0/truth").asText()).isEqualTo("rate 90.00 EUR");

    assertThat(
            problem(
                    400,
                    "POST",
                    "/admin/v1/conflicts/" + conflict + "/resolve",
                    "{\"action\": \"ignore\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("action");
    problem(409, "POST", "/admin/v1/conflicts/" + dead + "/resolve", "{\"action\": \"repush\"}");
    problem(404, "POST", "/admin/v1/conflicts/nope/resolve", "{\"action\": \"repush\"}");

    JsonNode resolved =
        post("/admin/v1/conflicts/" + conflict + "/resolve", "{\"action\": \"repush\"}");
    assertThat(resolved.get("cells").asInt()).isEqualTo(1);
    assertThat(pending()).isEqualTo(1);
    assertThat(get("/admin/v1/items/" + conflict).get("state").asText()).isEqualTo("replayed");
    assertThat(
            problem(
                    409,
                    "POST",
                    "/admin/v1/conflicts/" + conflict + "/resolve",
                    "{\"action\": \"repush\"}")
                .get("detail")
                .asText())
        .startsWith("no open reconciliation item " + conflict + ": it is already replayed");
  }
}
