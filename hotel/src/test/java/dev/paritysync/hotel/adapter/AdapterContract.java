package dev.paritysync.hotel.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter test kit: what every {@link ChannelAdapter} must do, checked over real HTTP against
 * the simulator speaking the adapter's dialect. Subclass it, say how to build the adapter and the
 * simulator, and every test here runs for that adapter:
 *
 * <ul>
 *   <li>round trip: a batch with availability, a rate and every restriction kind, encoded into its
 *       parts and sent with their idempotency keys, is acknowledged and is exactly what the
 *       simulator then holds; the {@link ChannelAdapter.Reader}, if any, reads it back in PMS
 *       codes;
 *   <li>parts: every range travels in some part, indexes are in range, encoding is deterministic;
 *   <li>size: {@link ChannelAdapter#estimateSize} is within a factor of two of the bytes a range
 *       really adds, so packing up to a byte limit holds;
 *   <li>errors: a rate under the channel's floor is a validation dead letter that names its range;
 *       a throttled request without {@code Retry-After} falls back to backoff; an outage retries; a
 *       range without channel codes is refused before anything is sent.
 * </ul>
 */
public abstract class AdapterContract {
  /** The PMS → channel codes every test uses. */
  protected static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1", "SGL", "S1"), Map.of("BAR", "R1", "NRF", "R2"));

  protected static final String PROPERTY = "P1";
  protected static final LocalDate DAY = LocalDate.parse("2026-06-01");

  /** Every kind of value a range can hold, on two room types and two rate plans. */
  protected static final List<CellRange> EVERY_KIND =
      List.of(
          range("DBL", null, 0, 2, new CellValues(null, 3, null)),
          range("SGL", null, 0, 0, new CellValues(null, 0, null)),
          range("DBL", "BAR", 0, 1, CellValues.ofRate(Rate.of("120.50", "EUR"))),
          range(
              "DBL",
              "NRF",
              2,
              4,
              new CellValues(
                  Rate.of("99.00", "EUR"), null, new Restrictions(2, 14, false, true, false))),
          range(
              "SGL",
              "BAR",
              3,
              3,
              new CellValues(Rate.of("80.00", "EUR"), null, Restrictions.none().withClosed(true))));

  protected final VirtualTime time = new VirtualTime(Instant.parse("2026-05-01T00:00:00Z"));
  private final Transport transport = Transport.builder().withClock(time).build();
  private final List<SimChannel> sims = new ArrayList<>();

  /** The simulator's configuration speaking this adapter's dialect, healthy, no faults. */
  protected abstract SimConfig.Builder simulator();

  /** The adapter under test for the channel at {@code base}, with {@link #MAPPING}. */
  protected abstract ChannelAdapter adapter(URI base, ChannelMapping mapping);

  /**
   * {@code request} as the engine would send it: with the channel's credentials when the dialect
   * needs them. The default adds nothing.
   */
  protected Request authorize(Request request) {
    return request;
  }

  @AfterEach
  void closeAll() {
    transport.close();
    sims.forEach(SimChannel::close);
  }

  protected static CellRange range(
      String room, String ratePlan, int from, int to, CellValues values) {
    return new CellRange(PROPERTY, room, ratePlan, DAY.plusDays(from), DAY.plusDays(to), values);
  }

  protected SimChannel start(SimConfig.Builder config) {
    SimChannel sim = SimChannel.start(config.build(), time);
    sims.add(sim);
    return sim;
  }

  /** Sends every part of {@code ranges}' batch in order; the decoded outcome of each. */
  protected List<Outcome> deliver(ChannelAdapter adapter, String batchKey, List<CellRange> ranges) {
    List<ChannelAdapter.Part> parts = adapter.encode(batchKey, PROPERTY, ranges);
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      out.add(
          adapter.decode(
              send(parts.get(i).request(), ChannelAdapter.partKey(batchKey, i, parts.size()))));
    }
    return out;
  }

  protected Response send(Request request, String key) {
    CallContext context = CallContext.newRoot("contract", PROPERTY).withIdempotencyKey(key);
    return transport.send(authorize(request), context).join();
  }

  /** As the engine classifies: by the adapter's table (the core defaults unless it adds rows). */
  private static Action classify(ChannelAdapter adapter, Outcome outcome) {
    return adapter.classification().classify(outcome);
  }

  @Test
  void aBatchOfEveryKindIsAcknowledgedAndIsWhatTheChannelThenHolds() {
    SimChannel sim = start(simulator());
    ChannelAdapter adapter = adapter(sim.baseUri(), MAPPING);

    List<Outcome> outcomes = deliver(adapter, "B1", EVERY_KIND);

    assertThat(outcomes).allSatisfy(o -> assertThat(classify(adapter, o)).isEqualTo(Action.ACK));
    Map<CellKey, CellValue> held = sim.state(PROPERTY);
    Map<CellKey, CellValues> expected = new TreeMap<>();
    for (CellRange r : EVERY_KIND) {
      ChannelMapping.Codes codes = JsonAdapters.codes(MAPPING, r);
      for (LocalDate d = r.from(); !d.isAfter(r.to()); d = d.plusDays(1)) {
        expected.put(new CellKey(codes.room(), codes.ratePlan(), d), r.values());
      }
    }
    assertThat(held.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((key, values) -> assertHolds(key, held.get(key), values));
    assertThat(sim.stats().doubleApplications()).isZero();
  }

  @Test
  void theReaderReadsBackWhatWasWrittenInPmsCodes() {
    SimChannel sim = start(simulator());
    ChannelAdapter adapter = adapter(sim.baseUri(), MAPPING);
    if (adapter.reader().isEmpty()) {
      return; // nothing to read with: the channel cannot be reconciled (docs/channels.md)
    }
    deliver(adapter, "B1", EVERY_KIND);
    ChannelAdapter.Reader reader = adapter.reader().get();

    List<Response> responses = new ArrayList<>();
    for (Request r : reader.requests(PROPERTY, DAY, DAY.plusDays(10))) {
      Response response = send(r, null);
      assertThat(classify(adapter, adapter.decode(response))).isEqualTo(Action.ACK);
      responses.add(response);
    }
    ChannelAdapter.Snapshot snapshot = reader.snapshot(PROPERTY, responses);

    assertThat(snapshot.unmapped()).isEmpty();
    Map<String, CellValues> read = new TreeMap<>();
    for (Cell c : snapshot.cells()) {
      read.put(c.roomType() + "/" + c.ratePlan() + "/" + c.date(), c.values());
    }
    Map<String, CellValues> written = new TreeMap<>();
    for (CellRange r : EVERY_KIND) {
      for (LocalDate d = r.from(); !d.isAfter(r.to()); d = d.plusDays(1)) {
        written.put(r.roomType() + "/" + r.ratePlan() + "/" + d, r.values());
      }
    }
    assertThat(read.keySet()).isEqualTo(written.keySet());
    written.forEach(
        (k, v) -> {
          CellValues got = read.get(k);
          assertThat(got.availability()).as(k).isEqualTo(v.availability());
          if (v.rate() != null) {
            assertThat(got.rate().amount()).as(k).isEqualByComparingTo(v.rate().amount());
          }
          if (v.restrictions() != null) {
            assertThat(got.restrictions()).as(k).isEqualTo(v.restrictions());
          }
        });
  }

  @Test
  void everyRangeTravelsInAPartAndEncodingIsDeterministic() {
    ChannelAdapter adapter = adapter(URI.create("http://127.0.0.1:9"), MAPPING);

    List<ChannelAdapter.Part> parts = adapter.encode("B1", PROPERTY, EVERY_KIND);
    List<ChannelAdapter.Part> again = adapter.encode("B1", PROPERTY, EVERY_KIND);

    assertThat(parts).isNotEmpty();
    Set<Integer> carried = new TreeSet<>();
    for (ChannelAdapter.Part p : parts) {
      assertThat(p.ranges()).isNotEmpty().allSatisfy(i -> assertThat(i).isBetween(0, 4));
      assertThat(adapter.endpoints()).contains(p.endpoint());
      carried.addAll(p.ranges());
    }
    assertThat(carried).containsExactlyElementsOf(IntStream.range(0, 5).boxed().toList());
    assertThat(again).hasSameSizeAs(parts);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(again.get(i).ranges()).isEqualTo(parts.get(i).ranges());
      assertThat(again.get(i).request().uri()).isEqualTo(parts.get(i).request().uri());
      assertThat(again.get(i).request().body()).isEqualTo(parts.get(i).request().body());
    }
    assertThat(adapter.defaultQuotas().keySet()).isSubsetOf(adapter.endpoints());
  }

  @Test
  void theEstimatedSizeOfARangeIsWithinAFactorOfTwoOfTheBytesItAdds() {
    ChannelAdapter adapter = adapter(URI.create("http://127.0.0.1:9"), MAPPING);
    List<CellRange> base = new ArrayList<>(EVERY_KIND);
    for (CellRange extra :
        List.of(
            range("SGL", null, 9, 12, new CellValues(null, 7, null)),
            range("DBL", "BAR", 9, 9, CellValues.ofRate(Rate.of("150.00", "EUR"))),
            range(
                "DBL",
                "NRF",
                9,
                20,
                new CellValues(null, null, new Restrictions(3, 7, true, false, true))))) {
      List<CellRange> more = new ArrayList<>(base);
      more.add(extra);
      long added =
          bytes(adapter.encode("B1", PROPERTY, more)) - bytes(adapter.encode("B1", PROPERTY, base));
      long estimate = adapter.estimateSize(extra);
      assertThat(estimate).as("estimate for %s, adds %d bytes", extra, added).isPositive();
      assertThat((double) estimate)
          .as("estimate for %s, which adds %d bytes", extra, added)
          .isBetween(added / 2.0, added * 2.0);
    }
  }

  private static long bytes(List<ChannelAdapter.Part> parts) {
    return parts.stream().mapToLong(p -> p.request().body().length).sum();
  }

  @Test
  void aRateUnderTheFloorIsAValidationDeadLetterNamingItsRange() {
    SimChannel sim = start(simulator().withRateFloor(new BigDecimal("50")));
    ChannelAdapter adapter = adapter(sim.baseUri(), MAPPING);
    List<CellRange> ranges =
        List.of(
            range("DBL", "BAR", 0, 0, CellValues.ofRate(Rate.of("120.00", "EUR"))),
            range("DBL", "BAR", 1, 1, CellValues.ofRate(Rate.of("10.00", "EUR"))),
            range("DBL", "BAR", 2, 2, CellValues.ofRate(Rate.of("130.00", "EUR"))));

    List<ChannelAdapter.Part> parts = adapter.encode("B1", PROPERTY, ranges);
    ChannelAdapter.Part carrier =
        parts.stream().filter(p -> p.ranges().contains(1)).findFirst().orElseThrow();
    Outcome outcome =
        adapter.decode(
            send(
                carrier.request(),
                ChannelAdapter.partKey("B1", parts.indexOf(carrier), parts.size())));

    assertThat(classify(adapter, outcome)).isEqualTo(Action.deadLetter("validation"));
    assertThat(outcome.fieldErrors()).isNotEmpty();
    Set<Integer> named = new TreeSet<>();
    for (int local : adapter.rangesOf(outcome.fieldErrors())) {
      named.add(carrier.ranges().get(local));
    }
    assertThat(named).containsExactly(1);
  }

  @Test
  void aThrottledAnswerWithoutRetryAfterFallsBackToBackoffAndAnOutageIsRetried() {
    SimConfig.Builder throttled = simulator().withRetryAfterStyle(SimConfig.RetryAfterStyle.ABSENT);
    ChannelAdapter probe = adapter(URI.create("http://127.0.0.1:9"), MAPPING);
    for (String endpoint : probe.endpoints()) {
      throttled.withQuota(endpoint, "1/1m");
    }
    SimChannel sim = start(throttled);
    ChannelAdapter adapter = adapter(sim.baseUri(), MAPPING);
    List<CellRange> one = List.of(range("DBL", null, 0, 0, new CellValues(null, 1, null)));
    ChannelAdapter.Part part = adapter.encode("B1", PROPERTY, one).get(0);

    Outcome first = adapter.decode(send(part.request(), "B1"));
    Outcome second = adapter.decode(send(part.request(), "B2"));
    sim.setOutage(true);
    Outcome down = adapter.decode(send(part.request(), "B3"));

    assertThat(classify(adapter, first)).isEqualTo(Action.ACK);
    assertThat(second.status()).isEqualTo(429);
    assertThat(classify(adapter, second)).isEqualTo(Action.RETRY_AFTER);
    assertThat(second.headers().first("Retry-After")).isEmpty();
    assertThat(classify(adapter, down).kind()).isIn(Action.Kind.RETRY, Action.Kind.RETRY_AFTER);
  }

  @Test
  void aRangeWithoutChannelCodesIsRefusedBeforeAnythingIsSent() {
    ChannelAdapter adapter = adapter(URI.create("http://127.0.0.1:9"), MAPPING);
    CellRange unmapped = range("SUI", null, 0, 0, CellValues.ofAvailability(1));

    assertThatThrownBy(() -> adapter.encode("B1", PROPERTY, List.of(unmapped)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SUI");
  }

  private static void assertHolds(CellKey key, CellValue held, CellValues sent) {
    assertThat(held).as("%s", key).isNotNull();
    assertThat(held.availability()).as("availability of %s", key).isEqualTo(sent.availability());
    if (sent.rate() != null) {
      assertThat(held.rate()).as("rate of %s", key).isEqualByComparingTo(sent.rate().amount());
    } else {
      assertThat(held.rate()).as("rate of %s", key).isNull();
    }
    Restrictions r = sent.restrictions() == null ? Restrictions.none() : sent.restrictions();
    assertThat(held.minLos()).as("minLos of %s", key).isEqualTo(r.minLos());
    assertThat(held.maxLos()).as("maxLos of %s", key).isEqualTo(r.maxLos());
    assertThat(held.closed()).as("closed of %s", key).isEqualTo(r.closed());
    assertThat(held.closedToArrival()).as("CTA of %s", key).isEqualTo(r.closedToArrival());
    assertThat(held.closedToDeparture()).as("CTD of %s", key).isEqualTo(r.closedToDeparture());
  }
}
