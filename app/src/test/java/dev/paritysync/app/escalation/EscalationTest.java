package dev.paritysync.app.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.core.webhook.StandardWebhooks;
import dev.paritysync.core.webhook.Verification;
import dev.paritysync.core.webhook.WebhookRequest;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation against a real receiver on loopback, state in a real SQLite file, on virtual time:
 * fire, de-duplicate (also across a restart), resolve, retry, reject, and the Alertmanager shape.
 */
class EscalationTest {
  private static final Secret SECRET =
      Secret.of("whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123".getBytes()));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration EVERY = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:50Z"));
  private final List<Observation> holding = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private LoopbackReceiver receiver;
  private Database db;
  private Transport transport;
  private Escalation escalation;

  @BeforeEach
  void open() throws Exception {
    receiver = new LoopbackReceiver();
    db =
        Database.open(
            DatabaseConfig.builder()
                .withUrl("jdbc:sqlite:" + dir.resolve("state.db"))
                .withMigrations(Escalation.MIGRATIONS)
                .build());
    transport = Transport.builder().withClock(time).build();
  }

  @AfterEach
  void close() {
    if (escalation != null) {
      escalation.close();
    }
    transport.close();
    db.close();
    receiver.close();
  }

  private EscalationConfig.Receiver webhook() {
    return new EscalationConfig.Receiver(
        "ops", EscalationConfig.Type.WEBHOOK, receiver.url("/hook"), SECRET, null, null);
  }

  private EscalationConfig.Receiver alertmanager() {
    return new EscalationConfig.Receiver(
        "am",
        EscalationConfig.Type.ALERTMANAGER,
        receiver.url("/api/v2/alerts"),
        null,
        Duration.ofMinutes(1),
        "http://paritysync.example/admin");
  }

  private void start(EscalationConfig.Receiver r) {
    EscalationConfig cfg =
        new EscalationConfig(EVERY, 1, Duration.ofMinutes(5), 10, Map.of(r.name(), r));
    escalation = new Escalation(cfg, now -> List.copyOf(holding), db, transport, time, 7, registry);
    escalation.schedule(Duration.ZERO);
  }

  private void restart(EscalationConfig.Receiver r) {
    escalation.close();
    start(r);
  }

  private static Observation deadLetters(long n) {
    return new Observation(
        Observation.DEAD_LETTERS, "booking", n, 10, Instant.parse("2026-03-29T00:40:00Z"));
  }

  private static Verification verify(LoopbackReceiver.Received r, VirtualTime clock) {
    Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(r.headers());
    return StandardWebhooks.builder(clock)
        .withSecret(SECRET)
        .build()
        .verify(WebhookRequest.of(Headers.of(headers), r.body()));
  }

  private double counted(String event, String outcome) {
    var c =
        registry
            .find(Escalation.NOTIFICATIONS)
            .tags("receiver", "ops", "event", event, "outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void firesOnceSignedSurvivesARestartAndResolves() throws Exception {
    start(webhook());
    time.runDue();
    assertThat(receiver.received()).as("nothing holds, nothing posted").isEmpty();

    holding.add(deadLetters(12));
    time.advance(EVERY);
    assertThat(receiver.received()).hasSize(1);
    LoopbackReceiver.Received fired = receiver.received().get(0);
    assertThat(verify(fired, time).verified()).as(verify(fired, time).toString()).isTrue();
    JsonNode body = JSON.readTree(fired.body());
    assertThat(body.get("type").asText()).isEqualTo("fired");
    assertThat(body.get("id").asText()).isEqualTo(fired.header("webhook-id"));
    assertThat(body.get("condition").asText()).isEqualTo("dead_letters");
    assertThat(body.get("channel").asText()).isEqualTo("booking");
    assertThat(body.get("value").asLong()).isEqualTo(12);
    assertThat(body.get("threshold").asLong()).isEqualTo(10);
    assertThat(body.get("since").asText()).isEqualTo("2026-03-29T00:40:00Z");

    holding.set(0, deadLetters(15));
    time.advance(EVERY.multipliedBy(10));
    restart(webhook());
    time.advance(EVERY.multipliedBy(3));
    assertThat(receiver.received()).as("no second fired: re-evaluated, restarted").hasSize(1);

    holding.clear();
    time.advance(EVERY);
    assertThat(receiver.received()).hasSize(2);
    LoopbackReceiver.Received resolved = receiver.received().get(1);
    assertThat(verify(resolved, time).verified()).isTrue();
    JsonNode r = JSON.readTree(resolved.body());
    assertThat(r.get("type").asText()).isEqualTo("resolved");
    assertThat(r.get("value").asLong()).as("the last value seen firing").isEqualTo(15);
    assertThat(r.get("id").asText()).isNotEqualTo(body.get("id").asText());
    assertThat(r.get("resolvedAt").asText()).isEqualTo(time.instant().toString());

    time.advance(EVERY.multipliedBy(5));
    assertThat(receiver.received()).as("resolved once").hasSize(2);
    assertThat(counted("fired", "sent")).isEqualTo(1);
    assertThat(counted("resolved", "sent")).isEqualTo(1);
  }

  @Test
  void retriesA503WithBackoffUnderTheSameEventId() {
    receiver.answer(503, 503);
    holding.add(deadLetters(12));
    start(webhook());
    time.runDue();
    assertThat(receiver.received()).hasSize(1);
    Notification failed = escalation.notifications().get(0);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError()).isEqualTo("HTTP 503");
    // core's default backoff: the first retry after 1 to 1.5 s, the second after 2 to 3 s
    assertThat(Duration.between(time.instant(), failed.nextAttemptAt()))
        .isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));

    time.advance(Duration.ofMillis(1500));
    assertThat(receiver.received()).hasSize(2);
    time.advance(Duration.ofSeconds(3));
    assertThat(receiver.received()).hasSize(3);
    assertThat(receiver.received())
        .extracting(r -> r.header("webhook-id"))
        .containsOnly(failed.firedId());
    Notification sent = escalation.notifications().get(0);
    assertThat(sent.delivery()).isEqualTo(Notification.SENT);
    assertThat(sent.attempts()).isZero();
    assertThat(sent.nextAttemptAt()).isNull();
    assertThat(counted("fired", "retry")).isEqualTo(2);

    time.advance(EVERY.multipliedBy(4));
    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void aTooManyRequestsWaitsForItsRetryAfter() {
    receiver.answer(429).retryAfter("20");
    holding.add(deadLetters(12));
    start(webhook());
    time.runDue();
    Notification waiting = escalation.notifications().get(0);
    assertThat(waiting.nextAttemptAt()).isEqualTo(time.instant().plusSeconds(20));
    time.advance(Duration.ofSeconds(19));
    assertThat(receiver.received()).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void aRejectionIsNotRetriedAndNeverResolved() {
    receiver.answer(401);
    holding.add(deadLetters(12));
    start(webhook());
    time.runDue();
    time.advance(Duration.ofMinutes(30));
    assertThat(receiver.received()).hasSize(1);
    assertThat(escalation.notifications().get(0).delivery()).isEqualTo(Notification.REJECTED);
    assertThat(counted("fired", "rejected")).isEqualTo(1);

    holding.clear();
    time.advance(Duration.ofMinutes(5));
    assertThat(receiver.received()).as("it never heard it fired").hasSize(1);
    assertThat(escalation.notifications()).isEmpty();
  }

  @Test
  void aConditionThatClearsBeforeItWasDeliveredIsForgotten() {
    receiver.answer(503);
    holding.add(deadLetters(12));
    start(webhook());
    time.runDue();
    assertThat(escalation.notifications()).hasSize(1);
    holding.clear();
    time.advance(EVERY.multipliedBy(4));
    assertThat(receiver.received()).as("no retry, no resolved for what was never told").hasSize(1);
    assertThat(escalation.notifications()).isEmpty();
  }

  @Test
  void alertmanagerGetsTheV2ShapeRepeatedWhileFiringThenEndsAt() throws Exception {
    holding.add(
        new Observation(
            Observation.CIRCUIT_OPEN, "expedia", 420, 300, Instant.parse("2026-03-29T00:52:50Z")));
    start(alertmanager());
    time.runDue();
    assertThat(receiver.received()).hasSize(1);
    LoopbackReceiver.Received first = receiver.received().get(0);
    assertThat(first.path()).isEqualTo("/api/v2/alerts");
    assertThat(first.header("webhook-signature")).isNull();
    JsonNode alerts = JSON.readTree(first.body());
    assertThat(alerts.isArray()).isTrue();
    assertThat(alerts).hasSize(1);
    JsonNode a = alerts.get(0);
    assertThat(a.get("labels").get("alertname").asText()).isEqualTo("ParitysyncCircuitOpen");
    assertThat(a.get("labels").get("channel").asText()).isEqualTo("expedia");
    assertThat(a.get("annotations").get("summary").asText()).contains("expedia", "420s");
    assertThat(a.get("startsAt").asText()).isEqualTo("2026-03-29T00:52:50Z");
    assertThat(Instant.parse(a.get("endsAt").asText())).isAfter(time.instant());
    assertThat(a.get("generatorURL").asText()).isEqualTo("http://paritysync.example/admin");

    time.advance(Duration.ofSeconds(59));
    assertThat(receiver.received()).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(receiver.received()).as("re-sent after repeat").hasSize(2);
    JsonNode again = JSON.readTree(receiver.received().get(1).body()).get(0);
    assertThat(again.get("labels")).isEqualTo(a.get("labels"));

    holding.clear();
    time.advance(EVERY);
    JsonNode end = JSON.readTree(receiver.received().get(receiver.received().size() - 1).body());
    Instant endsAt = Instant.parse(end.get(0).get("endsAt").asText());
    assertThat(end.get(0).get("labels")).isEqualTo(a.get("labels"));
    assertThat(endsAt).isBeforeOrEqualTo(time.instant());
    int posts = receiver.received().size();
    time.advance(Duration.ofMinutes(10));
    assertThat(receiver.received()).as("no re-send once resolved").hasSize(posts);
  }
}
