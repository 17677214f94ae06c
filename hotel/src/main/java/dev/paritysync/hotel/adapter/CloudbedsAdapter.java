package dev.paritysync.hotel.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The Cloudbeds OTA Build-To-Us dialect: paritysync plays the channel manager and sends {@code POST
 * {base}/ARIUpdate} to the channel (the OTA), as the published OpenAPI contract ({@code
 * ota-build-to-us-v5.3-openapi.yaml}) describes.
 *
 * <p>One request per batch, one {@code Inventory} row per range, in the order given:
 *
 * <pre>{@code
 * POST {base}/ARIUpdate?shared_secret=...
 * {"verb":"ARIUpdate","ota_property_id":"H1","ota_property_password":"","ota_property_sub_id":"",
 *  "mya_property_id":123,"guid":"<uuid>","currency":"EUR","ota_cid":"paritysync",
 *  "shared_secret":"...",
 *  "Inventory":[{"ota_room_id":"D1","ota_rate_id":"R1","start_date":"2027-01-01",
 *                "end_date":"2027-01-05","units":3},
 *               {"ota_room_id":"D1","ota_rate_id":"R1","start_date":"2027-01-01",
 *                "end_date":"2027-01-05","rate":"120.00","min_los":2,"max_los":14,
 *                "closearr":false,"closedep":false,"close":false}]}
 * }</pre>
 *
 * <ul>
 *   <li><b>Authentication.</b> The contract's security scheme is an API key in the query ({@code
 *       shared_secret}), and its {@code auth} schema requires the same value in the body, so the
 *       channel's {@code credentials.apiKey.value} goes in both (the engine also sends it in the
 *       configured header). {@code ota_property_password} and {@code ota_property_sub_id} are empty
 *       strings: the contract's value for an OTA without passwords or sub-properties.
 *   <li><b>Identity.</b> {@code ota_property_id} is the property code; {@code mya_property_id}, the
 *       channel manager's own property number, is derived from it ({@link #myaPropertyId}); {@code
 *       ota_cid} is {@code options.otaCid} (default: the channel's name, lower case, letters and
 *       digits only); {@code currency} is {@code options.currency} (required), the connection's
 *       currency, and every rate sent must be in it.
 *   <li><b>Rows.</b> Dates are inclusive on both ends, like a range. A rate-plan range carries its
 *       rate ({@code rate}, a decimal string) and restrictions ({@code min_los}, {@code max_los},
 *       {@code closearr}, {@code closedep}, {@code close}); absent values are left out. Cloudbeds
 *       keeps availability per room, but every row must name a rate: a room-type range carries
 *       {@code units} and, as {@code ota_rate_id}, the smallest channel rate code of the mapping
 *       (the channel applies {@code units} to the room whichever rate the row names).
 *   <li><b>Idempotency.</b> A batch is one request (the contract sets no size limit of its own; the
 *       channel's {@code limits} do). Its idempotency key travels as the engine's {@code
 *       Idempotency-Key} header and, since {@code guid} ("request reference ID") must be a UUID, as
 *       {@code guid}: the key itself when it is a UUID, else a name-based UUID of it — the same on
 *       every retry and resend.
 *   <li><b>Reading.</b> {@link #reader()} uses the contract's {@code GetARI} ({@link
 *       CloudbedsReader}): the contract defines it as a call an OTA makes to Cloudbeds, so only a
 *       channel that serves it (the simulator does) can be read.
 * </ul>
 *
 * <p>Errors: the contract's {@code {"success":false,"errors":[{"id":1102,"msg":"..."}]}} (inside a
 * 200, or with an error status) becomes the error code {@code id} of the first error (an unknown
 * code inside a 200 is a {@code channel_error} dead letter by default) and one field error per
 * error; a message that starts with a row path ({@code Inventory[3].rate: ...}) names that row. A
 * validating server's RFC 9457 problem with {@code validation[].location} (Stoplight Prism: {@code
 * ["body","Inventory","0","units"]}) becomes field errors with paths {@code Inventory[0].units}.
 * {@link #rangesOf} maps {@code Inventory[i]} to range {@code i}.
 *
 * <p>Immutable and thread-safe.
 */
final class CloudbedsAdapter implements ChannelAdapter {
  /** The adapter name a channel's {@code adapter:} key gives. */
  public static final String NAME = "cloudbeds";

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern OTA_CID = Pattern.compile("[a-z0-9]+");
  private static final Pattern PATH = Pattern.compile("Inventory\\[(\\d+)](\\..*)?");
  private static final Pattern MESSAGE_PATH =
      Pattern.compile("(Inventory\\[\\d+](?:\\.[A-Za-z0-9_]+)?): (.*)", Pattern.DOTALL);

  private final URI base;
  private final ChannelMapping mapping;
  private final Secret sharedSecret;
  private final String currency;
  private final String otaCid;
  private final String availabilityRate;

  /**
   * An adapter for the channel at {@code base}.
   *
   * @param mapping PMS codes → the channel's {@code ota_room_id} and {@code ota_rate_id}; needs at
   *     least one rate plan
   * @param sharedSecret the shared secret the channel checks
   * @param currency the connection's ISO 4217 currency
   * @param otaCid the OTA id, lower-case letters and digits
   * @throws IllegalArgumentException naming the bad setting
   */
  public CloudbedsAdapter(
      URI base, ChannelMapping mapping, Secret sharedSecret, String currency, String otaCid) {
    this.base = Objects.requireNonNull(base, "base");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.sharedSecret = Objects.requireNonNull(sharedSecret, "sharedSecret");
    this.currency = Objects.requireNonNull(currency, "currency");
    this.otaCid = Objects.requireNonNull(otaCid, "otaCid");
    if (!CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException(
          "currency: expected an ISO 4217 code such as EUR, got '" + currency + "'");
    }
    if (!OTA_CID.matcher(otaCid).matches()) {
      throw new IllegalArgumentException(
          "otaCid: expected lower-case letters and digits, got '" + otaCid + "'");
    }
    this.availabilityRate =
        new TreeSet<>(mapping.ratePlans().values())
            .stream()
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "mapping.ratePlans: the cloudbeds adapter needs at least one rate plan"
                                + " (every Inventory row names an ota_rate_id)"));
  }

  /**
   * The adapter for {@code config}: {@code credentials.apiKey.value} is the shared secret, {@code
   * options.currency} (required) the connection's currency, {@code options.otaCid} (optional) the
   * OTA id.
   *
   * @throws IllegalArgumentException naming the configuration key at fault
   */
  public static CloudbedsAdapter fromConfig(ChannelConfig config) {
    String at = "channels." + config.name() + ".";
    if (!(config.credentials() instanceof Credentials.ApiKey key)) {
      throw new IllegalArgumentException(
          at + "credentials: the cloudbeds adapter needs apiKey (its value is the shared secret)");
    }
    ConfigMap options = config.options().allow("currency", "otaCid");
    if (!options.has("currency")) {
      throw options.error(
          "currency", "is required (the connection's ISO 4217 currency) for the cloudbeds adapter");
    }
    String c = options.text("currency");
    String otaCid = options.string("otaCid", null);
    if (otaCid == null) {
      otaCid = config.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      if (otaCid.isEmpty()) {
        throw options.error("otaCid", "is required when the channel's name has no letter or digit");
      }
    }
    try {
      return new CloudbedsAdapter(config.baseUrl(), config.mapping(), key.value(), c, otaCid);
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(at + (m.startsWith("mapping.") ? m : "options." + m), e);
    }
  }

  /**
   * The channel manager's property number Cloudbeds would have assigned ({@code mya_property_id},
   * an integer ≥ 1): the property code itself when it is a positive number, else a stable number
   * from 1 to 2,000,000,000 derived from it (CRC-32).
   */
  static long myaPropertyId(String property) {
    if (property.matches("[1-9][0-9]{0,8}")) {
      return Long.parseLong(property);
    }
    CRC32 crc = new CRC32();
    crc.update(property.getBytes(StandardCharsets.UTF_8));
    return 1 + crc.getValue() % 2_000_000_000L;
  }

  @Override
  public List<Part> encode(String batchKey, String property, List<CellRange> ranges) {
    Objects.requireNonNull(batchKey, "batchKey");
    Objects.requireNonNull(property, "property");
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one range");
    }
    ArrayNode inventory = JsonAdapters.JSON.createArrayNode();
    for (CellRange range : ranges) {
      inventory.add(row(range, true));
    }
    ObjectNode root = JsonAdapters.JSON.createObjectNode();
    root.put("verb", "ARIUpdate");
    root.put("ota_property_id", property);
    root.put("ota_property_password", "");
    root.put("ota_property_sub_id", "");
    root.put("mya_property_id", myaPropertyId(property));
    root.put("guid", guid(ChannelAdapter.partKey(batchKey, 0, 1)));
    root.put("currency", currency);
    root.put("ota_cid", otaCid);
    root.put("shared_secret", sharedSecret.reveal());
    root.set("Inventory", inventory);
    return Part.single(
        Request.post(endpoint("ARIUpdate"), "application/json", JsonAdapters.bytes(root)),
        ranges.size());
  }

  /** {@code key} when it is a UUID, else the name-based (version 3) UUID of its UTF-8 bytes. */
  static String guid(String key) {
    try {
      return UUID.fromString(key).toString().toUpperCase(Locale.ROOT);
    } catch (IllegalArgumentException notAUuid) {
      return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8))
          .toString()
          .toUpperCase(Locale.ROOT);
    }
  }

  /** Reads through {@code POST {base}/GetARI} ({@link CloudbedsReader}). */
  @Override
  public Optional<Reader> reader() {
    return Optional.of(new CloudbedsReader(this));
  }

  @Override
  public long estimateSize(CellRange range) {
    // Not strict about the currency: the batcher sizes requests with this, and a batch the
    // adapter cannot encode is the delivery worker's to dead-letter, not the batcher's to fail on.
    return JsonAdapters.bytes(row(range, false)).length + 1L; // the comma between rows
  }

  @Override
  public Outcome decode(Response response) {
    Outcome outcome = Transport.outcomeOf(response);
    JsonNode root = json(response.body());
    if (root == null || !root.isObject()) {
      return outcome; // a proxy's HTML page, or an empty 2xx: classify by status alone
    }
    List<FieldError> fieldErrors = new ArrayList<>();
    String code = null;
    JsonNode errors = root.get("errors");
    boolean failed =
        root.path("success").isBoolean() && !root.path("success").booleanValue()
            || root.path("Success").isBoolean() && !root.path("Success").booleanValue();
    if (errors != null && errors.isArray() && (failed || response.status() >= 400)) {
      for (JsonNode e : errors) {
        String id = e.path("id").isIntegralNumber() ? e.path("id").asText() : null;
        String msg = e.path("msg").isTextual() ? e.path("msg").textValue().strip() : "";
        if (code == null && id != null) {
          code = id;
        }
        Matcher m = MESSAGE_PATH.matcher(msg);
        String text = (id == null ? "" : "error " + id + ": ") + (m.matches() ? m.group(2) : msg);
        fieldErrors.add(new FieldError(m.matches() ? m.group(1) : "", text));
      }
    } else if (failed && root.path("ErrorCode").isIntegralNumber()) {
      code = root.path("ErrorCode").asText(); // the callback error format
      fieldErrors.add(
          new FieldError("", "error " + code + ": " + root.path("Error").asText("").strip()));
    }
    JsonNode validation = root.get("validation");
    if (validation != null && validation.isArray() && response.status() >= 400) {
      for (JsonNode v : validation) {
        fieldErrors.add(
            new FieldError(path(v.path("location")), v.path("message").asText("invalid")));
      }
    }
    if (failed && response.isSuccessful() && code == null) {
      code = "unspecified"; // success:false must never be acknowledged
    }
    if (code != null) {
      outcome = outcome.withErrorCode(code);
    }
    return fieldErrors.isEmpty() ? outcome : outcome.withFieldErrors(fieldErrors);
  }

  /** Paths {@code Inventory[i][.field]} name range {@code i}, one row per range. */
  @Override
  public Set<Integer> rangesOf(List<FieldError> errors) {
    return JsonAdapters.rangesOf(errors, PATH);
  }

  /** {@code ["body","Inventory","0","units"]} as {@code Inventory[0].units}. */
  static String path(JsonNode location) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < location.size(); i++) {
      String s = location.get(i).asText();
      if (i == 0 && s.equals("body")) {
        continue;
      }
      if (i == 0 && (s.equals("query") || s.equals("header"))) {
        sb.append(s).append(':');
        continue;
      }
      if (s.matches("\\d+")) {
        sb.append('[').append(s).append(']');
      } else {
        sb.append(sb.isEmpty() || sb.charAt(sb.length() - 1) == ':' ? "" : ".").append(s);
      }
    }
    return sb.toString();
  }

  URI endpoint(String verb) {
    String b = base.toString();
    return URI.create(
        (b.endsWith("/") ? b : b + "/")
            + verb
            + "?shared_secret="
            + URLEncoder.encode(sharedSecret.reveal(), StandardCharsets.UTF_8));
  }

  String sharedSecret() {
    return sharedSecret.reveal();
  }

  ChannelMapping mapping() {
    return mapping;
  }

  private static @Nullable JsonNode json(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return JsonAdapters.JSON.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  private ObjectNode row(CellRange range, boolean strict) {
    ChannelMapping.Codes codes = JsonAdapters.codes(mapping, range);
    ObjectNode n = JsonAdapters.JSON.createObjectNode();
    n.put("ota_room_id", codes.room());
    n.put("ota_rate_id", codes.ratePlan() == null ? availabilityRate : codes.ratePlan());
    n.put("start_date", range.from().toString());
    n.put("end_date", range.to().toString());
    CellValues v = range.values();
    if (v.availability() != null) {
      n.put("units", v.availability());
    }
    if (codes.ratePlan() == null) {
      return n; // a room-type range carries availability only
    }
    if (v.rate() != null) {
      if (strict && !currency.equals(v.rate().currency())) {
        throw new IllegalArgumentException(
            "rate plan "
                + range.ratePlan()
                + " is priced in "
                + v.rate().currency()
                + " but the cloudbeds connection's currency is "
                + currency);
      }
      n.put("rate", v.rate().amount().toPlainString());
    }
    Restrictions r = v.restrictions();
    if (r != null) {
      if (r.minLos() != null) {
        n.put("min_los", r.minLos());
      }
      if (r.maxLos() != null) {
        n.put("max_los", r.maxLos());
      }
      if (r.closedToArrival() != null) {
        n.put("closearr", r.closedToArrival());
      }
      if (r.closedToDeparture() != null) {
        n.put("closedep", r.closedToDeparture());
      }
      if (r.closed() != null) {
        n.put("close", r.closed());
      }
    }
    return n;
  }
}
