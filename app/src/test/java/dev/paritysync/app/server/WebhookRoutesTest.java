package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.app.ServeRoutesAccess;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.webhook.StandardWebhooks;
import dev.paritysync.core.webhook.StripeSignature;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/webhooks/{channel}} over real HTTP on loopback, wired as {@code serve} wires it:
 * channel {@code b} signs with Standard Webhooks (two secrets, as during a rotation), {@code c}
 * Stripe-style, {@code d} with a shared secret in a query parameter; every booking becomes an
 * availability change for the other channels.
 */
class WebhookRoutesTest {
  static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OLD = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
  static final String STRIPE = "sk_test_stripe_secret";
  static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  static final String YAML =
      "portfolio:\n"
          + "  properties:\n"
          + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
          + "channels:\n"
          + channel("a", "")
          + channel(
              "b",
              "    webhook: {strategy: standard, secrets: [\"${env:WHSEC}\", \"${env:OLD}\"]}\n")
          + channel("c", "    webhook: {strategy: stripe, secrets: [\"${env:STRIPE}\"]}\n")
          + channel(
              "d",
              "    webhook: {strategy: shared-secret, query: token, secrets: [\"${env:TOKEN}\"]}\n");

  private static String channel(String name, String webhook) {
    return "  "
        + name
        + ":\n    adapter: native\n    baseUrl: http://127.0.0.1:9/\n"
        + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}\n"
        + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n"
        + webhook;
  }

  @TempDir Path dir;
  ApiFixture f;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    f =
        new ApiFixture(
            dir,
            YAML,
            Map.of("env:WHSEC", WHSEC, "env:OLD", OLD, "env:STRIPE", STRIPE, "env:TOKEN", "t0k3n"));
    ApiServer.Builder b = ApiServer.builder();
    ServeRoutesAccess.routes(f.cfg, f.db, f.engine, f.time, () -> false).forEach(b::withRoutes);
    f.start(b);
    // availability 5 on the nights booked below, so a booking has something to take
    f.engine
        .ingest()
        .accept(
            java.util.List.of(
                dev.paritysync.hotel.ari.Change.builder(
                        "P1",
                        "DBL",
                        java.time.LocalDate.parse("2026-03-10"),
                        java.time.LocalDate.parse("2026-03-12"))
                    .withAvailability(5)
                    .build()));
    logs.start();
    ((Logger) LoggerFactory.getLogger(WebhookRoutes.class)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(WebhookRoutes.class)).detachAppender(logs);
    f.close();
  }

  static String booking(String id, int revision) {
    return "{\"id\":\""
        + id
        + "\",\"revision\":"
        + revision
        + ",\"property\":\"P1\",\"room\":\"D1\",\"arrival\":\"2026-03-10\","
        + "\"departure\":\"2026-03-12\",\"status\":\"new\"}";
  }

  private HttpResponse<String> standard(String id, Instant at, String body, String signature) {
    return f.send(
        HttpRequest.newBuilder(f.uri("/v1/webhooks/b"))
            .header("Content-Type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(at.getEpochSecond()))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static String sign(String secret, String id, Instant at, String body) {
    return StandardWebhooks.sign(Secret.of(secret), id, at, body.getBytes(StandardCharsets.UTF_8));
  }

  private long count(String sql) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aSignedBookingIsAcceptedAndBecomesAChangeForEveryOtherChannel() throws Exception {
    String body = booking("R-1", 1);
    HttpResponse<String> r = standard("msg_1", NOW, body, sign(WHSEC, "msg_1", NOW, body));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = ApiFixture.json(r);
    assertThat(doc.get("outcome").asText()).isEqualTo("accepted");
    assertThat(doc.get("reservation").asText()).isEqualTo("R-1");
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE channel = 'b'")).isEqualTo(1);
    assertThat(
            count(
                "SELECT availability FROM ari_truth WHERE property = 'P1' AND room_type = 'DBL'"
                    + " AND date = '2026-03-10'"))
        .isEqualTo(4);
    // pending for a, c, d — not for b, which took the booking
    assertThat(
            count(
                "SELECT COUNT(DISTINCT channel) FROM ari_outbox WHERE date = '2026-03-10'"
                    + " AND rate_plan = '' AND pending_version = (SELECT MAX(version) FROM"
                    + " ari_truth)"))
        .isEqualTo(3);
    assertThat(
            count(
                "SELECT COUNT(*) FROM ari_outbox WHERE channel = 'b' AND pending_version ="
                    + " (SELECT MAX(version) FROM ari_truth)"))
        .isZero();
  }

  @Test
  void aDuplicateWebhookIdIsAcknowledgedAndNotProcessedTwice() throws Exception {
    String body = booking("R-2", 1);
    String signature = sign(WHSEC, "msg_2", NOW, body);
    standard("msg_2", NOW, body, signature);

    HttpResponse<String> again = standard("msg_2", NOW, body, signature);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.json(again).get("outcome").asText()).isEqualTo("duplicate");
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(1);
  }

  @Test
  void aSignedPayloadThatIsNoReservationIsKeptDeadLetteredAndAcknowledged() throws Exception {
    // The known answer's body (its 2021 signature is pinned in core's StandardWebhooksTest).
    String body = "{\"test\": 2432232314}";
    HttpResponse<String> r = standard("msg_3", NOW, body, sign(WHSEC, "msg_3", NOW, body));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.json(r).get("outcome").asText()).isEqualTo("dead_lettered");
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isZero();
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox")).isEqualTo(1);
  }

  @Test
  void aSignedPayloadNested5000DeepIsDeadLetteredNot500() throws Exception {
    // It used to be a NullPointerException (a depth error has no location): 500, nothing kept,
    // and the channel retried forever.
    String body = "{\"id\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
    HttpResponse<String> r = standard("msg_deep", NOW, body, sign(WHSEC, "msg_deep", NOW, body));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = ApiFixture.json(r);
    assertThat(doc.get("outcome").asText()).isEqualTo("dead_lettered");
    assertThat(doc.get("detail").asText()).endsWith("nested more than 32 levels deep");
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'dead_lettered'"))
        .isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM queue_items WHERE queue = 'dead_letter'")).isEqualTo(1);
  }

  @Test
  void aSignedStayOfCenturiesIsDeadLetteredQuicklyWithAShortAnswer() throws Exception {
    // 2027 to 9999 took 19 s and answered 35 MB (a note naming every night).
    String body =
        booking("R-LONG", 1)
            .replace("2026-03-10", "2027-01-01")
            .replace("2026-03-12", "9999-12-31");
    HttpResponse<String> r = standard("msg_long", NOW, body, sign(WHSEC, "msg_long", NOW, body));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.json(r).get("outcome").asText()).isEqualTo("dead_lettered");
    assertThat(ApiFixture.json(r).get("detail").asText())
        .isEqualTo(
            "/departure: a stay of 2912077 nights (2027-01-01 to 9999-12-31) is longer than the"
                + " maximum of 750");
    assertThat(r.body().length()).isLessThan(1_000);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isZero();
  }

  @Test
  void aSignedPayloadWithAKeyTwiceIsDeadLettered() throws Exception {
    String body =
        booking("R-DUP", 1)
            .replace("\"status\":\"new\"", "\"status\":\"new\",\"status\":\"cancelled\"");
    HttpResponse<String> r = standard("msg_dup", NOW, body, sign(WHSEC, "msg_dup", NOW, body));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.json(r).get("detail").asText())
        .endsWith("key \"status\" appears twice in one object");
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isZero();
  }

  @Test
  void unverifiableRequestsAre401AndLoggedWithoutTheirBody() {
    String body = booking("R-SECRET-BODY", 1);
    String good = sign(WHSEC, "msg_4", NOW, body);

    assertThat(standard("msg_4", NOW, body.replace("R-SECRET", "R-TAMPER"), good).statusCode())
        .as("tampered body")
        .isEqualTo(401);
    assertThat(
            standard("msg_4", NOW, body, sign(OLD.replace("A", "B"), "msg_4", NOW, body))
                .statusCode())
        .as("wrong secret")
        .isEqualTo(401);
    Instant old = NOW.minusSeconds(301);
    assertThat(standard("msg_4", old, body, sign(WHSEC, "msg_4", old, body)).statusCode())
        .as("301 s old")
        .isEqualTo(401);
    Instant ahead = NOW.plusSeconds(301);
    assertThat(standard("msg_4", ahead, body, sign(WHSEC, "msg_4", ahead, body)).statusCode())
        .as("301 s ahead")
        .isEqualTo(401);
    HttpResponse<String> missing =
        f.send(
            HttpRequest.newBuilder(f.uri("/v1/webhooks/b"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(missing.statusCode()).as("missing headers").isEqualTo(401);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);

    assertThat(logs.list).hasSize(5);
    assertThat(logs.list)
        .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("SECRET-BODY"));
  }

  @Test
  void aRotatedSecretAndSeveralSignaturesInOneHeaderVerify() {
    String body = booking("R-5", 1);
    assertThat(standard("msg_5", NOW, body, sign(OLD, "msg_5", NOW, body)).statusCode())
        .as("signed with the previous secret")
        .isEqualTo(200);

    String body6 = booking("R-6", 1);
    String several =
        "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,whatever "
            + sign(WHSEC, "msg_6", NOW, body6);
    assertThat(standard("msg_6", NOW, body6, several).statusCode()).isEqualTo(200);
  }

  @Test
  void stripeAndSharedSecretChannelsVerifyTheirOwnWay() throws Exception {
    String body = booking("R-7", 1);
    HttpResponse<String> stripe =
        f.send(
            HttpRequest.newBuilder(f.uri("/v1/webhooks/c"))
                .header(
                    "Stripe-Signature",
                    StripeSignature.sign(
                        Secret.of(STRIPE), NOW, body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(stripe.statusCode()).as(stripe.body()).isEqualTo(200);

    String body8 = booking("R-8", 1);
    assertThat(
            f.send(
                    HttpRequest.newBuilder(f.uri("/v1/webhooks/d?token=t0k3n"))
                        .POST(HttpRequest.BodyPublishers.ofString(body8)))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            f.send(
                    HttpRequest.newBuilder(f.uri("/v1/webhooks/d?token=nope"))
                        .POST(HttpRequest.BodyPublishers.ofString(body8)))
                .statusCode())
        .isEqualTo(401);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(2);
  }

  @Test
  void thePmsPullsTheStoredReservationsPageByPage() {
    for (int i = 1; i <= 3; i++) {
      String body = booking("R-P" + i, 1);
      standard("msg_p" + i, NOW, body, sign(WHSEC, "msg_p" + i, NOW, body));
    }

    JsonNode first = ApiFixture.json(f.get("/v1/reservations?limit=2"));
    JsonNode second =
        ApiFixture.json(
            f.get("/v1/reservations?limit=2&after=" + first.get("nextCursor").asText()));

    assertThat(first.get("reservations")).hasSize(2);
    assertThat(first.get("reservations").get(0).get("channel").asText()).isEqualTo("b");
    assertThat(first.get("reservations").get(0).get("roomType").asText()).isEqualTo("DBL");
    assertThat(first.get("reservations").get(0).get("status").asText()).isEqualTo("new");
    assertThat(second.get("reservations")).hasSize(1);
    assertThat(second.get("nextCursor").isNull()).isTrue();
    java.util.List<String> ids = new java.util.ArrayList<>();
    first.get("reservations").forEach(r -> ids.add(r.get("id").asText()));
    second.get("reservations").forEach(r -> ids.add(r.get("id").asText()));
    assertThat(ids).containsExactlyInAnyOrder("R-P1", "R-P2", "R-P3");
    assertThat(f.get("/v1/reservations?after=nonsense").statusCode()).isEqualTo(400);
    assertThat(f.get("/v1/reservations?colour=red").statusCode()).isEqualTo(400);
  }

  @Test
  void aChannelWithoutWebhooksIs404() {
    HttpResponse<String> r =
        f.send(
            HttpRequest.newBuilder(f.uri("/v1/webhooks/a"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ApiFixture.json(r).get("detail").asText()).contains("'a'");
  }
}
