package dev.paritysync.hotel.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.core.webhook.StandardWebhooks;
import dev.paritysync.core.webhook.StripeSignature;
import dev.paritysync.core.webhook.Verification;
import dev.paritysync.core.webhook.WebhookRequest;
import dev.paritysync.core.webhook.WebhookVerifier;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.channel.WebhookConfig;
import dev.paritysync.hotel.engine.Backend;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The webhook intake on a real SQLite file (and a real PostgreSQL when {@code PARITYSYNC_PG_URL}
 * names one): channel {@code feed} sends signed reservation webhooks, channel {@code other} must
 * get the availability they move, in its outbox. The engine is not started: the test reads the
 * outbox.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class WebhookIntakeTest {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1", "SGL", "S1"), Map.of("BAR", "R1"));
  private static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of(
              "P1",
              ZoneOffset.UTC,
              RoomType.of("DBL", RatePlan.of("BAR", "EUR")),
              RoomType.of("SGL", RatePlan.of("BAR", "EUR"))));

  @Parameter Backend backend;
  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(START);
  private final Transport transport = Transport.builder().withClock(time).build();
  private final List<Reservation> sunk = new CopyOnWriteArrayList<>();
  private Backend.EngineStore store;
  private HotelEngine engine;
  private WebhookIntake intake;
  private WebhookVerifier verifier;

  @BeforeEach
  void setUp() {
    store = backend.open(dir); // skips the PostgreSQL run when no server is configured
    SecretResolver secrets = SecretResolver.fromMap(Map.of("env:KEY", "k", "env:WHSEC", WHSEC));
    Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    channels.put("feed", ChannelConfig.parse("feed", channel(), secrets));
    channels.put("other", ChannelConfig.parse("other", channel(), secrets));
    engine =
        HotelEngine.builder()
            .withDatabase(store.db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(PORTFOLIO)
            .withChannels(channels)
            .build();
    engine
        .ingest()
        .accept(
            List.of(
                Change.builder("P1", "DBL", day(10), day(20)).withAvailability(5).build(),
                Change.builder("P1", "SGL", day(10), day(20)).withAvailability(3).build()));
    clearOutbox(); // as if delivered: what follows is only what webhooks cause
    verifier =
        WebhookConfig.parse(
                new ConfigMap(
                    "channels.feed.webhook",
                    Map.of("strategy", "standard", "secrets", List.of("${env:WHSEC}"))),
                secrets)
            .verifier(time);
    intake =
        WebhookIntake.builder()
            .withDatabase(store.db)
            .withClock(time)
            .withIngest(engine.ingest())
            .withChannel("feed", MAPPING)
            .withSink(sunk::add)
            .build();
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    transport.close();
    if (store != null) {
      store.close();
    }
  }

  @Test
  void newReservationIsPendingForEveryOtherChannelAndNotItsOwn() {
    String body = reservation("RES-1", 1, "D1", 10, 12, "new");

    WebhookIntake.Result r = deliver("msg_1", body);

    assertThat(r.outcome()).isEqualTo(WebhookIntake.Outcome.ACCEPTED);
    assertThat(r.reservation()).isEqualTo("RES-1");
    assertThat(r.revision()).isEqualTo(1);
    assertThat(r.detail()).isNull();
    assertThat(truth("DBL", 10)).isEqualTo(4);
    assertThat(truth("DBL", 11)).isEqualTo(4);
    assertThat(truth("DBL", 12)).as("departure day").isEqualTo(5);
    assertThat(pending("other")).isEqualTo(2);
    assertThat(pending("feed")).as("the channel that took it holds it already").isZero();
    assertThat(text("SELECT status FROM webhook_inbox")).isEqualTo("applied");
    assertThat(text("SELECT body FROM webhook_inbox")).as("the raw body, exactly").isEqualTo(body);
    assertThat(text("SELECT webhook_id FROM webhook_inbox")).isEqualTo("msg_1");
    assertThat(text("SELECT id FROM webhook_inbox")).isEqualTo(r.inboxId());
    assertThat(sunk).extracting(Reservation::roomType).containsExactly("DBL");
  }

  @Test
  void modificationAndCancellationGiveRoomsBack() {
    deliver("m1", reservation("RES-1", 1, "D1", 10, 12, "new"));
    deliver("m2", reservation("RES-1", 2, "S1", 10, 11, "modified"));
    assertThat(truth("DBL", 10)).isEqualTo(5);
    assertThat(truth("SGL", 10)).isEqualTo(2);
    deliver("m3", reservation("RES-1", 3, "S1", 10, 11, "cancelled"));
    assertThat(truth("SGL", 10)).isEqualTo(3);
    assertThat(sunk)
        .extracting(Reservation::status)
        .containsExactly(
            Reservation.Status.NEW, Reservation.Status.MODIFIED, Reservation.Status.CANCELLED);
  }

  @Test
  void sameWebhookIdTwiceIsProcessedOnce() {
    String body = reservation("RES-1", 1, "D1", 10, 11, "new");
    WebhookIntake.Result first = deliver("msg_1", body);

    WebhookIntake.Result again = deliver("msg_1", body);

    assertThat(again.outcome()).isEqualTo(WebhookIntake.Outcome.DUPLICATE);
    assertThat(again.inboxId()).as("the first delivery's row").isEqualTo(first.inboxId());
    assertThat(again.detail()).isEqualTo("webhook id msg_1 was received before");
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(1);
    assertThat(truth("DBL", 10)).as("taken once").isEqualTo(4);
    assertThat(sunk).hasSize(1);
  }

  @Test
  void sameRevisionUnderAnotherWebhookIdIsProcessedOnce() {
    String body = reservation("RES-1", 1, "D1", 10, 11, "new");
    deliver("msg_1", body);

    WebhookIntake.Result again = deliver("msg_2", body);

    assertThat(again.outcome()).isEqualTo(WebhookIntake.Outcome.DUPLICATE);
    assertThat(again.detail()).isEqualTo("revision 1 of reservation RES-1 was received before");
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'duplicate'"))
        .as("kept, as received")
        .isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(1);
    assertThat(truth("DBL", 10)).isEqualTo(4);
    assertThat(sunk).hasSize(1);
  }

  @Test
  void withoutWebhookIdsTheRevisionIsTheKey() {
    StripeSignature stripe = StripeSignature.builder(time).withSecret(Secret.of("sk")).build();
    byte[] body = reservation("RES-9", 1, "D1", 10, 11, "new").getBytes(StandardCharsets.UTF_8);
    WebhookRequest request =
        WebhookRequest.of(
            Headers.of("Stripe-Signature", StripeSignature.sign(Secret.of("sk"), START, body)),
            body);
    Verification v = stripe.verify(request);
    assertThat(v.verified()).isTrue();
    assertThat(v.webhookId()).isNull();

    assertThat(intake.accept("feed", request, v).outcome())
        .isEqualTo(WebhookIntake.Outcome.ACCEPTED);
    assertThat(intake.accept("feed", request, v).outcome())
        .isEqualTo(WebhookIntake.Outcome.DUPLICATE);
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE webhook_id IS NULL")).isEqualTo(2);
    assertThat(truth("DBL", 10)).isEqualTo(4);
  }

  @Test
  void malformedJsonIsDeadLetteredAndNothingApplied() {
    WebhookIntake.Result r = deliver("msg_bad", "{\"id\": \"RES-1\", \"revision\": ");

    assertThat(r.outcome()).isEqualTo(WebhookIntake.Outcome.DEAD_LETTERED);
    assertThat(r.detail()).startsWith("/revision: not JSON (line 1, column ");
    assertThat(text("SELECT status FROM webhook_inbox")).isEqualTo("dead_lettered");
    assertThat(text("SELECT error FROM webhook_inbox")).isEqualTo(r.detail());
    assertThat(text("SELECT reason FROM queue_items WHERE queue = 'dead_letter'"))
        .isEqualTo("malformed reservation webhook: " + r.detail());
    assertThat(text("SELECT subject FROM queue_items")).isEqualTo("webhook/" + r.inboxId());
    assertThat(count("SELECT COUNT(*) FROM ledger WHERE kind = 'queue.entered'")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isZero();
    assertThat(pending("other")).isZero();
    assertThat(truth("DBL", 10)).isEqualTo(5);
    assertThat(sunk).isEmpty();
    assertThat(deliver("msg_bad", "{}").outcome())
        .as("a redelivery of a dead letter is a duplicate too")
        .isEqualTo(WebhookIntake.Outcome.DUPLICATE);
  }

  @Test
  void wrongFieldsAreNamedByTheirPointer() {
    assertThat(
            deliver(
                    "a",
                    reservation("RES-1", 1, "D1", 10, 11, "new")
                        .replace("\"departure\"", "\"leaving\""))
                .detail())
        .isEqualTo("/departure: required, a string");
    assertThat(deliver("b", reservation("RES-1", 0, "D1", 10, 11, "new")).detail())
        .isEqualTo("/revision: required, a whole number from 1");
    assertThat(deliver("c", reservation("RES-1", 1, "D1", 12, 11, "new")).detail())
        .isEqualTo("/: reservation RES-1: departure 2026-03-12 is not after arrival 2026-03-13");
    assertThat(deliver("d", reservation("RES-1", 1, "D1", 10, 11, "booked")).detail())
        .isEqualTo("/: status 'booked' is not one of new, modified, cancelled");
    assertThat(deliver("e", "[1, 2]").detail()).isEqualTo("/: required, an object");
    assertThat(deliver("f", "").detail()).isEqualTo("/: required, an object (the body is empty)");
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'dead_lettered'"))
        .isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM queue_items")).isEqualTo(6);
    assertThat(pending("other")).isZero();
  }

  @Test
  void bodyThatIsNotUtf8IsKeptAsBase64() {
    byte[] body = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    WebhookRequest request = WebhookRequest.of(Headers.empty(), body);

    WebhookIntake.Result r = intake.accept("feed", request, Verification.verified("bin"));

    assertThat(r.outcome()).isEqualTo(WebhookIntake.Outcome.DEAD_LETTERED);
    assertThat(text("SELECT body_encoding FROM webhook_inbox")).isEqualTo("base64");
    assertThat(text("SELECT body FROM webhook_inbox")).isEqualTo("e8MofQ==");
  }

  @Test
  void unknownPropertyIsAcceptedWithANoteAndMovesNothing() {
    WebhookIntake.Result r =
        deliver("msg_1", reservation("RES-1", 1, "D1", 10, 11, "new").replace("\"P1\"", "\"P9\""));

    assertThat(r.outcome()).isEqualTo(WebhookIntake.Outcome.ACCEPTED);
    assertThat(r.detail()).isEqualTo("no availability in truth for [2026-03-11]");
    assertThat(pending("other")).isZero();
    assertThat(text("SELECT note FROM reservation_revisions")).isEqualTo(r.detail());
  }

  @Test
  void aFailureInsideTheTransactionLeavesNothingHalfWritten() throws Exception {
    String body = reservation("RES-1", 1, "D1", 10, 12, "new");
    execute("ALTER TABLE reservations RENAME TO reservations_away"); // the apply step fails

    assertThatThrownBy(() -> deliver("msg_1", body)).isInstanceOf(StoreException.class);

    assertThat(count("SELECT COUNT(*) FROM webhook_inbox")).as("the raw body too").isZero();
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isZero();
    assertThat(pending("other")).isZero();
    assertThat(truth("DBL", 10)).isEqualTo(5);
    assertThat(sunk).isEmpty();

    // the channel retries (it got a 5xx) once the database is well again: taken, once
    execute("ALTER TABLE reservations_away RENAME TO reservations");
    assertThat(deliver("msg_1", body).outcome()).isEqualTo(WebhookIntake.Outcome.ACCEPTED);
    assertThat(truth("DBL", 10)).isEqualTo(4);
    assertThat(pending("other")).isEqualTo(2);
  }

  @Test
  void concurrentRedeliveriesAreTakenOnce() throws Exception {
    String body = reservation("RES-7", 1, "D1", 10, 11, "new");
    int threads = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<WebhookIntake.Outcome>> outcomes = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        String id = i % 2 == 0 ? "same-id" : "id-" + i; // same id, or same revision
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  return deliver(id, body).outcome();
                }));
      }
      go.countDown();
      List<WebhookIntake.Outcome> seen = new java.util.ArrayList<>();
      for (var f : outcomes) {
        seen.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(seen)
          .filteredOn(o -> o == WebhookIntake.Outcome.ACCEPTED)
          .as("one of %s", seen)
          .hasSize(1);
      assertThat(seen).filteredOn(o -> o == WebhookIntake.Outcome.DUPLICATE).hasSize(threads - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(truth("DBL", 10)).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM reservation_revisions")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox"))
        .as("1 same-id + 4 other ids")
        .isEqualTo(5);
    assertThat(sunk).hasSize(1);
  }

  @Test
  void unknownChannelAndUnverifiedRequestsAreRefused() {
    WebhookRequest request = WebhookRequest.of(Headers.empty(), new byte[0]);

    assertThatThrownBy(() -> intake.accept("other", request, Verification.verified("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channel 'other' takes no webhooks (known: [feed])");
    assertThatThrownBy(
            () ->
                intake.accept(
                    "feed",
                    request,
                    Verification.failed(Verification.Failure.MISSING, "webhook-id is missing")))
        .hasMessage("webhook for channel 'feed' is not verified: webhook-id is missing");
    assertThat(count("SELECT COUNT(*) FROM webhook_inbox")).isZero();
    assertThatThrownBy(() -> WebhookIntake.builder().build()).hasMessage("database");
  }

  // ---------------------------------------------------------------- helpers

  private WebhookIntake.Result deliver(String id, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    WebhookRequest request =
        WebhookRequest.of(
            Headers.of(
                "webhook-id",
                id,
                "webhook-timestamp",
                Long.toString(time.instant().getEpochSecond()),
                "webhook-signature",
                StandardWebhooks.sign(Secret.of(WHSEC), id, time.instant(), bytes)),
            bytes);
    Verification v = verifier.verify(request);
    assertThat(v.verified()).as("signed in the test").isTrue();
    return intake.accept("feed", request, v);
  }

  private static String reservation(
      String id, int revision, String room, int arrival, int departure, String status) {
    return "{\"id\": \""
        + id
        + "\", \"revision\": "
        + revision
        + ", \"property\": \"P1\", \"room\": \""
        + room
        + "\", \"arrival\": \""
        + day(arrival)
        + "\", \"departure\": \""
        + day(departure)
        + "\", \"status\": \""
        + status
        + "\", \"guest\": {\"name\": \"ignored\"}}";
  }

  private static LocalDate day(int d) {
    return TODAY.plusDays(d);
  }

  private static Map<String, Object> channel() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "native");
    c.put("baseUrl", "http://127.0.0.1:9/");
    c.put("credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:KEY}")));
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    c.put("webhook", Map.of("strategy", "standard"));
    return c;
  }

  private void clearOutbox() {
    execute("UPDATE ari_outbox SET pending_version = NULL");
  }

  private void execute(String sql) {
    store.db.inTransaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(sql);
          }
          return null;
        });
  }

  private Integer truth(String room, int d) {
    return store.db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT availability FROM ari_truth WHERE property = 'P1' AND room_type = ?"
                      + " AND rate_plan = '' AND date = ?")) {
            ps.setString(1, room);
            ps.setString(2, day(d).toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getInt(1) : null;
            }
          }
        });
  }

  private long pending(String channel) {
    return count(
        "SELECT COUNT(*) FROM ari_outbox WHERE channel = '"
            + channel
            + "' AND pending_version IS NOT NULL");
  }

  private long count(String sql) {
    return store.db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private String text(String sql) {
    return store.db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        });
  }
}
