package dev.paritysync.hotel.adapter;

import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.ota.OtaEncoder;
import dev.paritysync.hotel.ota.OtaErrorCodes;
import dev.paritysync.hotel.ota.OtaRequest;
import dev.paritysync.hotel.ota.OtaResponseDecoder;
import java.net.URI;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenTravel 2015A XML dialect ({@code adapter: ota}).
 *
 * <p>A batch becomes availability-and-restriction parts ({@code OTA_HotelAvailNotifRQ}, POSTed to
 * {@code {base}}{@value #AVAIL_PATH}) followed by rate parts ({@code OTA_HotelRateAmountNotifRQ},
 * to {@code {base}}{@value #RATE_PATH}), each further split so no body exceeds the size cap
 * (default {@value OtaEncoder#DEFAULT_MAX_BYTES} bytes). A range with availability or restrictions
 * and a rate travels in one part of each kind. Part {@code i} of {@code n} carries {@link
 * ChannelAdapter#partKey partKey(batchKey, i, n)} as its {@code EchoToken} (verbatim when it is at
 * most 128 printable ASCII characters, else {@code sha256:} and its hash), the same key the engine
 * sends as {@code Idempotency-Key}. Bodies carry no {@code TimeStamp}, so a retry sends the same
 * bytes. What each range becomes, and the schema and business rules every message keeps (one hotel,
 * no overlapping ranges, the size cap), are {@link OtaEncoder}'s.
 *
 * <p>Answers: {@code Success} (with or without {@code Warnings}) acknowledges; {@code Errors} —
 * also inside an HTTP 200 — and SOAP faults become the outcome's error code ({@link
 * OtaResponseDecoder}): the first error's {@code Code} (or {@code type:<Type>}, or {@code
 * soap:<fault>}), routed by {@link #classification()}, the core defaults plus {@link
 * OtaErrorCodes}' rows plus the channel's {@code options.errorCodes}. Every {@code Error} becomes a
 * field error whose path is its {@code RecordID}; {@link #rangesOf} reads a numeric {@code
 * RecordID} {@code k} as the part's {@code k}-th range (1-based): the messages of one range share
 * their {@code StatusApplicationControl}, and a receiver that numbers records by it — as the
 * simulator does — names ranges exactly.
 *
 * <p>Immutable and thread-safe.
 */
public final class OtaAdapter implements ChannelAdapter {
  /** Where availability and restriction messages go, under the channel's base URL. */
  public static final String AVAIL_PATH = "/ota/OTA_HotelAvailNotif";

  /** Where rate messages go, under the channel's base URL. */
  public static final String RATE_PATH = "/ota/OTA_HotelRateAmountNotif";

  private static final String XML = "application/xml";

  private final URI avail;
  private final URI rates;
  private final OtaEncoder encoder;
  private final OtaErrorCodes codes;
  private final OtaResponseDecoder decoder;

  private OtaAdapter(Builder b) {
    this.avail = b.base.resolve(AVAIL_PATH);
    this.rates = b.base.resolve(RATE_PATH);
    OtaEncoder.Builder e =
        OtaEncoder.builder(NO_TIME, b.mapping)
            .withMaxBytes(b.maxBytes)
            .withOccupancy(b.occupancy)
            .withHotelCodes(b.hotelCodes)
            .withTimeStamp(false);
    this.encoder = e.build();
    this.codes = b.codes;
    this.decoder = new OtaResponseDecoder(codes);
  }

  /** Bodies carry no {@code TimeStamp}, so the encoder never reads the clock. */
  private static final Clock NO_TIME =
      new Clock() {
        @Override
        public java.time.Instant instant() {
          throw new IllegalStateException("the ota adapter writes no TimeStamp");
        }

        @Override
        public long nanoTime() {
          throw new IllegalStateException("the ota adapter writes no TimeStamp");
        }
      };

  /** A builder for the channel at {@code base}, translating codes with {@code mapping}. */
  public static Builder builder(URI base, ChannelMapping mapping) {
    return new Builder(base, mapping);
  }

  /**
   * The adapter {@code config} describes: its base URL and mapping, and from its {@code options}
   * block {@code maxMessageBytes} (the size cap), {@code occupancy} ({@code NumberOfGuests} of
   * rates), {@code hotelCodes} (property → {@code HotelCode}) and {@code errorCodes} (OpenTravel
   * code, {@code type:<EWT>} or {@code soap:<fault>} → action).
   *
   * @throws IllegalArgumentException naming the key ({@code channels.<name>.options.<key>}) of a
   *     bad or unknown option
   */
  public static OtaAdapter fromConfig(ChannelConfig config) {
    ConfigMap o =
        config.options().allow("maxMessageBytes", "occupancy", "hotelCodes", "errorCodes");
    Builder b = builder(config.baseUrl(), config.mapping());
    if (o.has("maxMessageBytes")) {
      b.withMaxBytes(o.positiveSize("maxMessageBytes", 1)); // a positive size: nothing to refuse
    }
    if (o.has("occupancy")) {
      int occupancy = o.positiveInt("occupancy", 1);
      checked(o, "occupancy", () -> b.withOccupancy(occupancy));
    }
    Map<String, String> hotelCodes = o.texts("hotelCodes");
    checked(o, "hotelCodes", () -> b.withHotelCodes(hotelCodes));
    if (o.has("errorCodes")) {
      Map<String, String> errorCodes = o.texts("errorCodes");
      checked(o, "errorCodes", () -> b.withErrorCodes(OtaErrorCodes.fromConfig(errorCodes)));
    }
    return b.build();
  }

  /** Runs {@code set}, putting the key path of option {@code key} before its error. */
  private static void checked(ConfigMap options, String key, Runnable set) {
    try {
      set.run();
    } catch (IllegalArgumentException e) {
      throw options.error(key, String.valueOf(e.getMessage()));
    }
  }

  @Override
  public List<Part> encode(String batchKey, String property, List<CellRange> ranges) {
    Objects.requireNonNull(batchKey, "batchKey");
    Map<CellRange, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < ranges.size(); i++) {
      CellRange r = ranges.get(i);
      if (!r.property().equals(property)) {
        throw new IllegalArgumentException(
            "range of property " + r.property() + " in a batch of property " + property + ": " + r);
      }
      index.put(r, i);
    }
    List<OtaRequest> requests =
        encoder.encode(ranges, (i, n) -> ChannelAdapter.partKey(batchKey, i, n));
    List<Part> parts = new ArrayList<>(requests.size());
    for (OtaRequest r : requests) {
      URI uri = r.kind() == OtaRequest.Kind.AVAIL_NOTIF ? avail : rates;
      List<Integer> carried = new ArrayList<>(r.ranges().size());
      for (CellRange range : r.ranges()) {
        carried.add(index.get(range));
      }
      parts.add(new Part(Request.post(uri, XML, r.body()), carried, DEFAULT_ENDPOINT));
    }
    return List.copyOf(parts);
  }

  /** The exact bytes the range adds to the messages that carry it, both kinds together. */
  @Override
  public long estimateSize(CellRange range) {
    return encoder.sizeOf(range);
  }

  @Override
  public Outcome decode(Response response) {
    return decoder.decode(response);
  }

  /**
   * A numeric {@code RecordID} {@code k} (the path of the field error) names the part's range
   * {@code k - 1}; when any error names no range this way, the whole part is rejected (empty).
   */
  @Override
  public Set<Integer> rangesOf(List<FieldError> errors) {
    Set<Integer> out = new TreeSet<>();
    for (FieldError e : errors) {
      int k;
      try {
        k = Integer.parseInt(e.path().trim());
      } catch (NumberFormatException notARecord) {
        return Set.of();
      }
      if (k < 1) {
        return Set.of();
      }
      out.add(k - 1);
    }
    return out;
  }

  /**
   * The core defaults with {@link OtaErrorCodes}' default rows and the channel's {@code
   * options.errorCodes} added; the channel's {@code resilience.classification} rows go on top.
   */
  @Override
  public ClassificationTable classification() {
    return codes.table();
  }

  /** Configures an {@link OtaAdapter}; {@link #build()} copies the settings. Not thread-safe. */
  public static final class Builder {
    private final URI base;
    private final ChannelMapping mapping;
    private long maxBytes = OtaEncoder.DEFAULT_MAX_BYTES;
    private int occupancy = OtaEncoder.DEFAULT_OCCUPANCY;
    private final Map<String, String> hotelCodes = new LinkedHashMap<>();
    private OtaErrorCodes codes = OtaErrorCodes.defaults();

    private Builder(URI base, ChannelMapping mapping) {
      this.base = Objects.requireNonNull(base, "base");
      this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * The size cap of one message body in bytes (default {@value OtaEncoder#DEFAULT_MAX_BYTES}).
     */
    public Builder withMaxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("must be ≥ 1 byte, was " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * The {@code NumberOfGuests} rates are sent for (default {@value
     * OtaEncoder#DEFAULT_OCCUPANCY}).
     */
    public Builder withOccupancy(int guests) {
      if (guests < 1 || guests > 999) {
        throw new IllegalArgumentException("must be 1-999, was " + guests);
      }
      this.occupancy = guests;
      return this;
    }

    /**
     * The channel's {@code HotelCode} per PMS property (default: the property's own code).
     *
     * @throws IllegalArgumentException naming the property when a code does not fit the schema
     */
    public Builder withHotelCodes(Map<String, String> codes) {
      OtaEncoder.builder(NO_TIME, mapping).withHotelCodes(codes); // checks each code now
      hotelCodes.putAll(codes);
      return this;
    }

    /** How OpenTravel errors route (default {@link OtaErrorCodes#defaults()}). */
    Builder withErrorCodes(OtaErrorCodes codes) {
      this.codes = Objects.requireNonNull(codes, "codes");
      return this;
    }

    /** An adapter with the settings so far; the builder may be reused. */
    public OtaAdapter build() {
      return new OtaAdapter(this);
    }
  }
}
