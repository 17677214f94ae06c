package dev.paritysync.hotel.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.ota.OtaXml.Control;
import dev.paritysync.hotel.testing.DemoPortfolio;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXParseException;

/**
 * Every message generated for the demo portfolio is valid against the OpenTravel 2015A schemas
 * (offline), and then keeps the business rules: one hotel per message, no overlapping ranges per
 * InvTypeCode/RatePlanCode, the size cap, and every range carried exactly once.
 */
class OtaEncoderSchemaTest {
  static final Instant NOW = Instant.parse("2026-11-23T23:59:59.999Z");
  final ChannelMapping mapping = DemoPortfolio.mapping();

  OtaEncoder encoder(long maxBytes) {
    return OtaEncoder.builder(new VirtualTime(NOW), mapping)
        .withHotelCodes(DemoPortfolio.hotelCodes())
        .withMaxBytes(maxBytes)
        .build();
  }

  @Test
  void demoPortfolioForAFullYearValidatesAndKeepsTheBusinessRules() throws Exception {
    OtaSchemas.schema();
    OtaEncoder encoder = encoder(OtaEncoder.DEFAULT_MAX_BYTES);
    Set<String> seen = new HashSet<>();
    int requests = 0;
    for (String property : DemoPortfolio.PROPERTIES) {
      List<CellRange> ranges = DemoPortfolio.ranges(property);
      List<OtaRequest> out = encoder.encode(ranges, "batch-" + property);
      for (OtaRequest r : out) {
        OtaSchemas.validate(r.body());
        seen.addAll(kindsOfContent(OtaXml.parse(r.body())));
      }
      checkBusinessRules(out, ranges, DemoPortfolio.hotelCodes().get(property), encoder.maxBytes());
      requests += out.size();
    }
    assertThat(requests).isGreaterThanOrEqualTo(2 * DemoPortfolio.PROPERTIES.size());
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "BookingLimit",
            "SetMinLOS",
            "SetMaxLOS",
            "Master Close",
            "Master Open",
            "Arrival Close",
            "Arrival Open",
            "Departure Close",
            "Departure Open",
            "BaseByGuestAmt");
    assertThat(OtaSchemas.RESOLVED.get()).isPositive();
  }

  @Test
  void aSmallCapSplitsMessagesThatStillCarryEveryRangeExactlyOnce() throws Exception {
    OtaEncoder encoder = encoder(16_000);
    List<CellRange> ranges = DemoPortfolio.ranges("CITY");
    List<OtaRequest> out = encoder.encode(ranges, "split-key");
    assertThat(out.stream().filter(r -> r.kind() == OtaRequest.Kind.AVAIL_NOTIF).count())
        .isGreaterThan(10);
    assertThat(out.stream().filter(r -> r.kind() == OtaRequest.Kind.RATE_AMOUNT_NOTIF).count())
        .isGreaterThan(10);
    for (OtaRequest r : out) {
      OtaSchemas.validate(r.body());
    }
    checkBusinessRules(out, ranges, "H10003", 16_000);
    assertThat(out).extracting(OtaRequest::echoToken).doesNotHaveDuplicates();
    assertThat(out.get(0).echoToken()).isEqualTo("split-key/A1");
    // Filled in order: no request could have taken the next one's first range.
    for (int i = 0; i + 1 < out.size(); i++) {
      if (out.get(i).kind() == out.get(i + 1).kind()) {
        assertThat(out.get(i).size()).isGreaterThan(16_000 - 1_000);
      }
    }
  }

  @Test
  void aMissingRequiredAttributeIsRejected() throws Exception {
    String xml = firstRequest(OtaRequest.Kind.AVAIL_NOTIF).bodyText();
    String broken = xml.replaceFirst(" Version=\"[^\"]*\"", "");
    assertThat(broken).isNotEqualTo(xml);
    assertThatThrownBy(() -> OtaSchemas.validate(broken.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SAXParseException.class)
        .hasMessageContaining("cvc-complex-type.4")
        .hasMessageContaining("'Version'")
        .hasMessageContaining("'OTA_HotelAvailNotifRQ'");
  }

  @Test
  void aMisplacedElementIsRejected() throws Exception {
    String xml = firstRequest(OtaRequest.Kind.RATE_AMOUNT_NOTIF).bodyText();
    // Rates before StatusApplicationControl breaks the sequence of RateAmountMessageType.
    String broken =
        xml.replaceFirst("(<StatusApplicationControl [^>]*/>)(<Rates>.*?</Rates>)", "$2$1");
    assertThat(broken).isNotEqualTo(xml);
    assertThatThrownBy(() -> OtaSchemas.validate(broken.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SAXParseException.class)
        .hasMessageContaining("cvc-complex-type.2.4")
        .hasMessageContaining("StatusApplicationControl");
  }

  @Test
  void aValueOutsideItsTypeIsRejected() throws Exception {
    String xml = firstRequest(OtaRequest.Kind.AVAIL_NOTIF).bodyText();
    String broken = xml.replaceFirst("BookingLimit=\"\\d+\"", "BookingLimit=\"-1\"");
    assertThat(broken).isNotEqualTo(xml);
    assertThatThrownBy(() -> OtaSchemas.validate(broken.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SAXParseException.class)
        .hasMessageContaining("'-1'")
        .hasMessageContaining("nonNegativeInteger");
  }

  @Test
  void theAcknowledgementsTheDecoderTestsUseAreSchemaValid() {
    OtaSchemas.folder(); // skips, outside the assertion, when the shared fixtures are absent
    for (String body : OtaResponseDecoderTest.schemaValidBodies()) {
      assertThatCode(() -> OtaSchemas.validate(body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void theSchemaLoaderFetchesNothingFromOutsideTheFixtureFolder() {
    OtaSchemas.folder(); // skips, outside the assertion, when the shared fixtures are absent
    String remote =
        "<OTA_HotelAvailNotifRQ xmlns=\"http://www.opentravel.org/OTA/2003/05\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            + " xsi:schemaLocation=\"http://www.opentravel.org/OTA/2003/05"
            + " http://example.invalid/OTA_HotelAvailNotifRQ.xsd\" Version=\"1\"/>";
    // The compiled schema answers; the hint to a remote copy is never followed.
    assertThatCode(() -> OtaSchemas.validate(remote.getBytes(StandardCharsets.UTF_8)))
        .doesNotThrowAnyException();
    String doctype =
        "<!DOCTYPE OTA_HotelAvailNotifRQ SYSTEM \"http://example.invalid/x.dtd\">" + remote;
    assertThatThrownBy(() -> OtaSchemas.validate(doctype.getBytes(StandardCharsets.UTF_8)))
        .hasMessage(
            "reference to http://example.invalid/x.dtd refused: nothing is fetched over the network");
  }

  private OtaRequest firstRequest(OtaRequest.Kind kind) {
    OtaSchemas.folder();
    return encoder(OtaEncoder.DEFAULT_MAX_BYTES).encode(DemoPortfolio.ranges("ALPS"), "k").stream()
        .filter(r -> r.kind() == kind)
        .findFirst()
        .orElseThrow();
  }

  private static Set<String> kindsOfContent(Document doc) {
    Set<String> kinds = new HashSet<>();
    if (!OtaXml.attributes(doc, "AvailStatusMessage", "BookingLimit").isEmpty()) {
      kinds.add("BookingLimit");
    }
    kinds.addAll(OtaXml.attributes(doc, "LengthOfStay", "MinMaxMessageType"));
    for (Element e : OtaXml.elements(doc, "RestrictionStatus")) {
      kinds.add(e.getAttribute("Restriction") + " " + e.getAttribute("Status"));
    }
    if (!OtaXml.elements(doc, "BaseByGuestAmt").isEmpty()) {
      kinds.add("BaseByGuestAmt");
    }
    return kinds;
  }

  private void checkBusinessRules(
      List<OtaRequest> out, List<CellRange> ranges, String hotelCode, long cap) {
    Map<Control, Integer> carried = new HashMap<>();
    for (OtaRequest r : out) {
      assertThat(r.size()).as(r.toString()).isLessThanOrEqualTo((int) cap);
      Document doc = OtaXml.parse(r.body());
      Element root = doc.getDocumentElement();
      assertThat(root.getNamespaceURI()).isEqualTo(OtaEncoder.NAMESPACE);
      assertThat(root.getLocalName()).isEqualTo(r.kind().requestElement());
      assertThat(root.getAttribute("EchoToken")).isEqualTo(r.echoToken()).hasSizeLessThan(129);
      assertThat(root.getAttribute("TimeStamp")).isEqualTo("2026-11-23T23:59:59.999Z");
      List<String> hotels = new ArrayList<>();
      hotels.addAll(OtaXml.attributes(doc, "AvailStatusMessages", "HotelCode"));
      hotels.addAll(OtaXml.attributes(doc, "RateAmountMessages", "HotelCode"));
      assertThat(hotels).containsExactly(hotelCode);
      Set<Control> controls = OtaXml.controls(doc);
      assertNoOverlap(controls, r);
      for (Control c : controls) {
        carried.merge(
            new Control(r.kind().name() + " " + c.inv(), c.plan(), c.start(), c.end()),
            1,
            Integer::sum);
      }
      assertThat(controls).hasSize(r.ranges().size());
    }
    Map<Control, Integer> expected = new HashMap<>();
    for (CellRange range : ranges) {
      String inv = mapping.rooms().get(range.roomType());
      String plan = range.ratePlan() == null ? null : mapping.ratePlans().get(range.ratePlan());
      if (range.values().availability() != null
          || (range.values().restrictions() != null && !range.values().restrictions().isEmpty())) {
        expected.put(
            new Control("AVAIL_NOTIF " + inv, plan, range.from().toString(), range.to().toString()),
            1);
      }
      if (range.values().rate() != null) {
        expected.put(
            new Control(
                "RATE_AMOUNT_NOTIF " + inv, plan, range.from().toString(), range.to().toString()),
            1);
      }
    }
    assertThat(carried).isEqualTo(expected);
  }

  private static void assertNoOverlap(Set<Control> controls, OtaRequest r) {
    Map<String, List<Control>> byCodes = new TreeMap<>();
    for (Control c : controls) {
      byCodes.computeIfAbsent(c.inv() + "/" + c.plan(), k -> new ArrayList<>()).add(c);
    }
    byCodes.forEach(
        (codes, list) -> {
          list.sort(Comparator.comparing(Control::start));
          for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i - 1).end())
                .as("%s: %s overlaps %s in %s", codes, list.get(i - 1), list.get(i), r)
                .isLessThan(list.get(i).start());
          }
        });
  }
}
