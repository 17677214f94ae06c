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
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Channex-style JSON dialect.
 *
 * <p>Channex itself splits ARI over two endpoints: availability per room type ({@code POST
 * /api/v1/availability}, values {@code {"property_id","room_type_id","date_from","date_to",
 * "availability"}}) and rates and restrictions per rate plan ({@code POST /api/v1/restrictions},
 * values {@code {"property_id","rate_plan_id","date_from","date_to","rate","min_stay_arrival",
 * "max_stay","closed_to_arrival","closed_to_departure","stop_sell"}}). Since one batch is one
 * request with one idempotency key, this adapter does not split a batch: it sends the <b>combined
 * body to one endpoint</b>, {@code POST {base}/api/v1/ari} with {@code {"values":[...]}}, one value
 * per range in the order given, each value with Channex's field names. A room-type range carries
 * {@code room_type_id} and {@code availability}; a rate-plan range carries {@code room_type_id},
 * {@code rate_plan_id} and whichever of the rate and restrictions it holds ({@code room_type_id}
 * stays because the channel keys its state per room type and rate plan). Rates are decimal strings;
 * the rate plan's currency is the channel's business and is not sent. Absent values are left out. A
 * real Channex account would need the batch split by kind; that is not done here.
 *
 * <p>Errors: a 400 or 422 body {@code {"errors":{"code":"validation_error","details":
 * {"values.<i>.<field>":["message"]}}}} becomes one field error per message with the path {@code
 * values.<i>.<field>}, so {@link #rangesOf} names range {@code i}; {@code errors.code} becomes the
 * outcome's error code, which the default classification table lets fall through to the status
 * rules. A 429 without {@code Retry-After} (Channex sends a JSON body only) classifies as {@code
 * RETRY_AFTER} with no server delay, so the engine backs off with its own policy.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChannexAdapter implements ChannelAdapter {
  private static final ObjectMapper JSON = JsonAdapters.JSON;
  private static final Pattern PATH = Pattern.compile("values\\.(\\d+)(\\..*)?");

  private final URI base;
  private final ChannelMapping mapping;

  /** An adapter for the channel at {@code base}, translating codes with {@code mapping}. */
  public ChannexAdapter(URI base, ChannelMapping mapping) {
    this.base = Objects.requireNonNull(base, "base");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
  }

  @Override
  public Request encode(String property, List<CellRange> ranges) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode values = root.putArray("values");
    for (CellRange range : ranges) {
      values.add(value(property, range));
    }
    return Request.post(base.resolve("/api/v1/ari"), "application/json", JsonAdapters.bytes(root));
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

  /** Paths {@code values.<i>[.field]} name range {@code i}, one value per range. */
  @Override
  public Set<Integer> rangesOf(List<FieldError> errors) {
    return JsonAdapters.rangesOf(errors, PATH);
  }

  /** The {@code errors} object of a Channex error body, or null when there is none. */
  private static JsonNode errors(byte[] body) {
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
