package dev.paritysync.hotel.ota;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import javax.xml.stream.XMLOutputFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the ranges of one hotel as OpenTravel 2015A notifications: {@code OTA_HotelAvailNotifRQ}
 * for availability and restrictions, {@code OTA_HotelRateAmountNotifRQ} for rates, split into as
 * many requests as the size cap needs.
 *
 * <h2>What a range becomes</h2>
 *
 * Every range is addressed by a {@code StatusApplicationControl} with {@code Start} and {@code End}
 * (both inclusive dates), {@code InvTypeCode} (the channel's room code) and, for a rate-plan range,
 * {@code RatePlanCode} (the channel's rate code), both from the {@link ChannelMapping}.
 *
 * <ul>
 *   <li>availability: {@code <AvailStatusMessage BookingLimit="n"
 *       BookingLimitMessageType="SetLimit">};
 *   <li>minimum and maximum length of stay: {@code <LengthsOfStay><LengthOfStay
 *       MinMaxMessageType="SetMinLOS|SetMaxLOS" Time="n" TimeUnit="Day"/></LengthsOfStay>};
 *   <li>closed, closed to arrival, closed to departure: {@code <RestrictionStatus
 *       Restriction="Master|Arrival|Departure" Status="Close|Open"/>} (false is sent as {@code
 *       Open}: the PMS opened it);
 *   <li>a rate: {@code <RateAmountMessage>…<Rates><Rate><BaseByGuestAmts><BaseByGuestAmt
 *       AmountAfterTax="120.00" CurrencyCode="EUR" NumberOfGuests="2"/>}. The ARI model has one
 *       rate per cell and no occupancy, so the rate is sent for {@link Builder#withOccupancy the
 *       configured occupancy} (default {@value #DEFAULT_OCCUPANCY} guests) and the amount is taken
 *       as tax-inclusive.
 * </ul>
 *
 * A null component of {@link CellValues} or {@link Restrictions} is not sent.
 *
 * <h2>What the schema demands (learnt from the 2015A XSDs)</h2>
 *
 * <ul>
 *   <li>{@code Version} (an {@code xs:decimal}) is the only required attribute of the root ({@code
 *       OTA_PayloadStdAttributes}); {@code EchoToken} is {@code StringLength1to128}, {@code
 *       TimeStamp} an {@code xs:dateTime}.
 *   <li>Every element is in the namespace {@value #NAMESPACE} ({@code elementFormDefault=
 *       "qualified"}); attributes are unqualified.
 *   <li>Root children in order: {@code POS}, {@code UniqueID}, then {@code AvailStatusMessages} or
 *       {@code RateAmountMessages}, which carry {@code HotelCode} ({@code StringLength1to16}) and
 *       at least one message.
 *   <li>{@code AvailStatusMessage} children in order: {@code StatusApplicationControl}, {@code
 *       LengthsOfStay}, {@code BestAvailableRates}, {@code HurdleRate}, {@code Delta}, {@code
 *       UniqueID}, {@code RestrictionStatus}; each at most once. So one message holds at most one
 *       {@code RestrictionStatus}: a range closed to arrival and to departure takes one {@code
 *       AvailStatusMessage} per restriction, all with the same {@code StatusApplicationControl}.
 *       {@code BookingLimit} is a {@code nonNegativeInteger} attribute of the message.
 *   <li>{@code InvTypeCode} is {@code StringLength1to16}, {@code RatePlanCode} {@code
 *       StringLength1to64}; {@code Start}/{@code End} take a date, a time or a dateTime.
 *   <li>{@code RateAmountMessage}: {@code StatusApplicationControl} then {@code Rates/Rate}; in a
 *       {@code Rate}, {@code BaseByGuestAmts} comes first. {@code AmountAfterTax} is {@code Money}
 *       (at most 3 fraction digits), {@code CurrencyCode} three letters, {@code NumberOfGuests}
 *       1-999.
 * </ul>
 *
 * <h2>Business rules</h2>
 *
 * Checked on every call, failing with {@link IllegalArgumentException} naming the culprit: all
 * ranges belong to one property (one {@code HotelCode} per request); no two ranges with the same
 * {@code InvTypeCode}/{@code RatePlanCode} overlap; every code is mapped and fits the schema; every
 * range carries something to send. Requests are filled in a deterministic order (room type, rate
 * plan, date) up to {@link Builder#withMaxRangesPerRequest a number of ranges} (default: no limit)
 * and {@link Builder#withMaxBytes the size cap} (default {@value #DEFAULT_MAX_BYTES} bytes), so
 * retries of a batch produce the same requests and the same tokens.
 *
 * <h2>EchoToken</h2>
 *
 * The batch's idempotency key, kept verbatim when it is at most 100 printable ASCII characters and
 * replaced by {@code sha256:<base64url of its SHA-256>} otherwise, followed by {@code /A1}, {@code
 * /A2}… for availability requests and {@code /R1}… for rate requests: each request of a batch is
 * its own exchange, so each needs its own stable key. Never longer than 128 characters. The caller
 * may choose the keys instead ({@link #encode(List, BiFunction)}): the {@code ota} adapter gives
 * request {@code i} of {@code n} the engine's part key, so body and header carry the same key.
 *
 * <p>Immutable and thread-safe.
 */
public final class OtaEncoder {
  /** The OpenTravel namespace of every element. */
  public static final String NAMESPACE = "http://www.opentravel.org/OTA/2003/05";

  /** The default size cap of one request body, in bytes. */
  public static final long DEFAULT_MAX_BYTES = 2_000_000;

  /** The default number of guests a rate is sent for. */
  public static final int DEFAULT_OCCUPANCY = 2;

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  private static final String LONGEST_TOKEN = "x".repeat(EchoTokens.MAX_LENGTH);
  private static final Comparator<CellRange> ORDER =
      Comparator.comparing(CellRange::roomType)
          .thenComparing(CellRange::ratePlan, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(CellRange::from);

  private final Clock clock;
  private final ChannelMapping mapping;
  private final Map<String, String> hotelCodes;
  private final long maxBytes;
  private final int maxRanges;
  private final OtaWriter writer;
  private final boolean withTimeStamp;

  private OtaEncoder(Builder b) {
    this.withTimeStamp = b.withTimeStamp;
    this.clock = b.clock;
    this.mapping = b.mapping;
    this.hotelCodes = Map.copyOf(b.hotelCodes);
    this.maxBytes = b.maxBytes;
    this.maxRanges = b.maxRanges;
    this.writer =
        new OtaWriter(
            b.version == null ? "4.000" : b.version,
            b.version == null ? "5.000" : b.version,
            b.occupancy);
  }

  /**
   * A builder reading {@code TimeStamp} from {@code clock} and channel codes from {@code mapping}.
   */
  public static Builder builder(Clock clock, ChannelMapping mapping) {
    return new Builder(clock, mapping);
  }

  /**
   * The requests that carry {@code ranges}: availability requests first, then rate requests, each
   * at most the size cap. Empty for no ranges.
   *
   * @param ranges the ranges of one property
   * @param idempotencyKey the batch's idempotency key
   * @throws IllegalArgumentException when a business rule in the class documentation is broken, or
   *     one range alone does not fit the size cap
   */
  public List<OtaRequest> encode(List<CellRange> ranges, String idempotencyKey) {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    return encode(
        ranges,
        (kind, kindIndex, index, count) ->
            EchoTokens.token(
                idempotencyKey,
                (kind == OtaRequest.Kind.AVAIL_NOTIF ? "A" : "R") + (kindIndex + 1)));
  }

  /**
   * The requests that carry {@code ranges}, as {@link #encode(List, String)}, but request {@code i}
   * of {@code n} carries the {@code EchoToken} {@code keys.apply(i, n)} — e.g. the engine's
   * idempotency key of each part of a batch — fitted to the schema: kept as it is when it is 1-128
   * printable ASCII characters, else {@code sha256:} and the base64url SHA-256 of its UTF-8 bytes.
   *
   * @throws IllegalArgumentException as {@link #encode(List, String)}
   */
  public List<OtaRequest> encode(
      List<CellRange> ranges, BiFunction<Integer, Integer, String> keys) {
    Objects.requireNonNull(keys, "keys");
    return encode(
        ranges, (kind, kindIndex, index, count) -> EchoTokens.fit(keys.apply(index, count)));
  }

  /** Chooses the {@code EchoToken} of each request once the requests are known. */
  private interface Tokens {
    String token(OtaRequest.Kind kind, int kindIndex, int index, int count);
  }

  private List<OtaRequest> encode(List<CellRange> ranges, Tokens tokens) {
    if (ranges.isEmpty()) {
      return List.of();
    }
    String property = ranges.get(0).property();
    String hotelCode = hotelCodes.getOrDefault(property, property);
    checkLength("HotelCode", hotelCode, 16, "property " + property);
    List<CellRange> sorted = new ArrayList<>(ranges);
    sorted.sort(ORDER);
    List<OtaWriter.Part> avail = new ArrayList<>();
    List<OtaWriter.Part> rates = new ArrayList<>();
    Map<List<String>, List<CellRange>> byCodes = new HashMap<>();
    for (CellRange r : sorted) {
      if (!r.property().equals(property)) {
        throw new IllegalArgumentException(
            "one request carries one hotel, but ranges name properties "
                + property
                + " and "
                + r.property()
                + ": "
                + r);
      }
      OtaWriter.Part part = part(r);
      byCodes
          .computeIfAbsent(Arrays.asList(part.inv(), part.plan()), k -> new ArrayList<>())
          .add(r);
      if (part.hasAvail()) {
        avail.add(part);
      }
      if (r.values().rate() != null) {
        rates.add(part);
      }
    }
    byCodes.forEach(OtaEncoder::checkNoOverlap);
    String timeStamp = withTimeStamp ? TIMESTAMP.format(clock.instant()) : null;
    XMLOutputFactory factory = XMLOutputFactory.newDefaultFactory();
    List<Group> groups = new ArrayList<>();
    pack(factory, OtaRequest.Kind.AVAIL_NOTIF, avail, hotelCode, timeStamp, groups);
    pack(factory, OtaRequest.Kind.RATE_AMOUNT_NOTIF, rates, hotelCode, timeStamp, groups);
    List<OtaRequest> out = new ArrayList<>(groups.size());
    int[] perKind = new int[OtaRequest.Kind.values().length];
    for (int i = 0; i < groups.size(); i++) {
      Group g = groups.get(i);
      String token = tokens.token(g.kind(), perKind[g.kind().ordinal()]++, i, groups.size());
      out.add(request(factory, g.kind(), hotelCode, token, timeStamp, g.parts()));
    }
    return List.copyOf(out);
  }

  /** The parts of one request, before its token is chosen. */
  private record Group(OtaRequest.Kind kind, List<OtaWriter.Part> parts) {}

  /**
   * The exact number of bytes {@code range} adds to the requests that carry it (both kinds
   * together), envelopes not counted: a size function for {@link
   * dev.paritysync.hotel.batch.RangeCompressor} that matches what {@link #encode} writes.
   *
   * @throws IllegalArgumentException when the range alone breaks a rule {@link #encode} checks
   */
  public long sizeOf(CellRange range) {
    OtaWriter.Part part = part(range);
    XMLOutputFactory factory = XMLOutputFactory.newDefaultFactory();
    long size = 0;
    if (part.hasAvail()) {
      size += writer.sizes(factory, OtaRequest.Kind.AVAIL_NOTIF, List.of(part))[0];
    }
    if (range.values().rate() != null) {
      size += writer.sizes(factory, OtaRequest.Kind.RATE_AMOUNT_NOTIF, List.of(part))[0];
    }
    return size;
  }

  /** The size cap of one request body, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  private void pack(
      XMLOutputFactory factory,
      OtaRequest.Kind kind,
      List<OtaWriter.Part> parts,
      String hotelCode,
      @Nullable String timeStamp,
      List<Group> out) {
    if (parts.isEmpty()) {
      return;
    }
    long overhead =
        writer.write(factory, kind, hotelCode, LONGEST_TOKEN, timeStamp, List.of()).length;
    long[] sizes = writer.sizes(factory, kind, parts);
    List<OtaWriter.Part> current = new ArrayList<>();
    long size = overhead;
    for (int i = 0; i < parts.size(); i++) {
      if (overhead + sizes[i] > maxBytes) {
        throw new IllegalArgumentException(
            "range needs "
                + (overhead + sizes[i])
                + " bytes in an "
                + kind.requestElement()
                + ", more than the size cap of "
                + maxBytes
                + ": "
                + parts.get(i).range());
      }
      if (size + sizes[i] > maxBytes || current.size() == maxRanges) {
        out.add(new Group(kind, current));
        current = new ArrayList<>();
        size = overhead;
      }
      current.add(parts.get(i));
      size += sizes[i];
    }
    out.add(new Group(kind, current));
  }

  private OtaRequest request(
      XMLOutputFactory factory,
      OtaRequest.Kind kind,
      String hotelCode,
      String token,
      @Nullable String timeStamp,
      List<OtaWriter.Part> parts) {
    byte[] body = writer.write(factory, kind, hotelCode, token, timeStamp, parts);
    if (body.length > maxBytes) {
      // The packer measured every part with the same writer; this would be a bug, not bad input.
      throw new IllegalStateException(
          kind.requestElement() + " came out at " + body.length + " bytes, over " + maxBytes);
    }
    return new OtaRequest(
        kind, hotelCode, token, body, parts.stream().map(OtaWriter.Part::range).toList());
  }

  private static void checkRate(CellRange r) {
    Rate rate = r.values().rate();
    if (rate == null
        || rate.amount() == null
        || rate.currency() == null
        || !rate.currency().matches("[A-Za-z]{3}")) {
      throw new IllegalArgumentException(
          "rate needs an amount and a three-letter CurrencyCode: " + r);
    }
    if (rate.amount().signum() < 0 || rate.amount().stripTrailingZeros().scale() > 3) {
      throw new IllegalArgumentException(
          "AmountAfterTax must be ≥ 0 with at most 3 fraction digits, was "
              + rate.amount().toPlainString()
              + ": "
              + r);
    }
  }

  /** One range with its channel codes, after the checks that need no other range. */
  private OtaWriter.Part part(CellRange r) {
    String inv = mapped(mapping.rooms(), r.roomType(), "room type", r);
    checkLength("InvTypeCode", inv, 16, "room type " + r.roomType());
    String plan =
        r.ratePlan() == null ? null : mapped(mapping.ratePlans(), r.ratePlan(), "rate plan", r);
    if (plan != null) {
      checkLength("RatePlanCode", plan, 64, "rate plan " + r.ratePlan());
    }
    OtaWriter.Part part = new OtaWriter.Part(r, inv, plan);
    boolean avail = part.hasAvail();
    if (r.values().rate() != null) {
      if (plan == null) {
        throw new IllegalArgumentException("a rate needs a rate plan: " + r);
      }
      checkRate(r);
    } else if (!avail) {
      throw new IllegalArgumentException("range carries nothing to send: " + r);
    }
    return part;
  }

  /** Two PMS codes may map to one channel code, so overlap is checked on the channel's codes. */
  private static void checkNoOverlap(List<String> codes, List<CellRange> ranges) {
    ranges.sort(Comparator.comparing(CellRange::from));
    for (int i = 1; i < ranges.size(); i++) {
      CellRange previous = ranges.get(i - 1);
      CellRange r = ranges.get(i);
      if (!previous.to().isBefore(r.from())) {
        throw new IllegalArgumentException(
            "ranges overlap on InvTypeCode "
                + codes.get(0)
                + (codes.get(1) == null ? "" : " RatePlanCode " + codes.get(1))
                + ": "
                + previous
                + " and "
                + r);
      }
    }
  }

  private static String mapped(Map<String, String> codes, String code, String what, CellRange r) {
    String mapped = codes.get(code);
    if (mapped == null) {
      throw new IllegalArgumentException(
          what + " " + code + " has no channel code in the mapping: " + r);
    }
    return mapped;
  }

  private static void checkLength(String attribute, String value, int max, String source) {
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException(
          attribute
              + " must have 1-"
              + max
              + " characters, but "
              + source
              + " maps to '"
              + value
              + "' ("
              + value.length()
              + ")");
    }
  }

  /** Configures an {@link OtaEncoder}; {@link #build()} copies the settings. Not thread-safe. */
  public static final class Builder {
    private final Clock clock;
    private final ChannelMapping mapping;
    private final Map<String, String> hotelCodes = new HashMap<>();
    private long maxBytes = DEFAULT_MAX_BYTES;
    private int maxRanges = Integer.MAX_VALUE;
    private int occupancy = DEFAULT_OCCUPANCY;
    private @Nullable String version;
    private boolean withTimeStamp = true;

    private Builder(Clock clock, ChannelMapping mapping) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * The channel's {@code HotelCode} for each PMS property code; a property not listed is sent
     * under its own code (default: none listed).
     */
    public Builder withHotelCodes(Map<String, String> codes) {
      codes.forEach(
          (property, hotel) -> {
            Objects.requireNonNull(property, "property");
            checkLength(
                "HotelCode",
                Objects.requireNonNull(hotel, "hotel code"),
                16,
                "property " + property);
          });
      hotelCodes.putAll(codes);
      return this;
    }

    /**
     * The most ranges one request carries (default: no limit), for channels that cap the number of
     * messages; a range of availability and restrictions counts once however many {@code
     * AvailStatusMessage}s it takes.
     */
    Builder withMaxRangesPerRequest(int ranges) {
      if (ranges < 1) {
        throw new IllegalArgumentException("maxRangesPerRequest must be ≥ 1, was " + ranges);
      }
      this.maxRanges = ranges;
      return this;
    }

    /** The size cap of one request body in bytes (default {@value #DEFAULT_MAX_BYTES}). */
    public Builder withMaxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBytes must be ≥ 1, was " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * The {@code NumberOfGuests} rates are sent for, 1-999 (default {@value #DEFAULT_OCCUPANCY}).
     */
    public Builder withOccupancy(int guests) {
      if (guests < 1 || guests > 999) {
        throw new IllegalArgumentException("occupancy must be 1-999, was " + guests);
      }
      this.occupancy = guests;
      return this;
    }

    /**
     * The {@code Version} attribute, a decimal (default: the schema's message version, {@code
     * 4.000} for {@code OTA_HotelAvailNotifRQ} and {@code 5.000} for {@code
     * OTA_HotelRateAmountNotifRQ}).
     */
    Builder withVersion(String version) {
      try {
        new BigDecimal(Objects.requireNonNull(version, "version"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Version must be a decimal, was '" + version + "'");
      }
      this.version = version;
      return this;
    }

    /**
     * Whether the root carries {@code TimeStamp}, the time of encoding (default true). Without it
     * the same ranges always encode to the same bytes, which a channel that compares a retried body
     * with the first one under the same {@code EchoToken} needs; {@code TimeStamp} is optional in
     * the schema.
     */
    public Builder withTimeStamp(boolean stamp) {
      this.withTimeStamp = stamp;
      return this;
    }

    /** An encoder with the settings so far; the builder may be reused. */
    public OtaEncoder build() {
      return new OtaEncoder(this);
    }
  }
}
