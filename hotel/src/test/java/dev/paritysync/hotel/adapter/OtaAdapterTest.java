package dev.paritysync.hotel.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
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

/** The {@code ota} adapter's parts, keys, error routing and configuration, without a network. */
class OtaAdapterTest {
  private static final String NS = "xmlns=\"http://www.opentravel.org/OTA/2003/05\"";
  private static final URI BASE = URI.create("http://127.0.0.1:9/");
  private static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1", "SGL", "S1"), Map.of("BAR", "R1"));
  private static final LocalDate DAY = LocalDate.parse("2026-06-01");

  private final OtaAdapter adapter = OtaAdapter.builder(BASE, MAPPING).build();

  private static CellRange range(String room, String plan, int from, int to, CellValues v) {
    return new CellRange("P1", room, plan, DAY.plusDays(from), DAY.plusDays(to), v);
  }

  private static Response response(int status, String body) {
    return new Response(
        status, Headers.empty(), body.getBytes(StandardCharsets.UTF_8), false, Duration.ZERO);
  }

  private Action classify(Outcome o) {
    return adapter.classification().classify(o);
  }

  @Test
  void availabilityAndRatesAreSeparatePartsKeyedByPartKeyInTheEchoToken() {
    List<CellRange> ranges =
        List.of(
            range("DBL", "BAR", 0, 1, CellValues.ofRate(Rate.of("120.00", "EUR"))),
            range("SGL", null, 0, 2, CellValues.ofAvailability(3)),
            range(
                "DBL",
                "BAR",
                2,
                2,
                new CellValues(
                    Rate.of("99.00", "EUR"), null, new Restrictions(2, null, null, true, true))));

    List<ChannelAdapter.Part> parts = adapter.encode("batch-7", "P1", ranges);

    assertThat(parts).hasSize(2);
    ChannelAdapter.Part avail = parts.get(0);
    ChannelAdapter.Part rates = parts.get(1);
    assertThat(avail.request().uri())
        .isEqualTo(URI.create("http://127.0.0.1:9/ota/OTA_HotelAvailNotif"));
    assertThat(rates.request().uri())
        .isEqualTo(URI.create("http://127.0.0.1:9/ota/OTA_HotelRateAmountNotif"));
    assertThat(avail.request().headers().first("Content-Type")).hasValue("application/xml");
    assertThat(avail.ranges()).containsExactly(2, 1); // sorted: D1/R1 before S1
    assertThat(rates.ranges()).containsExactly(0, 2);
    assertThat(body(avail)).contains("EchoToken=\"batch-7.0\"").doesNotContain("TimeStamp");
    assertThat(body(rates)).contains("EchoToken=\"batch-7.1\"");
    assertThat(adapter.encode("batch-8", "P1", ranges.subList(1, 2)))
        .singleElement()
        .satisfies(p -> assertThat(body(p)).contains("EchoToken=\"batch-8\""));
  }

