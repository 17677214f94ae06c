package dev.paritysync.hotel.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OtaEncoderTest {
  static final LocalDate JAN1 = LocalDate.of(2027, 1, 1);
  static final ChannelMapping MAPPING =
      new ChannelMapping(
          Map.of("DBL", "1001", "SGL", "1002"), Map.of("BAR", "RP1", "NR", "RP2", "NR2", "RP2"));

  final VirtualTime time = new VirtualTime(Instant.parse("2027-01-01T00:00:00Z"));
  final OtaEncoder encoder =
      OtaEncoder.builder(time, MAPPING).withHotelCodes(Map.of("H1", "HOTEL-1")).build();

  static CellRange range(String room, String plan, int fromDay, int toDay, CellValues values) {
    return new CellRange(
        "H1", room, plan, JAN1.plusDays(fromDay - 1L), JAN1.plusDays(toDay - 1L), values);
  }

  static final CellRange AVAIL = range("DBL", null, 1, 3, CellValues.ofAvailability(5));
  static final CellRange BAR =
      range(
          "DBL",
          "BAR",
          1,
          3,
          new CellValues(
              Rate.of("120.50", "EUR"), null, new Restrictions(2, 7, true, true, false)));

  @Test
  void writesAvailabilityAndRestrictionsInTheSchemasOrder() {
    List<OtaRequest> out = encoder.encode(List.of(BAR, AVAIL), "batch-1");
    assertThat(out).hasSize(2);
    OtaRequest avail = out.get(0);
    assertThat(avail.kind()).isEqualTo(OtaRequest.Kind.AVAIL_NOTIF);
    assertThat(avail.hotelCode()).isEqualTo("HOTEL-1");
    assertThat(avail.echoToken()).isEqualTo("batch-1/A1");
    assertThat(avail.ranges()).containsExactly(AVAIL, BAR);
    String control = "Start=\"2027-01-01\" End=\"2027-01-03\" InvTypeCode=\"1001\"";
    assertThat(avail.bodyText())
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<OTA_HotelAvailNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\""
                + " EchoToken=\"batch-1/A1\" TimeStamp=\"2027-01-01T00:00:00.000Z\""
                + " Version=\"4.000\"><AvailStatusMessages HotelCode=\"HOTEL-1\">"
                + "<AvailStatusMessage BookingLimit=\"5\" BookingLimitMessageType=\"SetLimit\">"
                + "<StatusApplicationControl "
                + control
                + "/></AvailStatusMessage>"
                + "<AvailStatusMessage><StatusApplicationControl "
                + control
                + " RatePlanCode=\"RP1\"/><LengthsOfStay>"
                + "<LengthOfStay MinMaxMessageType=\"SetMinLOS\" Time=\"2\" TimeUnit=\"Day\"/>"
                + "<LengthOfStay MinMaxMessageType=\"SetMaxLOS\" Time=\"7\" TimeUnit=\"Day\"/>"
                + "</LengthsOfStay><RestrictionStatus Restriction=\"Master\" Status=\"Close\"/>"
                + "</AvailStatusMessage>"
                + "<AvailStatusMessage><StatusApplicationControl "
                + control
                + " RatePlanCode=\"RP1\"/><RestrictionStatus Restriction=\"Arrival\""
                + " Status=\"Close\"/></AvailStatusMessage>"
                + "<AvailStatusMessage><StatusApplicationControl "
                + control
                + " RatePlanCode=\"RP1\"/><RestrictionStatus Restriction=\"Departure\""
                + " Status=\"Open\"/></AvailStatusMessage>"
                + "</AvailStatusMessages></OTA_HotelAvailNotifRQ>");
  }

  @Test
  void writesRatesPerRatePlanForTheDefaultOccupancy() {
    OtaRequest rate = encoder.encode(List.of(BAR), "batch-1").get(1);
    assertThat(rate.kind()).isEqualTo(OtaRequest.Kind.RATE_AMOUNT_NOTIF);
    assertThat(rate.echoToken()).isEqualTo("batch-1/R1");
    assertThat(rate.bodyText())
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<OTA_HotelRateAmountNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\""
                + " EchoToken=\"batch-1/R1\" TimeStamp=\"2027-01-01T00:00:00.000Z\""
                + " Version=\"5.000\"><RateAmountMessages HotelCode=\"HOTEL-1\">"
                + "<RateAmountMessage><StatusApplicationControl Start=\"2027-01-01\""
                + " End=\"2027-01-03\" InvTypeCode=\"1001\" RatePlanCode=\"RP1\"/><Rates><Rate>"
                + "<BaseByGuestAmts><BaseByGuestAmt AmountAfterTax=\"120.50\""
                + " CurrencyCode=\"EUR\" NumberOfGuests=\"2\"/></BaseByGuestAmts></Rate></Rates>"
                + "</RateAmountMessage></RateAmountMessages></OTA_HotelRateAmountNotifRQ>");
  }

  @Test
  void occupancyVersionAndTimeAreConfigurable() {
    time.advance(Duration.ofMillis(1_234));
    OtaEncoder custom =
        OtaEncoder.builder(time, MAPPING).withOccupancy(3).withVersion("1.0").build();
    List<OtaRequest> out = custom.encode(List.of(BAR), "k");
    assertThat(out.get(0).bodyText())
        .contains("TimeStamp=\"2027-01-01T00:00:01.234Z\" Version=\"1.0\"")
        .contains("HotelCode=\"H1\"");
    assertThat(out.get(1).bodyText()).contains("NumberOfGuests=\"3\"");
  }

  @Test
  void amountsKeepAtMostThreeFractionDigits() {
    CellRange r = range("SGL", "BAR", 1, 1, CellValues.ofRate(Rate.of("99.5000", "EUR")));
    assertThat(encoder.encode(List.of(r), "k").get(0).bodyText())
        .contains("AmountAfterTax=\"99.5\"");
    CellRange tooFine = range("SGL", "BAR", 1, 1, CellValues.ofRate(Rate.of("1.2345", "CLF")));
    assertThatThrownBy(() -> encoder.encode(List.of(tooFine), "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "AmountAfterTax must be ≥ 0 with at most 3 fraction digits, was 1.2345");
  }

  @Test
  void sameBatchSameRequestsWhateverTheInputOrder() {
    List<CellRange> ranges = new ArrayList<>();
    for (int d = 1; d <= 300; d += 3) {
      ranges.add(range("DBL", null, d, d + 2, CellValues.ofAvailability(d % 7)));
      ranges.add(range("DBL", "BAR", d, d + 2, CellValues.ofRate(Rate.of("" + d, "EUR"))));
      ranges.add(range("SGL", "NR", d, d + 2, BAR.values()));
    }
    OtaEncoder small = OtaEncoder.builder(time, MAPPING).withMaxBytes(4_000).build();
    List<OtaRequest> first = small.encode(ranges, "key");
    Collections.shuffle(ranges, new Random(7));
    assertThat(small.encode(ranges, "key")).isEqualTo(first);
    assertThat(first).allSatisfy(r -> assertThat(r.size()).isLessThanOrEqualTo(4_000));
    assertThat(first).hasSizeGreaterThan(4);
  }

  @Test
  void aRangeLimitSplitsRequestsToo() {
    List<CellRange> ranges = new ArrayList<>();
    for (int d = 1; d <= 10; d++) {
      ranges.add(range("DBL", null, d, d, CellValues.ofAvailability(d)));
    }
    OtaEncoder limited = OtaEncoder.builder(time, MAPPING).withMaxRangesPerRequest(4).build();
    List<OtaRequest> out = limited.encode(ranges, "k");
    assertThat(out).extracting(r -> r.ranges().size()).containsExactly(4, 4, 2);
    assertThat(out).extracting(OtaRequest::echoToken).containsExactly("k/A1", "k/A2", "k/A3");
    assertThatThrownBy(() -> OtaEncoder.builder(time, MAPPING).withMaxRangesPerRequest(0))
        .hasMessage("maxRangesPerRequest must be ≥ 1, was 0");
  }

  @Test
  void sizeOfIsWhatARangeAddsToItsRequests() {
    CellRange next = range("DBL", null, 4, 9, CellValues.ofAvailability(2));
    int one = encoder.encode(List.of(AVAIL), "k").get(0).size();
    int two = encoder.encode(List.of(AVAIL, next), "k").get(0).size();
    assertThat(encoder.sizeOf(next)).isEqualTo(two - one);
    List<OtaRequest> both = encoder.encode(List.of(BAR), "k");
    List<OtaRequest> withOther =
        encoder.encode(List.of(BAR, range("DBL", "BAR", 4, 4, BAR.values())), "k");
    long added =
        withOther.get(0).size() + withOther.get(1).size() - both.get(0).size() - both.get(1).size();
    assertThat(encoder.sizeOf(BAR)).isEqualTo(added);
  }

  @Test
  void emptyInputIsNoRequest() {
    assertThat(encoder.encode(List.of(), "k")).isEmpty();
  }

  @Test
  void oneHotelPerCall() {
    CellRange other = new CellRange("H2", "DBL", null, JAN1, JAN1, CellValues.ofAvailability(1));
    assertThatThrownBy(() -> encoder.encode(List.of(AVAIL, other), "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "one request carries one hotel, but ranges name properties H1 and H2");
  }

  @Test
  void overlappingRangesAreRefusedAlsoWhenTwoPlansShareAChannelCode() {
    CellRange a = range("DBL", "NR", 1, 10, CellValues.ofRate(Rate.of("1", "EUR")));
    CellRange b = range("DBL", "NR2", 10, 12, CellValues.ofRate(Rate.of("2", "EUR")));
    assertThatThrownBy(() -> encoder.encode(List.of(a, b), "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ranges overlap on InvTypeCode 1001 RatePlanCode RP2: ");
    CellRange c = range("DBL", null, 2, 2, CellValues.ofAvailability(1));
    assertThatThrownBy(() -> encoder.encode(List.of(AVAIL, c), "k"))
        .hasMessageStartingWith("ranges overlap on InvTypeCode 1001: ");
  }

  @Test
  void unmappedAndOversizedCodesNameTheCulprit() {
    CellRange unmapped = range("TRP", null, 1, 1, CellValues.ofAvailability(1));
    assertThatThrownBy(() -> encoder.encode(List.of(unmapped), "k"))
        .hasMessageStartingWith("room type TRP has no channel code in the mapping: ");
    CellRange unmappedPlan = range("DBL", "XX", 1, 1, CellValues.ofRate(Rate.of("1", "EUR")));
    assertThatThrownBy(() -> encoder.encode(List.of(unmappedPlan), "k"))
        .hasMessageStartingWith("rate plan XX has no channel code in the mapping: ");
    OtaEncoder longRoom =
        OtaEncoder.builder(time, new ChannelMapping(Map.of("DBL", "X".repeat(17)), Map.of()))
            .build();
    assertThatThrownBy(() -> longRoom.encode(List.of(AVAIL), "k"))
        .hasMessage(
            "InvTypeCode must have 1-16 characters, but room type DBL maps to '"
                + "X".repeat(17)
                + "' (17)");
    assertThatThrownBy(
            () -> OtaEncoder.builder(time, MAPPING).withHotelCodes(Map.of("H1", "")).build())
        .hasMessage("HotelCode must have 1-16 characters, but property H1 maps to '' (0)");
  }

  @Test
  void rangesWithNothingToSayOrARateWithoutPlanAreRefused() {
    CellRange empty = range("DBL", "BAR", 1, 1, new CellValues(null, null, Restrictions.none()));
    assertThatThrownBy(() -> encoder.encode(List.of(empty), "k"))
        .hasMessageStartingWith("range carries nothing to send: ");
    CellRange roomRate = range("DBL", null, 1, 1, CellValues.ofRate(Rate.of("1", "EUR")));
    assertThatThrownBy(() -> encoder.encode(List.of(roomRate), "k"))
        .hasMessageStartingWith("a rate needs a rate plan: ");
  }

  @Test
  void aRangeLargerThanTheCapIsRefused() {
    OtaEncoder tiny = OtaEncoder.builder(time, MAPPING).withMaxBytes(300).build();
    assertThatThrownBy(() -> tiny.encode(List.of(AVAIL), "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(
            "range needs \\d+ bytes in an OTA_HotelAvailNotifRQ, more than the size cap of 300: .*");
  }

  @Test
  void builderRefusesBadSettings() {
    OtaEncoder.Builder b = OtaEncoder.builder(time, MAPPING);
    assertThatThrownBy(() -> b.withMaxBytes(0)).hasMessage("maxBytes must be ≥ 1, was 0");
    assertThatThrownBy(() -> b.withOccupancy(1000)).hasMessage("occupancy must be 1-999, was 1000");
    assertThatThrownBy(() -> b.withVersion("v1")).hasMessage("Version must be a decimal, was 'v1'");
  }

  @Test
  void echoTokensFitTheSchemaAndStayStable() {
    assertThat(EchoTokens.token("batch-1", "A1")).isEqualTo("batch-1/A1");
    String longKey = "k".repeat(500);
    String hashed = EchoTokens.token(longKey, "R12");
    assertThat(hashed)
        .matches("sha256:[A-Za-z0-9_-]{43}/R12")
        .isEqualTo(EchoTokens.token(longKey, "R12"));
    assertThat(EchoTokens.token("with space", "A1")).startsWith("sha256:");
    assertThat(EchoTokens.token("ünïcode", "A1")).startsWith("sha256:");
    assertThat(EchoTokens.token("x".repeat(100), "A" + "9".repeat(15))).hasSize(117);
    assertThat(EchoTokens.token("x".repeat(101), "A1")).startsWith("sha256:");
    assertThatThrownBy(() -> EchoTokens.token("", "A1"))
        .hasMessage("idempotency key must not be empty");
  }
}
