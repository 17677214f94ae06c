package dev.paritysync.sim;

import static dev.paritysync.sim.Http.update;
import static dev.paritysync.sim.Http.updates;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AriApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARI = "/v1/properties/P1/ari";

  private final VirtualTime time = new VirtualTime();

  @Test
  void appliesAndReadsBack() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      HttpResponse<String> r =
          http.post(
              ARI,
              updates(
                  update(
                      "DBL",
                      "BAR",
                      "2026-01-01",
                      "2026-01-02",
                      "\"rate\":\"120.00\",\"currency\":\"EUR\",\"availability\":3,\"minLos\":1,"
                          + "\"maxLos\":14,\"closed\":false,\"closedToArrival\":true,"
                          + "\"closedToDeparture\":false")));

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      assertThat(JSON.readTree(r.body()).get("applied").asInt()).isEqualTo(2);
      assertThat(r.headers().allValues("Date")).containsExactly("Thu, 01 Jan 2026 00:00:00 GMT");

      JsonNode read = JSON.readTree(http.get(ARI + "?from=2026-01-02&to=2026-01-31").body());
      assertThat(read.get("cells")).hasSize(1);
      JsonNode cell = read.get("cells").get(0);
      assertThat(cell.get("room").asText()).isEqualTo("DBL");
      assertThat(cell.get("ratePlan").asText()).isEqualTo("BAR");
      assertThat(cell.get("date").asText()).isEqualTo("2026-01-02");
      assertThat(cell.get("rate").asText()).isEqualTo("120.00");
      assertThat(cell.get("currency").asText()).isEqualTo("EUR");
      assertThat(cell.get("availability").asInt()).isEqualTo(3);
      assertThat(cell.get("closedToArrival").asBoolean()).isTrue();

      CellValue v = sim.state("P1").get(new CellKey("DBL", "BAR", LocalDate.parse("2026-01-01")));
      assertThat(v.rate()).isEqualTo(new BigDecimal("120.00"));
      assertThat(v.maxLos()).isEqualTo(14);
      assertThat(sim.state("P2")).isEmpty();
    }
  }

  @Test
  void expandsRangesInclusivelyAndMergesFields() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      http.post(ARI, updates(update("DBL", "BAR", "2026-01-01", "2026-01-05", "\"rate\":100")));
      HttpResponse<String> r =
          http.post(
              ARI,
              updates(
                  update("DBL", "BAR", "2026-01-03", "2026-01-04", "\"availability\":0"),
                  "{\"room\":\"SGL\",\"from\":\"2026-01-01\",\"to\":\"2026-01-01\","
                      + "\"availability\":7}"));

      assertThat(JSON.readTree(r.body()).get("applied").asInt()).isEqualTo(3);
      Map<CellKey, CellValue> state = sim.state("P1");
      assertThat(state).hasSize(6);
      CellValue jan3 = state.get(new CellKey("DBL", "BAR", LocalDate.parse("2026-01-03")));
      assertThat(jan3.rate()).isEqualByComparingTo("100");
      assertThat(jan3.availability()).isZero();
      CellValue jan5 = state.get(new CellKey("DBL", "BAR", LocalDate.parse("2026-01-05")));
      assertThat(jan5.availability()).isNull();
      assertThat(state.get(new CellKey("SGL", null, LocalDate.parse("2026-01-01"))).availability())
          .isEqualTo(7);
      assertThat(sim.stats().cellsApplied()).isEqualTo(8);
    }
  }

  @Test
  void replaysSameKeyAndBodyWithoutApplyingAgain() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      String body = updates(update("DBL", "BAR", "2026-01-01", "2026-01-05", "\"rate\":\"99\""));

      HttpResponse<String> first = http.post(ARI, body, "Idempotency-Key", "k1");
      HttpResponse<String> second = http.post(ARI, body, "Idempotency-Key", "k1");

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.body()).isEqualTo(first.body());
      assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
      assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      assertThat(sim.applications("k1")).isEqualTo(1);
      assertThat(sim.applications("never-sent")).isZero();
      assertThat(sim.doubleApplications()).isZero();
      assertThat(sim.stats().cellsApplied()).isEqualTo(5);
    }
  }

  @Test
  void appliesOnceWhenRequestsWithOneKeyRace() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      String body = updates(update("DBL", "BAR", "2026-01-01", "2026-01-31", "\"rate\":\"99\""));
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          futures.add(pool.submit(() -> http.post(ARI, body, "Idempotency-Key", "race")));
        }
        int fresh = 0;
        for (Future<HttpResponse<String>> f : futures) {
          HttpResponse<String> r = f.get();
          assertThat(r.statusCode()).isEqualTo(200);
          fresh += r.headers().firstValue("Idempotent-Replayed").isPresent() ? 0 : 1;
        }
        assertThat(fresh).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(sim.applications("race")).isEqualTo(1);
      assertThat(sim.doubleApplications()).isZero();
      assertThat(sim.stats().cellsApplied()).isEqualTo(31);
    }
  }

  @Test
  void everyResponseCarriesTheClockDate() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      time.advance(java.time.Duration.ofDays(1));
      HttpResponse<String> notFound = new Http(sim).get("/nowhere");
      assertThat(notFound.statusCode()).isEqualTo(404);
      assertThat(notFound.headers().allValues("Date"))
          .containsExactly("Fri, 02 Jan 2026 00:00:00 GMT");
    }
  }

  @Test
  void rejectsSameKeyWithDifferentBody() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      http.post(
          ARI,
          updates(update("DBL", "BAR", "2026-01-01", "2026-01-01", "\"rate\":\"99\"")),
          "Idempotency-Key",
          "k1");

      HttpResponse<String> r =
          http.post(
              ARI,
              updates(update("DBL", "BAR", "2026-01-01", "2026-01-01", "\"rate\":\"98\"")),
              "Idempotency-Key",
              "k1");

      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("idempotency_key_reused");
      assertThat(sim.state("P1").values())
          .extracting(CellValue::rate)
          .containsExactly(new BigDecimal("99"));
      assertThat(sim.applications("k1")).isEqualTo(1);
    }
  }

  @Test
  void countsDoubleApplicationsWhenKeysAreNotHonoured() throws Exception {
    SimConfig config = SimConfig.newBuilder().withIdempotencyKeysHonored(false).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      String body = updates(update("DBL", "BAR", "2026-01-01", "2026-01-01", "\"rate\":\"99\""));
      http.post(ARI, body, "Idempotency-Key", "k1");
      http.post(ARI, body, "Idempotency-Key", "k1");
      http.post(ARI, body, "Idempotency-Key", "k1");
      http.post(ARI, body);

      assertThat(sim.applications("k1")).isEqualTo(3);
      assertThat(sim.doubleApplications()).isEqualTo(1);
      assertThat(sim.stats().unkeyedApplications()).isEqualTo(1);
    }
  }

  @Test
  void answers409ForConflictCellsAndAppliesNothing() throws Exception {
    SimConfig config = SimConfig.newBuilder().withConflictCell("P1/DBL/BAR/2026-01-03").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(ARI, updates(update("DBL", "BAR", "2026-01-01", "2026-01-05", "\"rate\":1")));

      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
      JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
      assertThat(error.get("pointer").asText()).isEqualTo("/updates/0");
      assertThat(error.get("detail").asText())
          .isEqualTo("cell P1/DBL/BAR/2026-01-03 is in conflict");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void answers422ForARateBelowTheFloorWithAPointer() throws Exception {
    SimConfig config = SimConfig.newBuilder().withRateFloor(new BigDecimal("50.00")).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(
                  ARI,
                  updates(
                      update("DBL", "BAR", "2026-01-01", "2026-01-01", "\"rate\":\"60\""),
                      update("DBL", "BAR", "2026-01-02", "2026-01-02", "\"rate\":\"49.99\"")));

      assertThat(r.statusCode()).isEqualTo(422);
      JsonNode problem = JSON.readTree(r.body());
      assertThat(problem.get("status").asInt()).isEqualTo(422);
      assertThat(problem.get("title").asText()).isEqualTo("Invalid updates");
      assertThat(problem.get("type").asText()).isEqualTo("urn:paritysync:sim:problem:invalid");
      assertThat(problem.get("errors")).hasSize(1);
      assertThat(problem.get("errors").get(0).get("pointer").asText()).isEqualTo("/updates/1/rate");
      assertThat(problem.get("errors").get(0).get("detail").asText())
          .isEqualTo("rate 49.99 is below the floor 50.00");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void answers400WithPointersForMalformedBodies() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);

      HttpResponse<String> syntax = http.post(ARI, "{\"updates\":[");
      assertThat(syntax.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(syntax.body()).get("errors").get(0).get("pointer").asText())
          .isEmpty();

      HttpResponse<String> badDate =
          http.post(
              ARI,
              updates(update("DBL", "BAR", "2026-13-01", "2026-01-01", "\"availability\":\"x\"")));
      assertThat(badDate.statusCode()).isEqualTo(400);
      JsonNode errors = JSON.readTree(badDate.body()).get("errors");
      assertThat(errors).hasSize(2);
      assertThat(errors.get(0).get("pointer").asText()).isEqualTo("/updates/0/from");
      assertThat(errors.get(0).get("detail").asText())
          .isEqualTo("'2026-13-01' is not a date (yyyy-MM-dd)");
      assertThat(errors.get(1).get("pointer").asText()).isEqualTo("/updates/0/availability");
      assertThat(sim.stats().count(400)).isEqualTo(2);
    }
  }

  @Test
  void answers422ForMissingFieldsAndTooManyUpdates() throws Exception {
    SimConfig config = SimConfig.newBuilder().withMaxUpdatesPerRequest(2).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      String u = update("DBL", "BAR", "2026-01-01", "2026-01-01", "");

      HttpResponse<String> tooMany = http.post(ARI, updates(u, u, u));
      assertThat(tooMany.statusCode()).isEqualTo(422);
      JsonNode error = JSON.readTree(tooMany.body()).get("errors").get(0);
      assertThat(error.get("pointer").asText()).isEqualTo("/updates");
      assertThat(error.get("detail").asText()).isEqualTo("at most 2 updates per request, got 3");

      HttpResponse<String> missing =
          http.post(ARI, updates("{\"room\":\"DBL\",\"from\":\"2026-01-02\",\"rate\":\"5\"}"));
      assertThat(missing.statusCode()).isEqualTo(422);
      assertThat(JSON.readTree(missing.body()).get("errors"))
          .extracting(e -> e.get("pointer").asText())
          .containsExactly("/updates/0/ratePlan", "/updates/0/to");
    }
  }

  @Test
  void answers413ForABodyOverTheLimit() throws Exception {
    SimConfig config = SimConfig.newBuilder().withMaxBodyBytes(100).build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      String body = updates(update("DBL", "BAR", "2026-01-01", "2026-01-01", "\"rate\":\"1\""));
      String big =
          updates(
              update(
                  "DBL",
                  "BAR",
                  "2026-01-01",
                  "2026-01-01",
                  "\"currency\":\"" + "X".repeat(200) + "\""));

      assertThat(new Http(sim).post(ARI, body).statusCode()).isEqualTo(200);
      HttpResponse<String> r = new Http(sim).post(ARI, big);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(JSON.readTree(r.body()).get("status").asInt()).isEqualTo(413);
    }
  }

  @Test
  void answers400ForABadReadQuery() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      HttpResponse<String> r = new Http(sim).get(ARI + "?from=2026-01-05");

      assertThat(r.statusCode()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
      assertThat(error.get("parameter").asText()).isEqualTo("to");
      assertThat(error.get("detail").asText()).isEqualTo("required, yyyy-MM-dd");
    }
  }

  @Test
  void statsCountEveryOutcome() throws Exception {
    SimConfig config = SimConfig.newBuilder().withQuota("ari", "2/1m").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      String body = updates(update("DBL", "BAR", "2026-01-01", "2026-01-02", "\"rate\":\"1\""));
      http.post(ARI, body, "Idempotency-Key", "a");
      http.post(ARI, "nope");
      http.post(ARI, body);
      http.get(ARI + "?from=2026-01-01&to=2026-01-01");

      SimStats stats = sim.stats();
      assertThat(stats.requests()).isEqualTo(4);
      assertThat(stats.byStatus())
          .containsExactlyInAnyOrderEntriesOf(Map.of(200, 2L, 400, 1L, 429, 1L));
      assertThat(stats.throttled()).isEqualTo(1);
      assertThat(stats.applicationsByKey()).containsExactly(Map.entry("a", 1));
      assertThat(stats.cellsApplied()).isEqualTo(2);

      JsonNode json = JSON.readTree(http.get("/v1/stats").body());
      assertThat(json.get("requests").asLong()).isEqualTo(4);
      assertThat(json.get("byStatus").get("429").asLong()).isEqualTo(1);
      assertThat(json.get("applicationsByKey").get("a").asInt()).isEqualTo(1);
      assertThat(json.get("doubleApplications").asLong()).isZero();
      assertThat(sim.stats().requests()).isEqualTo(4); // the stats endpoint is not counted
    }
  }
}
