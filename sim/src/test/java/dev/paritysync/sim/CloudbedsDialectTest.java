package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator speaking the Cloudbeds Build-To-Us dialect, over real HTTP on loopback. */
class CloudbedsDialectTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3t";
  private static final String ARI = "/ARIUpdate?shared_secret=" + SECRET;
  private static final LocalDate JAN1 = LocalDate.parse("2026-01-01");

  private final VirtualTime time = new VirtualTime();

  private static SimConfig.Builder cloudbeds() {
    return SimConfig.healthy(1).toBuilder().withDialect("cloudbeds").withSharedSecret(SECRET);
  }

  private static String body(String secret, String inventory) {
    return "{\"verb\":\"ARIUpdate\",\"ota_property_id\":\"P1\",\"ota_property_password\":\"\","
        + "\"ota_property_sub_id\":\"\",\"mya_property_id\":25678,"
        + "\"guid\":\"6C08B96E-450D-4E6A-9933-7D0305730305\",\"currency\":\"EUR\","
        + "\"ota_cid\":\"ota\",\"shared_secret\":\""
        + secret
        + "\",\"Inventory\":["
        + inventory
        + "]}";
  }

  private static final String ROWS =
      "{\"ota_room_id\":\"D1\",\"ota_rate_id\":\"R1\",\"start_date\":\"2026-01-01\","
          + "\"end_date\":\"2026-01-02\",\"units\":4,\"rate\":\"120.50\",\"min_los\":2,"
          + "\"max_los\":7,\"closearr\":true,\"closedep\":false,\"close\":false},"
          + "{\"ota_room_id\":\"D1\",\"ota_rate_id\":\"R2\",\"start_date\":\"2026-01-01\","
          + "\"end_date\":\"2026-01-01\",\"rate\":\"99\"}";

  @Test
  void storesUnitsPerRoomAndRatesAndRestrictionsPerRoomAndRate() throws Exception {
    try (SimChannel sim = SimChannel.start(cloudbeds().build(), time)) {
      HttpResponse<String> r = new Http(sim).post(ARI, body(SECRET, ROWS), "Idempotency-Key", "k1");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"success\":true}"));
      Map<CellKey, CellValue> state = sim.state("P1");
      assertThat(state.get(new CellKey("D1", null, JAN1.plusDays(1))).availability()).isEqualTo(4);
      CellValue rate = state.get(new CellKey("D1", "R1", JAN1));
      assertThat(rate.availability()).isNull();
      assertThat(rate.rate()).isEqualByComparingTo(new BigDecimal("120.50"));
      assertThat(rate.currency()).isEqualTo("EUR");
      assertThat(rate.minLos()).isEqualTo(2);
      assertThat(rate.maxLos()).isEqualTo(7);
      assertThat(rate.closedToArrival()).isTrue();
      assertThat(rate.closed()).isFalse();
      assertThat(state.get(new CellKey("D1", "R2", JAN1)).rate()).isEqualByComparingTo("99");
      assertThat(sim.applications("k1")).isEqualTo(1);
    }
  }

  @Test
  void aWrongOrMissingSharedSecretIs401WithError9201AndAppliesNothing() throws Exception {
    try (SimChannel sim = SimChannel.start(cloudbeds().build(), time)) {
      Http http = new Http(sim);
      HttpResponse<String> wrongQuery =
          http.post("/ARIUpdate?shared_secret=guess", body(SECRET, ROWS));
      HttpResponse<String> wrongBody = http.post(ARI, body("guess", ROWS));
      HttpResponse<String> none =
          http.post("/ARIUpdate", body("", ROWS).replace(",\"shared_secret\":\"\"", ""));

      for (HttpResponse<String> r : java.util.List.of(wrongQuery, wrongBody, none)) {
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode root = JSON.readTree(r.body());
        assertThat(root.get("success").asBoolean()).isFalse();
        assertThat(root.get("errors").get(0).get("id").asInt()).isEqualTo(9201);
      }
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void aRateUnderTheFloorIs422WithTheContractsErrorsNamingTheRow() throws Exception {
    try (SimChannel sim =
        SimChannel.start(cloudbeds().withRateFloor(new BigDecimal("100")).build(), time)) {
      HttpResponse<String> r = new Http(sim).post(ARI, body(SECRET, ROWS));

      assertThat(r.statusCode()).isEqualTo(422);
      JsonNode root = JSON.readTree(r.body());
      assertThat(root.get("success").asBoolean()).isFalse();
      assertThat(root.get("errors")).hasSize(1);
      assertThat(root.get("errors").get(0).get("id").asInt()).isEqualTo(1002);
      assertThat(root.get("errors").get(0).get("msg").asText())
          .isEqualTo("Inventory[1].rate: rate 99 is below the floor 100");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void missingRequiredFieldsAndFieldsTheChannelDoesNotKeepAre400sNamingThem() throws Exception {
    try (SimChannel sim = SimChannel.start(cloudbeds().build(), time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(
                  ARI,
                  body(
                      SECRET,
                      "{\"ota_room_id\":\"D1\",\"start_date\":\"2026-01-01\","
                          + "\"end_date\":\"2026-01-01\",\"units\":\"many\",\"rdef_single\":\"1\"}"));

      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body())
          .contains("Inventory[0].ota_rate_id: required")
          .contains("Inventory[0].units: expected an integer")
          .contains("Inventory[0].rdef_single: not kept by this channel");
    }
  }

  @Test
  void getAriAnswersRoomAriWithTheRoomsUnitsOnEveryRateRow() throws Exception {
    try (SimChannel sim = SimChannel.start(cloudbeds().build(), time)) {
      Http http = new Http(sim);
      assertThat(http.post(ARI, body(SECRET, ROWS)).statusCode()).isEqualTo(200);

      HttpResponse<String> r =
          http.post(
              "/GetARI?shared_secret=" + SECRET,
              "{\"shared_secret\":\""
                  + SECRET
                  + "\",\"ota_property_id\":\"P1\",\"rooms\":{\"D1\":"
                  + "{\"start_date\":\"2026-01-01\",\"end_date\":\"2026-01-31\"}}}");

      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode root = JSON.readTree(r.body());
      assertThat(root.get("Success").asBoolean()).isTrue();
      assertThat(root.get("currency").asText()).isEqualTo("EUR");
      JsonNode rows = root.get("room_ari").get("D1");
      assertThat(rows).hasSize(3); // R1 and R2 on Jan 1, R1 on Jan 2
      assertThat(rows.get(0))
          .isEqualTo(
              JSON.readTree(
                  "{\"ota_room_id\":\"D1\",\"ota_rate_id\":\"R1\",\"start_date\":\"2026-01-01\","
                      + "\"end_date\":\"2026-01-01\",\"units\":4,\"rate\":\"120.50\","
                      + "\"min_los\":2,\"max_los\":7,\"closearr\":true,\"closedep\":false,"
                      + "\"close\":false}"));
      assertThat(rows.get(1).get("ota_rate_id").asText()).isEqualTo("R2");
      assertThat(rows.get(1).get("units").asInt()).isEqualTo(4);
    }
  }

  @Test
  void theSharedSecretIsReadFromConfigAndNeverPrinted() {
    SimConfig c = SimConfig.fromMap(Map.of("dialect", "cloudbeds", "sharedSecret", SECRET));
    assertThat(c.sharedSecret()).isEqualTo(SECRET);
    assertThat(c.toString()).contains("sharedSecret=[redacted]").doesNotContain(SECRET);
  }
}
