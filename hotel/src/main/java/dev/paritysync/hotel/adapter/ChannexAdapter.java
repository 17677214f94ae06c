package dev.paritysync.hotel.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Channex-style JSON dialect.
 *
 * <p>Channex splits ARI over two endpoints, and so does this adapter: a batch becomes up to two
 * {@linkplain ChannelAdapter.Part parts}, sent in this order —
 *
 * <ul>
 *   <li>availability per room type, {@code POST {base}/api/v1/availability} with {@code
 *       {"values":[{"property_id","room_type_id","date_from","date_to","availability"}]}}, one
 *       value per room-type range (quota endpoint {@code availability});
 *   <li>rates and restrictions per rate plan, {@code POST {base}/api/v1/restrictions} with {@code
 *       {"values":[{"property_id","room_type_id","rate_plan_id","date_from","date_to","rate",
 *       "min_stay_arrival","max_stay","closed_to_arrival","closed_to_departure","stop_sell"}]}},
 *       one value per rate-plan range, with whichever of the rate and restrictions it holds (quota
 *       endpoint {@code restrictions}).
 * </ul>
 *
 * A batch of one kind is one request. Rate-plan values keep {@code room_type_id}: paritysync maps
 * rate plan codes independently of room types, so the channel's rate plan id alone would not name
 * the cell (a real Channex rate plan belongs to one room type). Rates are decimal strings; the rate
 * plan's currency is the channel's business and is not sent. Absent values are left out.
 *
 * <p>Quotas: Channex documents 10 availability and 10 restrictions requests per minute per
 * property; these are the {@linkplain #defaultQuotas() defaults} when the channel's configuration
 * sets none.
 *
 * <p>Errors: a 400 or 422 body {@code {"errors":{"code":"validation_error","details":
 * {"values.<i>.<field>":["message"]}}}} becomes one field error per message with the path {@code
 * values.<i>.<field>}, so {@link #rangesOf} names value {@code i} of the part; {@code errors.code}
 * becomes the outcome's error code, which the default classification table lets fall through to the
 * status rules. A 429 without {@code Retry-After} (Channex sends a JSON body only) classifies as
 * {@code RETRY_AFTER} with no server delay, so the engine backs off with its own policy.
 *
 * <p>Immutable and thread-safe.
 */
final class ChannexAdapter implements ChannelAdapter {
  private static final ObjectMapper JSON = JsonAdapters.JSON;
  private static final Pattern PATH = Pattern.compile("values\\.(\\d+)(\\..*)?");
  private static final String AVAILABILITY = "availability";
  private static final String RESTRICTIONS = "restrictions";

  private final URI base;
  private final ChannelMapping mapping;

  /** An adapter for the channel at {@code base}, translating codes with {@code mapping}. */
  public ChannexAdapter(URI base, ChannelMapping mapping) {
    this.base = Objects.requireNonNull(base, "base");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
  }

  @Override
  public List<Part> encode(String batchKey, String property, List<CellRange> ranges) {
    List<Integer> rooms = new ArrayList<>();
    List<Integer> ratePlans = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      (ranges.get(i).ratePlan() == null ? rooms : ratePlans).add(i);
    }
    List<Part> parts = new ArrayList<>(2);
    if (!rooms.isEmpty()) {
      parts.add(part(property, ranges, rooms, AVAILABILITY));
    }
    if (!ratePlans.isEmpty()) {
      parts.add(part(property, ranges, ratePlans, RESTRICTIONS));
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no ranges to encode");
    }
    return parts;
  }

  /** {@code availability} and {@code restrictions}, one per Channex write endpoint. */
  @Override
  public Set<String> endpoints() {
    return Set.of(AVAILABILITY, RESTRICTIONS);
  }

  /**
   * Channex's documented limits: 10 availability and 10 restrictions requests per minute per
   * property.
   */
  @Override
  public Map<String, List<QuotaLimit>> defaultQuotas() {
    QuotaLimit tenPerMinute = new QuotaLimit(10, Duration.ofMinutes(1));
    return Map.of(AVAILABILITY, List.of(tenPerMinute), RESTRICTIONS, List.of(tenPerMinute));
  }

  private Part part(String property, List<CellRange> ranges, List<Integer> indexes, String kind) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode values = root.putArray("values");
    for (int i : indexes) {
      values.add(value(property, ranges.get(i)));
    }
    Request request =
        Request.post(base.resolve("/api/v1/" + kind), "application/json", JsonAdapters.bytes(root));
    return new Part(request, indexes, kind);
  }

  @Override
  public long estimateSize(CellRange range) {
    return JsonAdapters.bytes(value(range.property(), range)).length
        + 1L; // the comma between values
  }

  @Override
  public Outcome decode(Response response) {
    Outcome outcome = Transport.outcomeOf(response);
    if (response.status() < 400) {
      return outcome;
    }
    JsonNode errors = errors(response.body());
    if (errors == null) {
      return outcome;
    }
    JsonNode code = errors.get("code");
    if (code != null && code.isTextual() && !code.textValue().isBlank()) {
      outcome = outcome.withErrorCode(code.textValue());
    }
    JsonNode details = errors.get("details");
    if (details != null && details.isObject()) {
      List<FieldError> out = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode messages = e.getValue();
        if (messages.isTextual()) {
          out.add(new FieldError(e.getKey(), messages.textValue()));
        } else if (messages.isArray()) {
          for (JsonNode m : messages) {
            if (m.isTextual()) {
              out.add(new FieldError(e.getKey(), m.textValue()));
            }
          }
        }
      }
      outcome = outcome.withFieldErrors(out);
    }
    return outcome;
  }

  /**
   * Reads Channex's two listings, {@code GET {base}/api/v1/availability} ({@code {"data":
   * {"<room_type_id>":{"<date>":n}}}}) and {@code GET {base}/api/v1/restrictions}, each with {@code
   * filter[property_id]}, {@code filter[date][gte]} and {@code filter[date][lte]}. Channex keys
   * restrictions by rate plan id alone; since paritysync maps rate plan codes independently of room
   * types, the listing this reader expects nests them in their room type: {@code {"data":
   * {"<room_type_id>":{"<rate_plan_id>":{"<date>":{"rate":"120.50","min_stay_arrival":2,…}}}}}}
   * (the simulator answers so). Channex does not say a rate's currency: a snapshot's rates have
   * none.
   */
  @Override
  public Optional<Reader> reader() {
    return Optional.of(new ChannexReader());
  }

  private final class ChannexReader implements Reader {
    private final ReverseMapping back = new ReverseMapping(mapping);

    @Override
    public List<Request> requests(String property, LocalDate from, LocalDate to) {
      String query =
          "?filter%5Bproperty_id%5D="
              + URLEncoder.encode(property, StandardCharsets.UTF_8)
              + "&filter%5Bdate%5D%5Bgte%5D="
              + from
              + "&filter%5Bdate%5D%5Blte%5D="
              + to;
      return List.of(
          Request.get(base.resolve("/api/v1/" + AVAILABILITY + query)),
          Request.get(base.resolve("/api/v1/" + RESTRICTIONS + query)));
    }

    @Override
    public Snapshot snapshot(String property, List<Response> responses) {
      if (responses.size() != 2) {
        throw new IllegalArgumentException(
            "expected the availability and restrictions listings, got "
                + responses.size()
                + " responses");
      }
      List<Cell> cells = new ArrayList<>();
      Set<String> unmapped = new TreeSet<>();
      JsonNode rooms = data(responses.get(0), AVAILABILITY);
      for (Iterator<Map.Entry<String, JsonNode>> r = rooms.fields(); r.hasNext(); ) {
        Map.Entry<String, JsonNode> room = r.next();
        Optional<String> pmsRoom = back.room(room.getKey());
        if (pmsRoom.isEmpty()) {
          unmapped.add(room.getKey());
          continue;
        }
        for (Iterator<Map.Entry<String, JsonNode>> d = room.getValue().fields(); d.hasNext(); ) {
          Map.Entry<String, JsonNode> day = d.next();
          cells.add(
              new Cell(
                  property,
                  pmsRoom.get(),
                  null,
                  date(day.getKey()),
                  CellValues.ofAvailability(day.getValue().asInt())));
        }
      }
      JsonNode plans = data(responses.get(1), RESTRICTIONS);
      for (Iterator<Map.Entry<String, JsonNode>> r = plans.fields(); r.hasNext(); ) {
        Map.Entry<String, JsonNode> room = r.next();
        for (Iterator<Map.Entry<String, JsonNode>> p = room.getValue().fields(); p.hasNext(); ) {
          Map.Entry<String, JsonNode> plan = p.next();
          Optional<String> pmsRoom = back.room(room.getKey());
          Optional<String> pmsPlan = back.ratePlan(plan.getKey());
          if (pmsRoom.isEmpty() || pmsPlan.isEmpty()) {
            unmapped.add(room.getKey() + "/" + plan.getKey());
            continue;
          }
          for (Iterator<Map.Entry<String, JsonNode>> d = plan.getValue().fields(); d.hasNext(); ) {
            Map.Entry<String, JsonNode> day = d.next();
            cells.add(
                new Cell(
                    property,
                    pmsRoom.get(),
                    pmsPlan.get(),
                    date(day.getKey()),
                    values(day.getValue())));
          }
        }
      }
      return new Snapshot(cells, List.copyOf(unmapped));
    }

    private JsonNode data(Response response, String listing) {
      JsonNode root;
      try {
        root = JSON.readTree(response.body());
      } catch (IOException e) {
        throw new IllegalArgumentException(listing + " listing is not JSON: " + e.getMessage(), e);
      }
      JsonNode data = root == null ? null : root.get("data");
      if (data == null || !data.isObject()) {
        throw new IllegalArgumentException(listing + " listing has no \"data\" object");
      }
      return data;
    }

    private LocalDate date(String text) {
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("listing date '" + text + "' is not yyyy-MM-dd", e);
      }
    }

    private CellValues values(JsonNode c) {
      Rate rate =
          c.hasNonNull("rate") ? new Rate(new BigDecimal(c.get("rate").asText()), null) : null;
      Restrictions r =
          new Restrictions(
              c.hasNonNull("min_stay_arrival") ? c.get("min_stay_arrival").asInt() : null,
              c.hasNonNull("max_stay") ? c.get("max_stay").asInt() : null,
              c.hasNonNull("stop_sell") ? c.get("stop_sell").asBoolean() : null,
              c.hasNonNull("closed_to_arrival") ? c.get("closed_to_arrival").asBoolean() : null,
              c.hasNonNull("closed_to_departure")
                  ? c.get("closed_to_departure").asBoolean()
                  : null);
      return new CellValues(rate, null, r.isEmpty() ? null : r);
    }
  }

  /** Paths {@code values.<i>[.field]} name the part's range {@code i}, one value per range. */
  @Override
  public Set<Integer> rangesOf(List<FieldError> errors) {
    return JsonAdapters.rangesOf(errors, PATH);
  }

  /** The {@code errors} object of a Channex error body, or null when there is none. */
  private static @Nullable JsonNode errors(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode errors = root == null ? null : root.get("errors");
      return errors != null && errors.isObject() ? errors : null;
    } catch (IOException notJson) {
      return null; // a proxy's HTML page: classify by status alone
    }
  }

  private ObjectNode value(String property, CellRange range) {
    ChannelMapping.Codes codes = JsonAdapters.codes(mapping, range);
    ObjectNode n = JSON.createObjectNode();
    n.put("property_id", property);
    n.put("room_type_id", codes.room());
    if (codes.ratePlan() != null) {
      n.put("rate_plan_id", codes.ratePlan());
    }
    n.put("date_from", range.from().toString());
    n.put("date_to", range.to().toString());
    CellValues v = range.values();
    if (v.availability() != null) {
      n.put("availability", v.availability());
    }
    if (v.rate() != null) {
      n.put("rate", v.rate().amount().toPlainString());
    }
    Restrictions r = v.restrictions();
    if (r != null) {
      if (r.minLos() != null) {
        n.put("min_stay_arrival", r.minLos());
      }
      if (r.maxLos() != null) {
        n.put("max_stay", r.maxLos());
      }
      if (r.closedToArrival() != null) {
        n.put("closed_to_arrival", r.closedToArrival());
      }
      if (r.closedToDeparture() != null) {
        n.put("closed_to_departure", r.closedToDeparture());
      }
      if (r.closed() != null) {
        n.put("stop_sell", r.closed());
      }
    }
    return n;
  }
}
