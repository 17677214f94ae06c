package dev.paritysync.hotel.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.adapter.OtaAdapter;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.ota.OtaXml.Control;
import dev.paritysync.hotel.testing.DemoPortfolio;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXParseException;

/**
 * Every part the {@code ota} adapter generates for the demo portfolio (5 properties × 8 room types
 * × 3 rate plans × a full year, every restriction kind) is valid against the OpenTravel 2015A
 * schemas (offline), and keeps the business rules: one hotel per message, no overlapping ranges per
 * code pair, the size cap, the batch's idempotency keys as EchoTokens, and each part's range
 * indexes naming exactly the ranges its body carries, in order.
 */
class OtaAdapterSchemaTest {
  private static final URI BASE = URI.create("http://127.0.0.1:9");

  private static OtaAdapter adapter(long maxBytes) {
    return OtaAdapter.builder(BASE, DemoPortfolio.mapping())
        .withHotelCodes(DemoPortfolio.hotelCodes())
        .withMaxBytes(maxBytes)
        .build();
  }

  @Test
  void everyPartForTheDemoPortfolioValidatesAndKeepsTheBusinessRules() throws Exception {
    OtaSchemas.schema(); // skips with a message when the fixture folder is absent
    OtaAdapter adapter = adapter(OtaEncoder.DEFAULT_MAX_BYTES);
    int parts = 0;
    for (String property : DemoPortfolio.PROPERTIES) {
      List<CellRange> ranges = DemoPortfolio.ranges(property);
      String batchKey = "demo/" + property + "/2027";
      List<ChannelAdapter.Part> out = adapter.encode(batchKey, property, ranges);
      for (ChannelAdapter.Part p : out) {
        OtaSchemas.validate(p.request().body());
      }
      check(
          out,
          batchKey,
          ranges,
          DemoPortfolio.hotelCodes().get(property),
          OtaEncoder.DEFAULT_MAX_BYTES);
      parts += out.size();
    }
    assertThat(parts).isGreaterThanOrEqualTo(2 * DemoPortfolio.PROPERTIES.size());
  }

  @Test
  void aSmallCapSplitsEachKindIntoSeveralValidPartsWithTheirOwnKeys() throws Exception {
    OtaSchemas.schema();
    long cap = 20_000;
    OtaAdapter adapter = adapter(cap);
    List<CellRange> ranges = DemoPortfolio.ranges("LAKE");

    List<ChannelAdapter.Part> out = adapter.encode("k", "LAKE", ranges);

    assertThat(out.stream().filter(p -> p.request().uri().getPath().endsWith("AvailNotif")).count())
        .isGreaterThan(5);
    assertThat(
            out.stream()
                .filter(p -> p.request().uri().getPath().endsWith("RateAmountNotif"))
                .count())
        .isGreaterThan(5);
    for (ChannelAdapter.Part p : out) {
      OtaSchemas.validate(p.request().body());
    }
    check(out, "k", ranges, "H10004", cap);
    List<ChannelAdapter.Part> again = adapter.encode("k", "LAKE", ranges);
    assertThat(again).hasSameSizeAs(out);
    for (int i = 0; i < out.size(); i++) {
      assertThat(again.get(i).request().body())
          .as("deterministic: a retry sends the same bytes")
          .isEqualTo(out.get(i).request().body());
      assertThat(again.get(i).ranges()).isEqualTo(out.get(i).ranges());
    }
  }

  @Test
  void aDeliberatelyBrokenPartIsRejectedByTheValidator() throws Exception {
    OtaSchemas.schema();
    List<CellRange> ranges = DemoPortfolio.ranges("ALPS").subList(0, 40);
    ChannelAdapter.Part part =
        adapter(OtaEncoder.DEFAULT_MAX_BYTES).encode("b", "ALPS", ranges).get(0);
    String xml = new String(part.request().body(), StandardCharsets.UTF_8);
    OtaSchemas.validate(part.request().body()); // the original is valid
    String broken = xml.replaceFirst("BookingLimit=\"\\d+\"", "BookingLimit=\"-1\"");
    assertThat(broken).isNotEqualTo(xml);

    assertThatThrownBy(() -> OtaSchemas.validate(broken.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SAXParseException.class)
        .hasMessageContaining("-1")
        .hasMessageContaining("nonNegativeInteger");
  }

  @Test
  void theSimulatorsAnswersSuccessAndErrorsAreSchemaValidToo() throws Exception {
    OtaSchemas.schema();
    VirtualTime time = new VirtualTime(Instant.parse("2026-11-24T00:00:00Z"));
    SimConfig config =
        SimConfig.healthy(5).toBuilder()
            .withDialect("ota")
            .withRateFloor(new BigDecimal("1000"))
            .build();
    try (SimChannel sim = SimChannel.start(config, time);
        Transport transport = Transport.builder().withClock(time).build()) {
      OtaAdapter adapter =
          OtaAdapter.builder(sim.baseUri(), DemoPortfolio.mapping())
              .withHotelCodes(DemoPortfolio.hotelCodes())
              .build();
      List<CellRange> ranges = DemoPortfolio.ranges("CITY").subList(0, 60);
      List<ChannelAdapter.Part> parts = adapter.encode("sim", "CITY", ranges);
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        String key = ChannelAdapter.partKey("sim", i, parts.size());
        Response r =
            transport
                .send(
                    parts.get(i).request(),
                    CallContext.newRoot("schema", "CITY").withIdempotencyKey(key))
                .join();
        assertThat(r.status()).isEqualTo(200);
        OtaSchemas.validate(r.body());
        answers.add(new String(r.body(), StandardCharsets.UTF_8));
      }

      assertThat(answers).anySatisfy(a -> assertThat(a).contains("<Success/>"));
      assertThat(answers)
          .anySatisfy(a -> assertThat(a).contains("<Errors>").contains("is below the floor 1000"));
    }
  }

