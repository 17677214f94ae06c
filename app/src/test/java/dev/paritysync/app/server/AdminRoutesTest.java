package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admin API's queue items, conflicts and channels over real HTTP on loopback ({@link
 * AdminRoutesFixture}): authentication, listing and filtering, the evidence of an item, replay,
 * discard, bulk replay, resolving a conflict, a channel's parity, quota and circuit.
 */
class AdminRoutesTest extends AdminRoutesFixture {
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
}
