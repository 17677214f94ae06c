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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin API tests share: an {@link ApiServer} on a free loopback port with {@link
 * AdminRoutes}, the real hotel engine on a real SQLite file, delivering to a real simulator that
 * rejects rates under 50.00 (422: dead letter) and answers 409 for one cell (reconciliation), on
 * virtual time from a midnight; and the helpers that send, park and count.
 */
abstract class AdminRoutesFixture {
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
}