  private static void check(
      List<ChannelAdapter.Part> parts,
      String batchKey,
      List<CellRange> ranges,
      String hotelCode,
      long cap) {
    Map<String, Integer> carried = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      ChannelAdapter.Part p = parts.get(i);
      byte[] body = p.request().body();
      assertThat(body.length).as("part %d", i).isLessThanOrEqualTo((int) cap);
      assertThat(p.endpoint()).isEqualTo(ChannelAdapter.DEFAULT_ENDPOINT);
      Document doc = OtaXml.parse(body);
      Element root = doc.getDocumentElement();
      assertThat(root.getAttribute("EchoToken"))
          .isEqualTo(ChannelAdapter.partKey(batchKey, i, parts.size()));
      assertThat(root.hasAttribute("TimeStamp")).isFalse();
      boolean avail = root.getLocalName().equals("OTA_HotelAvailNotifRQ");
      assertThat(p.request().uri().getPath())
          .isEqualTo(avail ? OtaAdapter.AVAIL_PATH : OtaAdapter.RATE_PATH);
      List<String> hotels = new ArrayList<>();
      hotels.addAll(OtaXml.attributes(doc, "AvailStatusMessages", "HotelCode"));
      hotels.addAll(OtaXml.attributes(doc, "RateAmountMessages", "HotelCode"));
      assertThat(hotels).containsExactly(hotelCode);
      // the part's indexes name, in order, the ranges whose controls the body carries
      List<Control> inBody = controlsInOrder(doc);
      List<Control> named = new ArrayList<>();
      for (int index : p.ranges()) {
        named.add(control(ranges.get(index)));
        carried.merge((avail ? "A " : "R ") + index, 1, Integer::sum);
      }
      assertThat(inBody).isEqualTo(named);
      assertNoOverlap(Set.copyOf(inBody), i);
    }
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < ranges.size(); i++) {
      CellRange r = ranges.get(i);
      if (r.values().availability() != null
          || (r.values().restrictions() != null && !r.values().restrictions().isEmpty())) {
        expected.put("A " + i, 1);
      }
      if (r.values().rate() != null) {
        expected.put("R " + i, 1);
      }
    }
    assertThat(carried).as("every range exactly once per kind").isEqualTo(expected);
  }

  private static Control control(CellRange r) {
    var m = DemoPortfolio.mapping();
    return new Control(
        m.rooms().get(r.roomType()),
        r.ratePlan() == null ? null : m.ratePlans().get(r.ratePlan()),
        r.from().toString(),
        r.to().toString());
  }

  /** The distinct controls in document order: the messages of one range are consecutive. */
  private static List<Control> controlsInOrder(Document doc) {
    List<Control> out = new ArrayList<>();
    for (Element e : OtaXml.elements(doc, "StatusApplicationControl")) {
      Control c =
          new Control(
              e.getAttribute("InvTypeCode"),
              e.hasAttribute("RatePlanCode") ? e.getAttribute("RatePlanCode") : null,
              e.getAttribute("Start"),
              e.getAttribute("End"));
      if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static void assertNoOverlap(Set<Control> controls, int part) {
    Map<String, List<Control>> byCodes = new TreeMap<>();
    for (Control c : controls) {
      byCodes.computeIfAbsent(c.inv() + "/" + c.plan(), k -> new ArrayList<>()).add(c);
    }
    byCodes.forEach(
        (codes, list) -> {
          list.sort(Comparator.comparing(Control::start));
          for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i - 1).end())
                .as("%s: %s overlaps %s in part %d", codes, list.get(i - 1), list.get(i), part)
                .isLessThan(list.get(i).start());
          }
        });
  }
}
