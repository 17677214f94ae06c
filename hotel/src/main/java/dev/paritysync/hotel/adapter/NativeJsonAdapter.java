package dev.paritysync.hotel.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.FieldErrors;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simulator's native JSON dialect: {@code POST {base}/v1/properties/{property}/ari} with {@code
 * {"updates":[{"room","ratePlan","from","to","rate","currency","availability","minLos",
 * "maxLos","closed","closedToArrival","closedToDeparture"}]}}, one update per range, absent values
 * left out; 400, 409 and 422 responses carry problem details whose errors become field errors, each
 * pointing at the update ({@code /updates/<index>}) it is about.
 *
 * <p>Immutable and thread-safe.
 */
public final class NativeJsonAdapter implements ChannelAdapter {
  private static final ObjectMapper JSON = JsonAdapters.JSON;
  private static final Pattern POINTER = Pattern.compile("updates\\[(\\d+)](\\..*)?");

  private final URI base;
  private final ChannelMapping mapping;

  /** An adapter for the channel at {@code base}, translating codes with {@code mapping}. */
  public NativeJsonAdapter(URI base, ChannelMapping mapping) {
    this.base = Objects.requireNonNull(base, "base");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
  }

  @Override
  public Request encode(String property, List<CellRange> ranges) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode updates = root.putArray("updates");
    for (CellRange range : ranges) {
      updates.add(update(range));
    }
    String path = "/v1/properties/" + URLEncoder.encode(property, StandardCharsets.UTF_8) + "/ari";
    return Request.post(base.resolve(path), "application/json", JsonAdapters.bytes(root));
  }

  @Override
  public long estimateSize(CellRange range) {
    return JsonAdapters.bytes(update(range)).length + 1L; // the comma between updates
  }

  @Override
  public Outcome decode(Response response) {
    Outcome outcome = Transport.outcomeOf(response);
    if (response.status() == 400 || response.status() == 409 || response.status() == 422) {
      String type = response.headers().first("Content-Type").orElse("application/json");
      outcome = outcome.withFieldErrors(FieldErrors.parse(response.body(), type));
    }
    return outcome;
  }

  /**
   * Problem details point at {@code /updates/<index>[/field]}, one update per range; the core reads
   * those pointers as paths {@code updates[<index>].field}.
   */
  @Override
  public Set<Integer> rangesOf(List<FieldError> errors) {
    return JsonAdapters.rangesOf(errors, POINTER);
  }

  private ObjectNode update(CellRange range) {
    ChannelMapping.Codes codes = JsonAdapters.codes(mapping, range);
    ObjectNode n = JSON.createObjectNode();
    n.put("room", codes.room());
    if (codes.ratePlan() != null) {
      n.put("ratePlan", codes.ratePlan());
    }
    n.put("from", range.from().toString());
    n.put("to", range.to().toString());
    CellValues v = range.values();
    if (v.rate() != null) {
      n.put("rate", v.rate().amount().toPlainString());
      n.put("currency", v.rate().currency());
    }
    if (v.availability() != null) {
      n.put("availability", v.availability());
    }
    Restrictions r = v.restrictions();
    if (r != null) {
      putIfSet(n, "minLos", r.minLos());
      putIfSet(n, "maxLos", r.maxLos());
      putIfSet(n, "closed", r.closed());
      putIfSet(n, "closedToArrival", r.closedToArrival());
      putIfSet(n, "closedToDeparture", r.closedToDeparture());
    }
    return n;
  }

  private static void putIfSet(ObjectNode n, String name, Integer value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  private static void putIfSet(ObjectNode n, String name, Boolean value) {
    if (value != null) {
      n.put(name, value);
    }
  }
}
