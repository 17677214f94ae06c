package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/changes} over real HTTP on loopback, against a real SQLite file. */
class ChangesRoutesTest {
  /** How often a wait on a real server or process looks again. */
  private static final long POLL = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);

  private static final String ONE =
      "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\","
          + "\"from\":\"2026-03-02\",\"to\":\"2026-03-04\","
          + "\"rate\":{\"amount\":\"120.00\",\"currency\":\"EUR\"},\"availability\":3}]}";
  private static final String OTHER = ONE.replace("120.00", "130.00");

  @TempDir Path dir;
  ApiFixture f;
  ChangesRoutes routes;

  @BeforeEach
  void start() {
    f = new ApiFixture(dir);
    routes = new ChangesRoutes(f.db, f.engine.ingest(), f.time, 4096, Duration.ofHours(24));
    f.start(ApiServer.builder().withMaxBodyBytes(4096).withRoutes(routes));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private HttpResponse<String> post(String body, String key) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(f.uri("/v1/changes"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("Idempotency-Key", key);
    }
    return f.send(r);
  }

  private long count(String sql) throws Exception {
    // A connection of its own: what another process would see, so only committed rows.
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void acceptsOnlyAfterTheCommitAndAnswersTheIds() throws Exception {
    HttpResponse<String> r = post(ONE, null);

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = ApiFixture.json(r);
    // three nights: a rate cell (DBL/BAR) and an availability cell (DBL) each
    assertThat(body.get("cells").asLong()).isEqualTo(6);
    assertThat(body.get("changes")).hasSize(1);
    assertThat(body.get("changes").get(0).get("id").asText()).isNotBlank();
    assertThat(body.get("changes").get(0).get("correlationId").asText()).isNotBlank();
    long version = body.get("version").asLong();
    assertThat(count("SELECT COUNT(*) FROM ari_truth WHERE version = " + version)).isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM ari_outbox WHERE channel = 'a'")).isEqualTo(6);
  }

  @Test
  void theSameKeyAndBodyAnswerTheFirstResponseWithoutIngestingAgain() throws Exception {
    HttpResponse<String> first = post(ONE, "\"k-1\"");
    HttpResponse<String> again = post(ONE, "\"k-1\"");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(count("SELECT COUNT(DISTINCT version) FROM ari_truth")).isEqualTo(1);
    // unquoted keys name the same key
    assertThat(post(ONE, "k-1").body()).isEqualTo(first.body());
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() throws Exception {
    post(ONE, "k-2");
    HttpResponse<String> r = post(OTHER, "k-2");

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    assertThat(ApiFixture.json(r).get("detail").asText())
        .contains("k-2")
        .contains("different request body");
    assertThat(count("SELECT COUNT(DISTINCT version) FROM ari_truth")).isEqualTo(1);
  }

  @Test
  void keysAreForgottenAfterTheWindow() {
    assertThat(post(ONE, "k-3").statusCode()).isEqualTo(202);
    f.time.advance(Duration.ofHours(24).plusSeconds(1));

    HttpResponse<String> r = post(OTHER, "k-3");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void aDatabaseThatCannotStoreTheRequestIs503WithRetryAfter() throws Exception {
    for (String suffix : java.util.List.of("", "-wal", "-shm")) {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(f.file + suffix));
    }

    HttpResponse<String> r = post(ONE, "k-gone");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    assertThat(ApiFixture.json(r).get("title").asText()).isEqualTo("Storage unavailable");
  }

  @Test
  void theSameKeyWhileTheFirstIsInProgressIs409() throws Exception {
    // Another connection holds SQLite's write lock, so the first request waits inside its commit.
    try (var blocker = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.file);
        Statement s = blocker.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      CompletableFuture<HttpResponse<String>> first =
          CompletableFuture.supplyAsync(() -> post(ONE, "k-4"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!routes.inProgress("k-4")) {
        assertThat(System.nanoTime()).as("first request reached the server").isLessThan(deadline);
        LockSupport.parkNanos(POLL);
      }

      HttpResponse<String> second = post(ONE, "k-4");

      assertThat(second.statusCode()).isEqualTo(409);
      assertThat(ApiFixture.json(second).get("title").asText()).isEqualTo("Request in progress");
      s.execute("COMMIT");
      assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }
    assertThat(post(ONE, "k-4").headers().firstValue("Idempotent-Replayed")).hasValue("true");
  }

  @Test
  void aKeyAnotherProcessRecordsFirstIsAnsweredWithItsResponseAndNothingIngested()
      throws Exception {
    String theirs = "{\"version\":7,\"cells\":0,\"changes\":[]}";
    // Another process: holds the write lock while it records the same key for the same body.
    try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.file);
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try (var ps =
          other.prepareStatement(
              "INSERT INTO idempotency_keys (idem_key, fingerprint, status, body, created_at)"
                  + " VALUES ('k-5', ?, 202, ?, ?)")) {
        ps.setString(1, sha256(ONE));
        ps.setString(2, theirs);
        ps.setLong(3, f.time.millis());
        ps.executeUpdate();
      }
      CompletableFuture<HttpResponse<String>> ours =
          CompletableFuture.supplyAsync(() -> post(ONE, "k-5"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!routes.inProgress("k-5")) {
        assertThat(System.nanoTime()).as("request reached the server").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(POLL);
      }
      s.execute("COMMIT");

      HttpResponse<String> r = ours.get(30, TimeUnit.SECONDS);

      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.body()).isEqualTo(theirs);
      assertThat(r.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }
    assertThat(count("SELECT COUNT(*) FROM ari_truth")).isZero();
  }

  private static String sha256(String body) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void malformedBodiesAre400WithEveryFieldErrorAndItsPath() throws Exception {
    HttpResponse<String> notJson = post("{\"changes\": [", null);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(ApiFixture.json(notJson).get("title").asText()).isEqualTo("Malformed JSON");

    HttpResponse<String> r =
        post(
            "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\",\"from\":\"2026-03-02\","
                + "\"to\":\"x\",\"colour\":\"red\"},"
                + "{\"property\":\"P1\",\"roomType\":\"DBL\",\"from\":\"2026-03-02\","
                + "\"to\":\"2026-03-02\",\"availability\":\"many\"}],\"extra\":1}",
            null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    JsonNode problem = ApiFixture.json(r);
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(paths(problem))
        .containsExactlyInAnyOrder(
            "extra", "changes[0].colour", "changes[0].to", "changes[1].availability");
    assertThat(count("SELECT COUNT(*) FROM ari_truth")).isZero();
  }

  @Test
  void invalidChangesAre422WithEveryErrorAndItsPath() throws Exception {
    HttpResponse<String> r =
        post(
            "{\"changes\":[{\"property\":\"P9\",\"roomType\":\"DBL\",\"from\":\"2026-03-02\","
                + "\"to\":\"2026-03-02\",\"availability\":1},"
                + "{\"property\":\"P1\",\"roomType\":\"DBL\",\"from\":\"2026-03-05\","
                + "\"to\":\"2026-03-02\",\"availability\":1}]}",
            null);

    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode problem = ApiFixture.json(r);
    assertThat(problem.get("title").asText()).isEqualTo("Invalid changes");
    assertThat(paths(problem)).anyMatch(p -> p.startsWith("changes[0]"));
    assertThat(paths(problem)).anyMatch(p -> p.startsWith("changes[1]"));
    assertThat(count("SELECT COUNT(*) FROM ari_truth")).isZero();
  }

  @Test
  void anOversizedBodyIs413AndAWrongContentTypeIs415() {
    String big = "{\"changes\":[" + "{},".repeat(2000) + "{}]}";
    HttpResponse<String> tooLarge = post(big, null);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);

    HttpResponse<String> text =
        f.send(
            HttpRequest.newBuilder(f.uri("/v1/changes"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(ONE)));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(ApiFixture.json(text).get("detail").asText()).contains("text/plain");
  }

  @Test
  void aMalformedIdempotencyKeyIs400() {
    HttpResponse<String> r = post(ONE, "\"\"");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiFixture.json(r).get("title").asText()).isEqualTo("Invalid Idempotency-Key");
  }

  @Test
  void withAnApiTokenEveryRequestNeedsIt() {
    try (ApiServer guarded =
        ApiServer.builder()
            .withRoutes(
                new ChangesRoutes(
                    f.db,
                    f.engine.ingest(),
                    f.time,
                    4096,
                    Duration.ofHours(1),
                    io.opentelemetry.context.propagation.TextMapPropagator.noop(),
                    dev.paritysync.core.auth.Secret.of("api-s3cret")))
            .withRoutes(
                new ReservationsRoutes(f.db, dev.paritysync.core.auth.Secret.of("api-s3cret")))
            .build()
            .start()) {
      java.util.function.Function<String, HttpResponse<String>> postWith =
          auth -> {
            HttpRequest.Builder r =
                HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + guarded.port() + "/v1/changes"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ONE));
            if (auth != null) {
              r.header("Authorization", auth);
            }
            return f.send(r);
          };

      HttpResponse<String> none = postWith.apply(null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(postWith.apply("Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(postWith.apply("Bearer api-s3cret").statusCode()).isEqualTo(202);
      assertThat(
              f.send(
                      HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:" + guarded.port() + "/v1/reservations")))
                  .statusCode())
          .isEqualTo(401);
    }
  }

  private static List<String> paths(JsonNode problem) {
    List<String> out = new ArrayList<>();
    problem.get("errors").forEach(e -> out.add(e.get("path").asText()));
    return out;
  }
}
