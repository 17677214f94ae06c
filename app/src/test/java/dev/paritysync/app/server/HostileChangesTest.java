package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/changes} against hostile input, over real HTTP on loopback: every bound of {@link
 * ApiLimits} answers a problem naming the culprit, the limit and its key, and nothing is stored.
 * Each test is a defect reproduced on the server before the bounds existed.
 */
class HostileChangesTest {
  static final String HEAD =
      "{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\","
          + "\"from\":\"2026-03-02\",\"to\":\"2026-03-04\",";

  @TempDir Path dir;
  ApiFixture f;

  void start(ApiLimits limits) {
    f = new ApiFixture(dir);
    ChangesRoutes routes =
        new ChangesRoutes(
            f.db,
            f.engine.ingest(),
            f.time,
            2 << 20,
            Duration.ofHours(24),
            io.opentelemetry.context.propagation.TextMapPropagator.noop(),
            null,
            limits);
    f.start(ApiServer.builder().withMaxBodyBytes(2 << 20).withLimits(limits).withRoutes(routes));
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  static String amount(String json) {
    return "{\"changes\":[" + HEAD + "\"rate\":{\"amount\":" + json + ",\"currency\":\"EUR\"}}]}";
  }

  HttpResponse<String> post(String body, String... headers) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(f.uri("/v1/changes"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return f.send(r);
  }

  long stored() throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ari_changes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static JsonNode firstError(HttpResponse<String> r) {
    return ApiFixture.json(r).get("errors").get(0);
  }

  @Test
  void aHugeExponentIs422AndNeverReachesTheBatcher() throws Exception {
    start(ApiLimits.DEFAULTS);
    // 165 bytes that were stored as 1,000,001 digits and froze every write for 16 s.
    for (String huge : new String[] {"\"1e1000000\"", "1e1000000", "\"1e2000000\"", "\"1e400\""}) {
      HttpResponse<String> r = post(amount(huge));
      assertThat(r.statusCode()).as(huge + ": " + r.body()).isEqualTo(422);
      assertThat(firstError(r).get("path").asText()).isEqualTo("changes[0].rate.amount");
      assertThat(firstError(r).get("message").asText())
          .endsWith("is above 1000000000, the largest rate accepted (server.maxRate)");
      assertThat(r.body().length()).isLessThan(1_000);
    }
    assertThat(stored()).isZero();
  }

  @Test
  void aTinyExponentIs422WithAShortBody() throws Exception {
    start(ApiLimits.DEFAULTS);
    // 1e-100000000 ran out of memory; 1e-10000000 answered a 10 MB document.
    for (String tiny : new String[] {"\"1e-100000000\"", "\"1e-10000000\"", "1e-10000000"}) {
      HttpResponse<String> r = post(amount(tiny));
      assertThat(r.statusCode()).as(tiny).isEqualTo(422);
      assertThat(firstError(r).get("message").asText()).contains("decimals; EUR allows at most 2");
      assertThat(r.body().length()).isLessThan(1_000);
    }
    assertThat(stored()).isZero();
  }

  @Test
  void longAmountsAre400BeforeAnyDigitIsConverted() throws Exception {
    start(ApiLimits.DEFAULTS);
    HttpResponse<String> string = post(amount("\"" + "9".repeat(100_000) + "\""));
    assertThat(string.statusCode()).isEqualTo(400);
    assertThat(firstError(string).get("message").asText())
        .isEqualTo("is a string of 100000 characters; an amount has at most 64");

    HttpResponse<String> number = post(amount("9".repeat(1_000)));
    assertThat(number.statusCode()).isEqualTo(400);
    assertThat(firstError(number).get("path").asText()).isEqualTo("changes[0].rate.amount");
    assertThat(firstError(number).get("message").asText())
        .isEqualTo("a number of 1000 characters; at most 64 are allowed");
    assertThat(stored()).isZero();
  }

  @Test
  void aLowerConfiguredMaximumRateIsNamed() throws Exception {
    start(limits(new BigDecimal("5000"), 1_502, 20_000));
    assertThat(post(amount("\"5000.00\"")).statusCode()).isEqualTo(202);
    HttpResponse<String> r = post(amount("\"5000.01\""));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(firstError(r).get("message").asText())
        .isEqualTo("is above 5000, the largest rate accepted (server.maxRate)");
  }

  @Test
  void tooManyCellsIs422BeforeAnyCellIsBuilt() throws Exception {
    start(ApiLimits.DEFAULTS);
    // 6,190 changes × 748 nights × 2 = 9.3 M cells in 1 MB: this ran out of memory (500, no body).
    String change =
        "{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\",\"from\":\"2026-03-02\","
            + "\"to\":\"2028-03-18\",\"rate\":{\"amount\":\"1\",\"currency\":\"EUR\"},"
            + "\"availability\":1}";
    StringBuilder body = new StringBuilder("{\"changes\":[");
    for (int i = 0; i < 6_190; i++) {
      body.append(i == 0 ? "" : ",").append(change);
    }
    body.append("]}");
    assertThat(body.length()).isBetween(900_000, 1 << 20);

    HttpResponse<String> r = post(body.toString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode doc = ApiFixture.json(r);
    assertThat(doc.get("errors").get(0).get("path").asText()).isEqualTo("changes");
    assertThat(doc.get("errors").get(0).get("message").asText())
        .isEqualTo(
            "set 9260240 cells; at most 20000 per request (server.maxCellsPerRequest): send them"
                + " in several requests");
    assertThat(stored()).isZero();
  }

  @Test
  void aChangeOverItsCellLimitIsNamed() throws Exception {
    start(limits(ApiLimits.DEFAULTS.maxRate(), 10, 20_000));
    HttpResponse<String> r =
        post("{\"changes\":[" + HEAD.replace("03-04", "03-12") + "\"availability\":1}]}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(firstError(r).get("path").asText()).isEqualTo("changes[0]");
    assertThat(firstError(r).get("message").asText())
        .isEqualTo(
            "sets 11 cells (11 nights from 2026-03-02 to 2026-03-12); at most 10 per change"
                + " (server.maxCellsPerChange)");
  }

  @Test
  void errorsAreCappedAndCounted() throws Exception {
    start(ApiLimits.DEFAULTS);
    // 100,000 {} (300 KB) answered 400,000 errors in a 22 MB body after 7 s.
    String body = "{\"changes\":[" + "{},".repeat(99_999) + "{}]}";

    HttpResponse<String> r = post(body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode doc = ApiFixture.json(r);
    assertThat(doc.get("errors")).hasSize(100);
    assertThat(doc.get("errorCount").asInt()).isEqualTo(400_000);
    assertThat(doc.get("detail").asText())
        .isEqualTo(
            "400000 error(s) in the request body; nothing was accepted (the first 100 are"
                + " listed)");
    assertThat(r.body().length()).isLessThan(20_000);
  }

  @Test
  void duplicateKeysDeepNestingAndTrailingDataAre400WithoutJavaTypes() throws Exception {
    start(ApiLimits.DEFAULTS);
    HttpResponse<String> twice = post(amount("\"1\",\"amount\":\"1000\""));
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(firstError(twice).get("path").asText()).isEqualTo("changes[0].rate.amount");
    assertThat(firstError(twice).get("message").asText())
        .isEqualTo("key \"amount\" appears twice in one object");

    HttpResponse<String> deep = post("{\"changes\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
    assertThat(deep.statusCode()).isEqualTo(400);
    assertThat(ApiFixture.json(deep).get("detail").asText())
        .endsWith("nested more than 32 levels deep");

    HttpResponse<String> trailing = post("{\"changes\":[]} {}");
    assertThat(trailing.statusCode()).isEqualTo(400);
    assertThat(trailing.body()).doesNotContain("com.fasterxml").doesNotContain("JsonNode");
    assertThat(stored()).isZero();
  }

  /** A fuzz finding: a malformed body at an empty key named no field ("" is a key too). */
  @Test
  void anErrorAtAnEmptyKeyStillNamesIt() throws Exception {
    start(ApiLimits.DEFAULTS);
    HttpResponse<String> r = post("{\"\"2aeng=s\":[{\"1\",");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(firstError(r).get("path").asText()).isNotBlank();
    assertThat(ChangesBody.path("/")).isEqualTo("\"\"");
    assertThat(ChangesBody.path("/changes/0/")).isEqualTo("changes[0].\"\"");
    assertThat(stored()).isZero();
  }

  @Test
  void aRepeatedIdempotencyKeyIs400() throws Exception {
    start(ApiLimits.DEFAULTS);
    HttpResponse<String> r =
        post(amount("\"1\""), "Idempotency-Key", "\"a\"", "Idempotency-Key", "\"b\"");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiFixture.json(r).get("detail").asText())
        .isEqualTo("Idempotency-Key is sent 2 times; it takes one value, send it once");
    assertThat(stored()).isZero();
  }

  @Test
  void problemDocumentsAreUtf8() throws Exception {
    start(ApiLimits.DEFAULTS);
    HttpResponse<byte[]> r =
        f.http.send(
            HttpRequest.newBuilder(f.uri("/v1/changes"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"changes\":[{\"property\":\"Hôtel\",\"roomType\":\"DBL\","
                            + "\"from\":\"2026-03-02\",\"to\":\"2026-03-02\",\"availability\":1}]}",
                        StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiServer.PROBLEM_JSON);
    String text =
        StandardCharsets.UTF_8
            .newDecoder()
            .decode(java.nio.ByteBuffer.wrap(r.body()))
            .toString(); // throws on the ISO-8859-1 byte 0xE9 the server used to send
    assertThat(text).contains("Hôtel is not a known property");
  }

  static ApiLimits limits(BigDecimal maxRate, int perChange, int perRequest) {
    ApiLimits d = ApiLimits.DEFAULTS;
    return new ApiLimits(
        d.maxJsonDepth(),
        d.maxNumberLength(),
        maxRate,
        perChange,
        perRequest,
        d.maxErrors(),
        d.maxHeaderBytes(),
        d.maxStayNights());
  }
}
