package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.escalation.Escalation;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.webhook.StandardWebhooks;
import dev.paritysync.core.webhook.WebhookRequest;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code serve} run escalation as the {@value Escalation#LEASE} singleton when the
 * file has an {@code escalation:} section: a dead letter over the count reaches a real webhook
 * receiver on loopback, signed.
 */
class EngineHostEscalationTest {
  private static final String WHSEC = "whsec_c2VjcmV0LWtleS1ieXRlcw==";

  @TempDir Path dir;

  @Test
  void aDeadLetterOverTheCountIsPostedSignedByTheSingleton() throws Exception {
    LinkedBlockingQueue<WebhookRequest> posts = new LinkedBlockingQueue<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          headers.putAll(exchange.getRequestHeaders());
          posts.add(
              WebhookRequest.of(Headers.of(headers), exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      Path db = dir.resolve("host.db");
      EngineFileConfig cfg = config(db, receiver.getAddress().getPort());
      try (Database before =
          Database.open(
              DatabaseConfig.builder()
                  .withSqliteFile(db)
                  .withMigrations("classpath:db/migration/hotel")
                  .build())) {
        deadLetter(before);
      }
      try (EngineHost host = open(cfg)) {
        host.start();
        assertThat(host.runs(Escalation.LEASE)).isTrue();
        WebhookRequest fired = posts.poll(10, TimeUnit.SECONDS);
        assertThat(fired).as("no post within 10 s").isNotNull();
        assertThat(
                StandardWebhooks.builder(Clock.system())
                    .withSecret(Secret.of(WHSEC))
                    .build()
                    .verify(fired)
                    .verified())
            .isTrue();
        assertThat(new String(fired.body(), StandardCharsets.UTF_8))
            .contains("\"type\":\"fired\"", "\"condition\":\"dead_letters\"", "\"channel\":\"a\"");
      }
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aBadReceiverNamesItsKey() {
    assertThatThrownBy(() -> config(dir.resolve("x.db"), 0, "type: pagerduty"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "escalation.receivers.ops.type: expected webhook or alertmanager, was 'pagerduty'");
  }

  private static void deadLetter(Database db) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO queue_items (id, queue, channel, subject, reason, evidence,"
                      + " attempts, state, created_at) VALUES ('01DL', 'dead_letter', 'a', 's',"
                      + " 'auth', '{}', '[]', 'open', 0)")) {
            ps.executeUpdate();
          }
          return null;
        });
  }

  private EngineHost open(EngineFileConfig cfg) {
    return EngineHost.open(
        cfg,
        Clock.system(),
        Duration.ofSeconds(1),
        0,
        List.of(),
        b -> {},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private EngineFileConfig config(Path db, int port) throws Exception {
    return config(db, port, "type: webhook");
  }

  private EngineFileConfig config(Path db, int port, String type) throws Exception {
    Path file = dir.resolve("paritysync.yaml");
    Files.writeString(
        file,
        "database: {url: \"jdbc:sqlite:"
            + db
            + "\"}\n"
            + "portfolio: {properties: {P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR:"
            + " EUR}}}}}}\n"
            + "channels: {a: {adapter: native, baseUrl: \"http://127.0.0.1:9/\", credentials:"
            + " {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}, mapping: {rooms: {DBL:"
            + " D1}, ratePlans: {BAR: R1}}}}\n"
            + "escalation:\n"
            + "  conditions: {deadLetters: {count: 1}}\n"
            + "  receivers:\n"
            + "    ops: {"
            + type
            + ", url: \"http://127.0.0.1:"
            + port
            + "/hook\", secret: \"${env:WHSEC}\"}\n");
    return EngineFileConfig.load(
        file, SecretResolver.fromMap(Map.of("env:KEY", "k", "env:WHSEC", WHSEC)));
  }
}
