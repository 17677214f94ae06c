package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator speaking the Channex-style dialect, over real HTTP on loopback. */
class ChannexDialectTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AVAILABILITY = "/api/v1/availability";
  private static final String RESTRICTIONS = "/api/v1/restrictions";
  private static final LocalDate JAN1 = LocalDate.parse("2026-01-01");

  private final VirtualTime time = new VirtualTime();

  private static SimConfig.Builder channex() {
    return SimConfig.healthy(1).toBuilder().withDialect("channex");
  }

  @Test
  void appliesAvailabilityAndRatePlanValuesOnTheirOwnEndpoints() throws Exception {
    try (SimChannel sim = SimChannel.start(channex().build(), time)) {
      Http http = new Http(sim);
      HttpResponse<String> a =
          http.post(
              AVAILABILITY,
              "{\"values\":[{\"property_id\":\"P1\",\"room_type_id\":\"D1\","
                  + "\"date_from\":\"2026-01-01\",\"date_to\":\"2026-01-02\","
                  + "\"availability\":4}]}",
              "Idempotency-Key",
              "k1.0");
      HttpResponse<String> r =
          http.post(
              RESTRICTIONS,
              "{\"values\":["
                  + "{\"property_id\":\"P1\",\"room_type_id\":\"D1\",\"rate_plan_id\":\"R1\","
                  + "\"date_from\":\"2026-01-01\",\"date_to\":\"2026-01-01\","
                  + "\"rate\":\"120.50\",\"min_stay_arrival\":2,\"max_stay\":7,"
                  + "\"closed_to_arrival\":true,\"closed_to_departure\":false,"
                  + "\"stop_sell\":false}]}",
              "Idempotency-Key",
              "k1.1");

      assertThat(a.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(a.body()).get("meta").get("applied").asInt()).isEqualTo(2);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode meta = JSON.readTree(r.body()).get("meta");
      assertThat(meta.get("message").asText()).isEqualTo("Success");
      assertThat(meta.get("applied").asInt()).isEqualTo(1);
      Map<CellKey, CellValue> state = sim.state("P1");
      assertThat(state.get(new CellKey("D1", null, JAN1.plusDays(1))).availability()).isEqualTo(4);
      CellValue rate = state.get(new CellKey("D1", "R1", JAN1));
      assertThat(rate.rate()).isEqualByComparingTo(new BigDecimal("120.50"));
      assertThat(rate.minLos()).isEqualTo(2);
      assertThat(rate.maxLos()).isEqualTo(7);
      assertThat(rate.closedToArrival()).isTrue();
      assertThat(rate.closed()).isFalse();
      assertThat(sim.applications("k1.0")).isEqualTo(1);
      assertThat(sim.applications("k1.1")).isEqualTo(1);
    }
  }

  @Test
  void aValueOnTheWrongEndpointIsA400NamingItsPath() throws Exception {
    try (SimChannel sim = SimChannel.start(channex().build(), time)) {
      Http http = new Http(sim);
      HttpResponse<String> rateOnAvailability =
          http.post(
              AVAILABILITY,
              "{\"values\":[{\"property_id\":\"P1\",\"room_type_id\":\"D1\","
                  + "\"rate_plan_id\":\"R1\",\"date_from\":\"2026-01-01\","
                  + "\"date_to\":\"2026-01-01\",\"rate\":\"100\"}]}");
      HttpResponse<String> availabilityOnRestrictions =
          http.post(
              RESTRICTIONS,
              "{\"values\":[{\"property_id\":\"P1\",\"room_type_id\":\"D1\","
                  + "\"date_from\":\"2026-01-01\",\"date_to\":\"2026-01-01\","
                  + "\"availability\":1}]}");

      assertThat(rateOnAvailability.statusCode()).isEqualTo(400);
      JsonNode details = JSON.readTree(rateOnAvailability.body()).get("errors").get("details");
      assertThat(details.get("values.0.rate_plan_id").get(0).asText())
          .isEqualTo("not taken by /availability; send it to /restrictions");
      assertThat(details.get("values.0.rate").get(0).asText())
          .isEqualTo("not taken by /availability; send it to /restrictions");
      assertThat(availabilityOnRestrictions.statusCode()).isEqualTo(400);
      JsonNode d2 = JSON.readTree(availabilityOnRestrictions.body()).get("errors").get("details");
      assertThat(d2.get("values.0.rate_plan_id").get(0).asText()).isEqualTo("required");
      assertThat(d2.get("values.0.availability").get(0).asText())
          .isEqualTo("not taken by /restrictions; send it to /availability");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void aRateUnderTheFloorAnswers422WithChannexDetailsNamingTheValue() throws Exception {
    try (SimChannel sim =
        SimChannel.start(channex().withRateFloor(new BigDecimal("50")).build(), time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(
                  RESTRICTIONS,
                  "{\"values\":["
                      + "{\"property_id\":\"P1\",\"room_type_id\":\"D1\",\"rate_plan_id\":\"R1\","
                      + "\"date_from\":\"2026-01-01\",\"date_to\":\"2026-01-01\",\"rate\":\"80\"},"
                      + "{\"property_id\":\"P1\",\"room_type_id\":\"D1\",\"rate_plan_id\":\"R1\","
                      + "\"date_from\":\"2026-01-02\",\"date_to\":\"2026-01-02\",\"rate\":\"9\"}]}");

      assertThat(r.statusCode()).isEqualTo(422);
      JsonNode errors = JSON.readTree(r.body()).get("errors");
      assertThat(errors.get("code").asText()).isEqualTo("validation_error");
      assertThat(errors.get("details").get("values.1.rate").get(0).asText())
          .isEqualTo("rate 9 is below the floor 50");
      assertThat(errors.get("details").size()).isEqualTo(1);
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void unknownFieldsWrongTypesAndMixedPropertiesAre400sNamingTheField() throws Exception {
    try (SimChannel sim = SimChannel.start(channex().build(), time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(
                  AVAILABILITY,
                  "{\"values\":["
                      + "{\"property_id\":\"P1\",\"room_type_id\":\"D1\",\"date_from\":\"2026-01-01\","
                      + "\"date_to\":\"2026-01-01\",\"availability\":\"many\",\"currency\":\"EUR\"},"
                      + "{\"property_id\":\"P2\",\"room_type_id\":\"D1\",\"date_from\":\"2026-01-01\","
                      + "\"date_to\":\"2026-01-01\",\"availability\":1}]}");

      assertThat(r.statusCode()).isEqualTo(400);
      JsonNode details = JSON.readTree(r.body()).get("errors").get("details");
      assertThat(details.get("values.0.availability").get(0).asText())
          .isEqualTo("expected an integer");
      assertThat(details.get("values.0.currency").get(0).asText()).isEqualTo("unknown field");
      assertThat(details.get("values.1.property_id").get(0).asText())
          .isEqualTo("all values must be of one property, 'P1'");
    }
  }

  @Test
  void aThrottledRequestAnswersAJsonBodyAndTheNativeRouteIsAbsent() throws Exception {
    SimConfig config =
        channex()
            .withQuota("availability", "1/1m")
            .withRetryAfterStyle(SimConfig.RetryAfterStyle.ABSENT)
            .build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      String body =
          "{\"values\":[{\"property_id\":\"P1\",\"room_type_id\":\"D1\","
              + "\"date_from\":\"2026-01-01\",\"date_to\":\"2026-01-01\",\"availability\":1}]}";
      assertThat(http.post(AVAILABILITY, body).statusCode()).isEqualTo(200);
      HttpResponse<String> r = http.post(AVAILABILITY, body);

      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).isEmpty();
      assertThat(JSON.readTree(r.body()).get("errors").get("code").asText())
          .isEqualTo("rate_limited");
      assertThat(http.post("/v1/properties/P1/ari", "{\"updates\":[]}").statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void theDialectIsReadFromConfigAndAnUnknownOneNamesTheKey() {
    assertThat(SimConfig.fromMap(Map.of("dialect", "channex")).dialect()).isEqualTo("channex");
    assertThat(SimConfig.healthy(1).dialect()).isEqualTo("native");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("dialect", "telex")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dialect: expected native, channex, cloudbeds or ota, got 'telex'");
  }
}
