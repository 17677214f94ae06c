package dev.paritysync.hotel.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannexAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate D = LocalDate.parse("2026-03-01");
  private static final ChannexAdapter ADAPTER =
      new ChannexAdapter(
          URI.create("http://127.0.0.1:9"),
          new ChannelMapping(Map.of("DBL", "D1"), Map.of("BAR", "R1")));

  private static final CellRange AVAILABILITY =
      new CellRange("P1", "DBL", null, D, D.plusDays(2), CellValues.ofAvailability(3));
  private static final CellRange RATE =
      new CellRange(
          "P1",
          "DBL",
          "BAR",
          D,
          D,
          new CellValues(
              Rate.of("120.50", "EUR"),
              null,
              Restrictions.none()
                  .withMinLos(2)
                  .withMaxLos(7)
                  .withClosed(false)
                  .withClosedToArrival(true)
                  .withClosedToDeparture(false)));

  private static Response response(int status, String body, String... headers) {
    return new Response(
        status,
        Headers.of(headers),
        body.getBytes(StandardCharsets.UTF_8),
        false,
        Duration.ofMillis(5));
  }

  @Test
  void sendsAvailabilityAndRatePlanValuesToTheirOwnEndpointsInThatOrder() throws Exception {
    List<ChannelAdapter.Part> parts = ADAPTER.encode("B1", "P1", List.of(RATE, AVAILABILITY));

    assertThat(parts).hasSize(2);
    ChannelAdapter.Part availability = parts.get(0);
    assertThat(availability.request().method()).isEqualTo("POST");
    assertThat(availability.request().uri())
        .isEqualTo(URI.create("http://127.0.0.1:9/api/v1/availability"));
    assertThat(availability.request().headers().first("Content-Type")).contains("application/json");
    assertThat(availability.ranges()).containsExactly(1);
    assertThat(availability.endpoint()).isEqualTo("availability");
    assertThat(JSON.readTree(availability.request().body()))
        .isEqualTo(
            JSON.readTree(
                "{\"values\":[{\"property_id\":\"P1\",\"room_type_id\":\"D1\","
                    + "\"date_from\":\"2026-03-01\",\"date_to\":\"2026-03-03\","
                    + "\"availability\":3}]}"));
    ChannelAdapter.Part restrictions = parts.get(1);
    assertThat(restrictions.request().uri())
        .isEqualTo(URI.create("http://127.0.0.1:9/api/v1/restrictions"));
    assertThat(restrictions.ranges()).containsExactly(0);
    assertThat(restrictions.endpoint()).isEqualTo("restrictions");
    assertThat(JSON.readTree(restrictions.request().body()))
        .isEqualTo(
            JSON.readTree(
                "{\"values\":[{\"property_id\":\"P1\",\"room_type_id\":\"D1\","
                    + "\"rate_plan_id\":\"R1\",\"date_from\":\"2026-03-01\","
                    + "\"date_to\":\"2026-03-01\",\"rate\":\"120.50\","
                    + "\"min_stay_arrival\":2,\"max_stay\":7,\"closed_to_arrival\":true,"
                    + "\"closed_to_departure\":false,\"stop_sell\":false}]}"));
  }

  @Test
  void aBatchOfOneKindIsOneRequest() {
    assertThat(ADAPTER.encode("B1", "P1", List.of(RATE, RATE)))
        .singleElement()
        .satisfies(p -> assertThat(p.ranges()).containsExactly(0, 1));
    assertThat(ADAPTER.encode("B1", "P1", List.of(AVAILABILITY)))
        .singleElement()
        .satisfies(p -> assertThat(p.endpoint()).isEqualTo("availability"));
  }

  @Test
  void defaultsToChannexsDocumentedTenPlusTenRequestsPerMinute() {
    assertThat(ADAPTER.defaultQuotas())
        .containsOnlyKeys("availability", "restrictions")
        .allSatisfy(
            (endpoint, limits) ->
                assertThat(limits).containsExactly(new QuotaLimit(10, Duration.ofMinutes(1))));
  }

  @Test
  void estimatesTheBytesARangeAdds() {
    long one = ADAPTER.encode("B1", "P1", List.of(RATE)).get(0).request().body().length;
    long two = ADAPTER.encode("B1", "P1", List.of(RATE, RATE)).get(0).request().body().length;
    assertThat(ADAPTER.estimateSize(RATE)).isEqualTo(two - one);
  }

  @Test
  void anUnmappedRoomTypeFailsNamingIt() {
    CellRange unmapped = new CellRange("P1", "SUI", null, D, D, CellValues.ofAvailability(1));
    assertThatThrownBy(() -> ADAPTER.encode("B1", "P1", List.of(unmapped)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no channel code for room type SUI");
  }

  @Test
  void aValidationErrorBecomesFieldErrorsPointingAtTheirRanges() {
    Outcome o =
        ADAPTER.decode(
            response(
                422,
                "{\"errors\":{\"code\":\"validation_error\",\"title\":\"Invalid updates\","
                    + "\"details\":{\"values.1.rate\":[\"rate 9 is below the floor 50\"],"
                    + "\"values.3\":[\"cell is in conflict\",\"again\"]}}}",
                "Content-Type",
                "application/json"));

    assertThat(o.status()).isEqualTo(422);
    assertThat(o.errorCode()).isEqualTo("validation_error");
    assertThat(o.fieldErrors())
        .containsExactly(
            new FieldError("values.1.rate", "rate 9 is below the floor 50"),
            new FieldError("values.3", "cell is in conflict"),
            new FieldError("values.3", "again"));
    assertThat(ADAPTER.rangesOf(o.fieldErrors())).containsExactly(1, 3);
    assertThat(ClassificationTable.defaults().classify(o))
        .isEqualTo(Action.deadLetter("validation"));
  }

  @Test
  void errorsAboutTheWholeRequestPointAtNoRange() {
    assertThat(ADAPTER.rangesOf(List.of(new FieldError("values", "at most 100 values")))).isEmpty();
    assertThat(ADAPTER.rangesOf(List.of(new FieldError("values.99999999999.rate", "x")))).isEmpty();
  }

  @Test
  void a429WithOnlyAJsonBodyRetriesAfterTheEnginesOwnBackoff() {
    Outcome o = ADAPTER.decode(response(429, "{\"errors\":{\"code\":\"rate_limited\"}}"));

    assertThat(o.headers().first("Retry-After")).isEmpty();
    assertThat(o.fieldErrors()).isEmpty();
    assertThat(ClassificationTable.defaults().classify(o)).isEqualTo(Action.RETRY_AFTER);
  }

  @Test
  void aBodyThatIsNotJsonIsClassifiedByStatusAlone() {
    Outcome o = ADAPTER.decode(response(502, "<html>bad gateway</html>"));
    assertThat(o.errorCode()).isNull();
    assertThat(o.fieldErrors()).isEmpty();
    assertThat(ClassificationTable.defaults().classify(o)).isEqualTo(Action.RETRY);
  }
}
