package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator speaking OpenTravel 2015A XML, over real HTTP on loopback. */
class OtaDialectTest {
  private static final String AVAIL = OtaDialect.AVAIL_PATH;
  private static final String RATE = OtaDialect.RATE_PATH;
  private static final LocalDate JAN1 = LocalDate.parse("2026-01-01");
  private static final String NS = "xmlns=\"http://www.opentravel.org/OTA/2003/05\"";

  private final VirtualTime time = new VirtualTime();

  private static SimConfig.Builder ota() {
    return SimConfig.healthy(1).toBuilder().withDialect("ota");
  }

  static String avail(String token, String hotel, String messages) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OTA_HotelAvailNotifRQ "
        + NS
        + " EchoToken=\""
        + token
        + "\" Version=\"4.000\"><AvailStatusMessages HotelCode=\""
        + hotel
        + "\">"
        + messages
        + "</AvailStatusMessages></OTA_HotelAvailNotifRQ>";
  }

  static String rates(String token, String hotel, String messages) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OTA_HotelRateAmountNotifRQ "
        + NS
        + " EchoToken=\""
        + token
        + "\" Version=\"5.000\"><RateAmountMessages HotelCode=\""
        + hotel
        + "\">"
        + messages
        + "</RateAmountMessages></OTA_HotelRateAmountNotifRQ>";
  }

  static String rate(String from, String to, String amount) {
    return "<RateAmountMessage><StatusApplicationControl Start=\""
        + from
        + "\" End=\""
        + to
        + "\" InvTypeCode=\"D1\" RatePlanCode=\"R1\"/><Rates><Rate><BaseByGuestAmts>"
        + "<BaseByGuestAmt AmountAfterTax=\""
        + amount
        + "\" CurrencyCode=\"EUR\" NumberOfGuests=\"2\"/></BaseByGuestAmts></Rate></Rates>"
        + "</RateAmountMessage>";
  }

  private static final String CONTROL =
      "<StatusApplicationControl Start=\"2026-01-01\" End=\"2026-01-02\" InvTypeCode=\"D1\""
          + " RatePlanCode=\"R1\"/>";

  @Test
  void appliesAvailabilityRestrictionsAndRatesAndAnswersSuccess() throws Exception {
    try (SimChannel sim = SimChannel.start(ota().build(), time)) {
      Http http = new Http(sim);
      HttpResponse<String> a =
          http.post(
              AVAIL,
              avail(
                  "k1",
                  "P1",
                  "<AvailStatusMessage BookingLimit=\"4\" BookingLimitMessageType=\"SetLimit\">"
                      + "<StatusApplicationControl Start=\"2026-01-01\" End=\"2026-01-02\""
                      + " InvTypeCode=\"D1\"/></AvailStatusMessage>"
                      + "<AvailStatusMessage>"
                      + CONTROL
                      + "<LengthsOfStay><LengthOfStay MinMaxMessageType=\"SetMinLOS\" Time=\"2\""
                      + " TimeUnit=\"Day\"/><LengthOfStay MinMaxMessageType=\"SetMaxLOS\""
                      + " Time=\"7\" TimeUnit=\"Day\"/></LengthsOfStay>"
                      + "<RestrictionStatus Restriction=\"Master\" Status=\"Open\"/>"
                      + "</AvailStatusMessage><AvailStatusMessage>"
                      + CONTROL
                      + "<RestrictionStatus Restriction=\"Arrival\" Status=\"Close\"/>"
                      + "</AvailStatusMessage><AvailStatusMessage>"
                      + CONTROL
                      + "<RestrictionStatus Restriction=\"Departure\" Status=\"Open\"/>"
                      + "</AvailStatusMessage>"));
      HttpResponse<String> r =
          http.post(RATE, rates("k2", "P1", rate("2026-01-01", "2026-01-01", "120.50")));

      assertThat(a.statusCode()).isEqualTo(200);
      assertThat(a.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/xml"));
      assertThat(a.body())
          .contains("<OTA_HotelAvailNotifRS")
          .contains("EchoToken=\"k1\"")
          .contains("<Success/>");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("<OTA_HotelRateAmountNotifRS").contains("<Success/>");
      Map<CellKey, CellValue> state = sim.state("P1");
      assertThat(state.get(new CellKey("D1", null, JAN1.plusDays(1))).availability()).isEqualTo(4);
      CellValue plan = state.get(new CellKey("D1", "R1", JAN1));
      assertThat(plan.rate()).isEqualByComparingTo(new BigDecimal("120.50"));
      assertThat(plan.currency()).isEqualTo("EUR");
      assertThat(plan.minLos()).isEqualTo(2);
      assertThat(plan.maxLos()).isEqualTo(7);
      assertThat(plan.closed()).isFalse();
      assertThat(plan.closedToArrival()).isTrue();
      assertThat(plan.closedToDeparture()).isFalse();
      assertThat(state.get(new CellKey("D1", "R1", JAN1.plusDays(1))).rate()).isNull();
      assertThat(sim.applications("k1")).isEqualTo(1);
      assertThat(sim.applications("k2")).isEqualTo(1);
    }
  }

  @Test
  void aRateUnderTheFloorIsAnErrorInsideA200NamingTheMessage() throws Exception {
    try (SimChannel sim =
        SimChannel.start(ota().withRateFloor(new BigDecimal("50")).build(), time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(
                  RATE,
                  rates(
                      "k1",
                      "P1",
                      rate("2026-01-01", "2026-01-01", "80")
                          + rate("2026-01-02", "2026-01-02", "9")));

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("<OTA_HotelRateAmountNotifRS")
          .doesNotContain("Success")
          .contains(
              "<Error Type=\"3\" Code=\"320\" ShortText=\"invalid\" RecordID=\"2\""
                  + " Tag=\"AmountAfterTax\">rate 9 is below the floor 50</Error>");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void messagesWithTheSameControlAreOneRecordAndErrorsNameTheRecord() throws Exception {
    try (SimChannel sim = SimChannel.start(ota().build(), time)) {
      HttpResponse<String> r =
          new Http(sim)
              .post(
                  AVAIL,
                  avail(
                      "k1",
                      "P1",
                      "<AvailStatusMessage BookingLimit=\"4\"><StatusApplicationControl"
                          + " Start=\"2026-01-01\" End=\"2026-01-02\" InvTypeCode=\"D1\"/>"
                          + "</AvailStatusMessage><AvailStatusMessage>"
                          + CONTROL
                          + "<RestrictionStatus Restriction=\"Arrival\" Status=\"Close\"/>"
                          + "</AvailStatusMessage><AvailStatusMessage>"
                          + CONTROL
                          + "<RestrictionStatus Restriction=\"Departure\" Status=\"Shut\"/>"
                          + "</AvailStatusMessage>"));

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("RecordID=\"2\" Tag=\"Departure\">Status must be Open or Close, was Shut");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void theEchoTokenIsTheIdempotencyKey() throws Exception {
    try (SimChannel sim = SimChannel.start(ota().build(), time)) {
      Http http = new Http(sim);
      String body = rates("batch-1.1", "P1", rate("2026-01-01", "2026-01-03", "100"));
      HttpResponse<String> first = http.post(RATE, body, "Idempotency-Key", "ignored");
      HttpResponse<String> again = http.post(RATE, body);
      HttpResponse<String> other =
          http.post(RATE, rates("batch-1.1", "P1", rate("2026-01-01", "2026-01-03", "101")));

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      assertThat(again.body()).isEqualTo(first.body());
      assertThat(other.statusCode()).isEqualTo(422);
      assertThat(other.body()).contains("idempotency_key_reused");
      assertThat(sim.applications("batch-1.1")).isEqualTo(1);
      assertThat(sim.applications("ignored")).isZero();
      assertThat(sim.doubleApplications()).isZero();
    }
  }

  @Test
  void malformedBodiesAndTheWrongMessageOnARouteAreErrorsInsideA200() throws Exception {
    try (SimChannel sim = SimChannel.start(ota().build(), time)) {
      Http http = new Http(sim);
      HttpResponse<String> broken = http.post(AVAIL, "<OTA_HotelAvailNotifRQ");
      HttpResponse<String> wrong =
          http.post(AVAIL, rates("k", "P1", rate("2026-01-01", "2026-01-01", "1")));
      HttpResponse<String> badDate =
          http.post(RATE, rates("k2", "P1", rate("2026-01-01", "first of May", "1")));

      assertThat(broken.statusCode()).isEqualTo(200);
      assertThat(broken.body()).contains("<Errors>").contains("malformed XML");
      assertThat(wrong.statusCode()).isEqualTo(200);
      assertThat(wrong.body()).contains("expected OTA_HotelAvailNotifRQ");
      assertThat(badDate.body())
          .contains("RecordID=\"1\" Tag=\"End\"")
          .contains("'first of May' is not a date");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void quotaAndOutagesKeepTheirStatusWithAnErrorsBody() throws Exception {
    SimConfig config = ota().withQuota("ari", "1/1m").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      String body = rates("k1", "P1", rate("2026-01-01", "2026-01-01", "1"));
      assertThat(http.post(RATE, body).statusCode()).isEqualTo(200);
      HttpResponse<String> throttled =
          http.post(
              AVAIL,
              avail(
                  "k2",
                  "P1",
                  "<AvailStatusMessage BookingLimit=\"1\">" + CONTROL + "</AvailStatusMessage>"));

      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
      assertThat(throttled.body())
          .contains("<OTA_HotelAvailNotifRS")
          .contains("<Error Type=\"1\" ShortText=\"rate_limited\">rate limited</Error>");
    }
  }

  @Test
  void theDialectIsReadFromConfig() {
    assertThat(SimConfig.fromMap(Map.of("dialect", "ota")).dialect()).isEqualTo("ota");
  }
}