  @Test
  void aLongKeyIsHashedIntoTheEchoTokenAndAnotherPropertysRangeIsRefused() {
    String key = "k".repeat(200);
    List<ChannelAdapter.Part> parts =
        adapter.encode(key, "P1", List.of(range("SGL", null, 0, 0, CellValues.ofAvailability(1))));
    assertThat(body(parts.get(0))).containsPattern("EchoToken=\"sha256:[A-Za-z0-9_-]{43}\"");

    CellRange other = new CellRange("P2", "SGL", null, DAY, DAY, CellValues.ofAvailability(1));
    assertThatThrownBy(() -> adapter.encode("k", "P1", List.of(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("property P2 in a batch of property P1");
  }

  @Test
  void errorsInsideA200AreRoutedByTheOpenTravelTable() {
    Outcome floor =
        adapter.decode(
            response(
                200,
                "<OTA_HotelRateAmountNotifRS "
                    + NS
                    + " Version=\"1.000\"><Errors><Error Type=\"3\" Code=\"320\""
                    + " RecordID=\"2\" Tag=\"AmountAfterTax\">rate 9 is below the floor 50</Error>"
                    + "</Errors></OTA_HotelRateAmountNotifRS>"));
    Outcome busy =
        adapter.decode(
            response(
                200,
                "<OTA_HotelAvailNotifRS "
                    + NS
                    + " Version=\"1.000\"><Errors><Error Type=\"12\" Code=\"187\">down</Error>"
                    + "</Errors></OTA_HotelAvailNotifRS>"));
    Outcome fault =
        adapter.decode(
            response(
                500,
                "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                    + "<s:Fault><faultcode>s:Server</faultcode><faultstring>boom</faultstring>"
                    + "</s:Fault></s:Body></s:Envelope>"));
    Outcome ok =
        adapter.decode(
            response(
                200,
                "<OTA_HotelAvailNotifRS "
                    + NS
                    + " Version=\"1\"><Success/></OTA_HotelAvailNotifRS>"));
    Outcome silent = adapter.decode(response(200, ""));

    assertThat(floor.status()).isEqualTo(200);
    assertThat(floor.errorCode()).isEqualTo("320");
    assertThat(classify(floor)).isEqualTo(Action.deadLetter("validation"));
    assertThat(adapter.rangesOf(floor.fieldErrors())).containsExactly(1);
    assertThat(classify(busy)).isEqualTo(Action.RETRY);
    assertThat(fault.errorCode()).isEqualTo("soap:Server");
    assertThat(classify(fault)).isEqualTo(Action.RETRY);
    assertThat(classify(ok)).isEqualTo(Action.ACK);
    assertThat(classify(silent)).isEqualTo(Action.deadLetter("channel_error"));
  }

  @Test
  void rangesOfNeedsEveryErrorToNameARecord() {
    assertThat(adapter.rangesOf(List.of(new FieldError("3", "x"), new FieldError("1", "y"))))
        .containsExactly(0, 2);
    assertThat(adapter.rangesOf(List.of(new FieldError("3", "x"), new FieldError("", "y"))))
        .isEmpty();
    assertThat(adapter.rangesOf(List.of(new FieldError("RP-XX", "x")))).isEmpty();
    assertThat(adapter.rangesOf(List.of(new FieldError("0", "x")))).isEmpty();
  }

  @Test
  void optionsSetTheCapHotelCodesAndErrorTableAndBadOnesNameTheirKey() {
    OtaAdapter configured =
        (OtaAdapter)
            Adapters.standard()
                .create(
                    config(
                        Map.of(
                            "maxMessageBytes",
                            "2KB",
                            "hotelCodes",
                            Map.of("P1", "H1"),
                            "errorCodes",
                            Map.of("320", "RETRY"))));
    List<CellRange> many = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(range("SGL", null, 2 * i, 2 * i, CellValues.ofAvailability(i)));
    }

    List<ChannelAdapter.Part> parts = configured.encode("k", "P1", many);

    assertThat(parts.size()).isGreaterThan(1);
    assertThat(parts)
        .allSatisfy(p -> assertThat(p.request().body().length).isLessThanOrEqualTo(2_000));
    assertThat(body(parts.get(0))).contains("HotelCode=\"H1\"");
    assertThat(configured.classification().classify(Outcome.response(200).withErrorCode("320")))
        .isEqualTo(Action.RETRY);

    assertThatThrownBy(() -> Adapters.standard().create(config(Map.of("maxMessageBytes", "big"))))
        .hasMessage(
            "channels.ota.options.maxMessageBytes: 'big' is not a size in bytes (examples: 65536,"
                + " 64KiB, 10MB, 1GiB)");
    assertThatThrownBy(() -> Adapters.standard().create(config(Map.of("maxMessageBytes", 0))))
        .hasMessage("channels.ota.options.maxMessageBytes: must be at least 1 byte, was 0");
    assertThatThrownBy(() -> Adapters.standard().create(config(Map.of("occupancy", "two"))))
        .hasMessage("channels.ota.options.occupancy: expected an integer, got a string");
    assertThatThrownBy(() -> Adapters.standard().create(config(Map.of("occupancy", 1000))))
        .hasMessage("channels.ota.options.occupancy: must be 1-999, was 1000");
    assertThatThrownBy(
            () ->
                Adapters.standard()
                    .create(config(Map.of("hotelCodes", Map.of("P1", Map.of("code", "H1"))))))
        .hasMessage("channels.ota.options.hotelCodes.P1: expected a text value, found a mapping");
    assertThatThrownBy(() -> Adapters.standard().create(config(Map.of("colour", "blue"))))
        .hasMessage(
            "channels.ota.options.colour: unknown key; expected one of maxMessageBytes,"
                + " occupancy, hotelCodes, errorCodes");
    assertThatThrownBy(
            () ->
                Adapters.standard()
                    .create(config(Map.of("hotelCodes", Map.of("P1", "H".repeat(17))))))
        .hasMessageStartingWith(
            "channels.ota.options.hotelCodes: HotelCode must have 1-16 characters")
        .hasMessageContaining("property P1");
    assertThatThrownBy(
            () -> Adapters.standard().create(config(Map.of("errorCodes", Map.of("320", "PANIC")))))
        .hasMessageStartingWith("channels.ota.options.errorCodes: OpenTravel error row '320': ");
  }

  @Test
  void onlyTheOtaAdapterTakesOptions() {
    assertThatThrownBy(() -> Adapters.standard().create(config("native", Map.of("occupancy", 2))))
        .hasMessage(
            "channels.ota.options.occupancy: unknown key; the native adapter takes no options");
  }

  private static ChannelConfig config(Map<String, Object> options) {
    return config("ota", options);
  }

  private static ChannelConfig config(String adapter, Map<String, Object> options) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", adapter);
    c.put("baseUrl", BASE.toString());
    c.put("credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:K}")));
    c.put("mapping", Map.of("rooms", Map.of("SGL", "S1")));
    c.put("options", options);
    return ChannelConfig.parse("ota", c, SecretResolver.constant(Secret.of("k")));
  }

  private static String body(ChannelAdapter.Part p) {
    return new String(p.request().body(), StandardCharsets.UTF_8);
  }
}
