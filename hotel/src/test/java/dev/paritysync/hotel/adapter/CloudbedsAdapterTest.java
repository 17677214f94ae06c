package dev.paritysync.hotel.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.SecretResolver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudbedsAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate D = LocalDate.parse("2027-01-22");
  private static final CloudbedsAdapter ADAPTER =
      new CloudbedsAdapter(
          URI.create("http://127.0.0.1:9/cloudbeds"),
          new ChannelMapping(Map.of("DBL", "61365"), Map.of("BAR", "rate_456", "NRF", "rate_888")),
          Secret.of("s3cr3t s"),
          "EUR",
          "ota");

  private static final CellRange AVAILABILITY =
      new CellRange("25678", "DBL", null, D, D.plusDays(21), CellValues.ofAvailability(5));
  private static final CellRange RATE =
      new CellRange(
          "25678",
          "DBL",
          "BAR",
          D,
          D.plusDays(21),
          new CellValues(
              Rate.of("15.00", "EUR"),
              null,
              Restrictions.none()
                  .withMinLos(2)
                  .withMaxLos(14)
                  .withClosed(false)
                  .withClosedToArrival(true)
                  .withClosedToDeparture(false)));

  private static Response response(int status, String body) {
    return new Response(
        status,
        Headers.of("Content-Type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8),
        false,
        Duration.ofMillis(5));
  }

  private static Request encode(String property, List<CellRange> ranges) {
    List<ChannelAdapter.Part> parts = ADAPTER.encode("B1", property, ranges);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).ranges()).hasSize(ranges.size());
    return parts.get(0).request();
  }

  @Test
  void encodesTheContractsAriUpdateWithTheSecretInQueryAndBody() throws Exception {
    Request r = encode("25678", List.of(AVAILABILITY, RATE));

    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.uri())
        .isEqualTo(URI.create("http://127.0.0.1:9/cloudbeds/ARIUpdate?shared_secret=s3cr3t+s"));
    assertThat(r.toString()).doesNotContain("s3cr3t");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("verb").asText()).isEqualTo("ARIUpdate");
    assertThat(body.get("ota_property_id").asText()).isEqualTo("25678");
    assertThat(body.get("mya_property_id").asLong()).isEqualTo(25678);
    assertThat(body.get("ota_property_password").asText()).isEmpty();
    assertThat(body.get("ota_property_sub_id").asText()).isEmpty();
    assertThat(body.get("currency").asText()).isEqualTo("EUR");
    assertThat(body.get("ota_cid").asText()).isEqualTo("ota");
    assertThat(body.get("shared_secret").asText()).isEqualTo("s3cr3t s");
    assertThat(body.get("guid").asText())
        .matches("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$");
    assertThat(body.get("Inventory").get(0))
        .isEqualTo(
            JSON.readTree(
                "{\"ota_room_id\":\"61365\",\"ota_rate_id\":\"rate_456\","
                    + "\"start_date\":\"2027-01-22\",\"end_date\":\"2027-02-12\",\"units\":5}"));
    assertThat(body.get("Inventory").get(1))
        .isEqualTo(
            JSON.readTree(
                "{\"ota_room_id\":\"61365\",\"ota_rate_id\":\"rate_456\","
                    + "\"start_date\":\"2027-01-22\",\"end_date\":\"2027-02-12\",\"rate\":\"15.00\","
                    + "\"min_los\":2,\"max_los\":14,\"closearr\":true,\"closedep\":false,"
                    + "\"close\":false}"));
  }

  @Test
  void theGuidIsTheBatchKeyAsAUuidAndTheMyaPropertyIdIsStable() throws Exception {
    String key = "6c08b96e-450d-4e6a-9933-7d0305730305";
    JsonNode uuid = JSON.readTree(ADAPTER.encode(key, "H1", List.of(RATE)).get(0).request().body());
    JsonNode other =
        JSON.readTree(ADAPTER.encode("b-17", "H1", List.of(RATE)).get(0).request().body());

    assertThat(uuid.get("guid").asText()).isEqualTo(key.toUpperCase(java.util.Locale.ROOT));
    assertThat(other.get("guid").asText())
        .isEqualTo(CloudbedsAdapter.guid("b-17"))
        .isNotEqualTo(CloudbedsAdapter.guid("b-18"))
        .matches("^[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}$");
    assertThat(CloudbedsAdapter.myaPropertyId("H1"))
        .isBetween(1L, 2_000_000_000L)
        .isEqualTo(CloudbedsAdapter.myaPropertyId("H1"));
  }

  @Test
  void estimateSizeIsARowsBytesAndARateInAnotherCurrencyIsRefusedNamingBoth() {
    byte[] one = encode("H1", List.of(RATE)).body();
    byte[] two = encode("H1", List.of(RATE, RATE)).body();
    assertThat(ADAPTER.estimateSize(RATE)).isEqualTo(two.length - one.length);

    CellRange usd =
        new CellRange("H1", "DBL", "BAR", D, D, CellValues.ofRate(Rate.of("10.00", "USD")));
    assertThatThrownBy(() -> encode("H1", List.of(usd)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rate plan BAR is priced in USD but the cloudbeds connection's currency is EUR");
  }

  @Test
  void successTrueIsAnAckAndSuccessFalseInside200IsNeverAcknowledged() {
    ClassificationTable table = ClassificationTable.defaults();
    assertThat(table.classify(ADAPTER.decode(response(200, "{\"success\":true}"))))
        .isEqualTo(Action.ACK);

    Outcome currency =
        ADAPTER.decode(
            response(
                200,
                "{\"success\":false,\"errors\":[{\"id\":1102,\"msg\":\"Your currency setting"
                    + " doesn't match\\n\"}]}"));
    assertThat(currency.errorCode()).isEqualTo("1102");
    assertThat(currency.fieldErrors())
        .containsExactly(new FieldError("", "error 1102: Your currency setting doesn't match"));
    assertThat(table.classify(currency)).isEqualTo(Action.deadLetter("channel_error"));

    Outcome bare = ADAPTER.decode(response(200, "{\"success\":false}"));
    assertThat(table.classify(bare)).isEqualTo(Action.deadLetter("channel_error"));
  }

  @Test
  void rowPathsInMessagesAndPrismLocationsBecomeFieldErrorsNamingRanges() {
    Outcome sim =
        ADAPTER.decode(
            response(
                422,
                "{\"success\":false,\"errors\":[{\"id\":1002,"
                    + "\"msg\":\"Inventory[2].rate: rate 9 is below the floor 50\"}]}"));
    assertThat(sim.fieldErrors())
        .containsExactly(
            new FieldError("Inventory[2].rate", "error 1002: rate 9 is below the floor 50"));
    assertThat(ADAPTER.rangesOf(sim.fieldErrors())).containsExactly(2);
    assertThat(ClassificationTable.defaults().classify(sim))
        .isEqualTo(Action.deadLetter("validation"));

    Outcome prism =
        ADAPTER.decode(
            response(
                422,
                "{\"type\":\"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY\","
                    + "\"status\":422,\"validation\":[{\"location\":[\"body\",\"Inventory\","
                    + "\"0\",\"units\"],\"severity\":\"Error\",\"code\":\"minimum\","
                    + "\"message\":\"Request body property Inventory.0.units must be >= 0\"},"
                    + "{\"location\":[\"query\",\"shared_secret\"],\"message\":\"missing\"}]}"));
    assertThat(prism.fieldErrors())
        .extracting(FieldError::path)
        .containsExactly("Inventory[0].units", "query:shared_secret");
    assertThat(ADAPTER.rangesOf(prism.fieldErrors())).containsExactly(0);
  }

  @Test
  void theCallbackErrorFormatAndNonJsonBodiesDecode() {
    Outcome callback =
        ADAPTER.decode(
            response(
                200,
                "{\"Success\":false,\"ErrorCode\":9201,\"Error\":\"shared_secret does not match\"}"));
    assertThat(callback.errorCode()).isEqualTo("9201");
    assertThat(ADAPTER.decode(response(502, "<html>bad gateway</html>")).fieldErrors()).isEmpty();
  }

  private static Map<String, Object> channel(Map<String, Object> options, Object credentials) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "cloudbeds");
    c.put("baseUrl", "http://127.0.0.1:9/");
    c.put("credentials", credentials);
    c.put("mapping", Map.of("rooms", Map.of("DBL", "D1"), "ratePlans", Map.of("BAR", "R1")));
    if (options != null) {
      c.put("options", options);
    }
    return c;
  }

  private static final Object API_KEY =
      Map.of("apiKey", Map.of("header", "X-Shared-Secret", "value", "${env:CB}"));
  private static final SecretResolver SECRETS = SecretResolver.fromMap(Map.of("env:CB", "x"));

  @Test
  void isBuiltFromConfigWhoseBadKeysAreNamed() {
    ChannelConfig ok =
        ChannelConfig.parse("my-ota", channel(Map.of("currency", "EUR"), API_KEY), SECRETS);
    assertThat(Adapters.standard().create(ok)).isInstanceOf(CloudbedsAdapter.class);
    assertThat(((CloudbedsAdapter) Adapters.standard().create(ok)).sharedSecret()).isEqualTo("x");

    assertThatThrownBy(
            () ->
                CloudbedsAdapter.fromConfig(
                    ChannelConfig.parse("c", channel(null, API_KEY), SECRETS)))
        .hasMessage(
            "channels.c.options.currency: is required (the connection's ISO 4217 currency) for"
                + " the cloudbeds adapter");
    assertThatThrownBy(
            () ->
                CloudbedsAdapter.fromConfig(
                    ChannelConfig.parse("c", channel(Map.of("currency", "eur"), API_KEY), SECRETS)))
        .hasMessage(
            "channels.c.options.currency: expected an ISO 4217 code such as EUR, got 'eur'");
    assertThatThrownBy(
            () ->
                CloudbedsAdapter.fromConfig(
                    ChannelConfig.parse(
                        "c",
                        channel(Map.of("currency", "EUR", "colour", "blue"), API_KEY),
                        SECRETS)))
        .hasMessage("channels.c.options.colour: unknown key; expected one of currency, otaCid");
    Object oauth =
        Map.of(
            "oauth2",
            Map.of(
                "tokenUrl", "http://127.0.0.1:9/t", "clientId", "i", "clientSecret", "${env:CB}"));
    assertThatThrownBy(
            () ->
                CloudbedsAdapter.fromConfig(
                    ChannelConfig.parse("c", channel(Map.of("currency", "EUR"), oauth), SECRETS)))
        .hasMessage(
            "channels.c.credentials: the cloudbeds adapter needs apiKey (its value is the shared"
                + " secret)");
  }
}
