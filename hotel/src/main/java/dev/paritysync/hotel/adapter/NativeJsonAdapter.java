package dev.paritysync.hotel.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.FieldErrors;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
  public List<Part> encode(String batchKey, String property, List<CellRange> ranges) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode updates = root.putArray("updates");
    for (CellRange range : ranges) {
      updates.add(update(range));
    }
    String path = "/v1/properties/" + URLEncoder.encode(property, StandardCharsets.UTF_8) + "/ari";
    return Part.single(
        Request.post(base.resolve(path), "application/json", JsonAdapters.bytes(root)),
        ranges.size());
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
   * Reads {@code GET {base}/v1/properties/{property}/ari?from=…&to=…}: {@code {"cells":[{"room",
   * "ratePlan"?, "date", "rate"?, "currency"?, "availability"?, "minLos"?, …}]}}.
   */
  @Override
  public Optional<Reader> reader() {
    return Optional.of(new NativeReader());
  }

  private final class NativeReader implements Reader {
    private final ReverseMapping back = new ReverseMapping(mapping);

    @Override
    public List<Request> requests(String property, LocalDate from, LocalDate to) {
      String path =
          "/v1/properties/"
              + URLEncoder.encode(property, StandardCharsets.UTF_8)
              + "/ari?from="
              + from
              + "&to="
              + to;
      return List.of(Request.get(base.resolve(path)));
    }

    @Override
    public Snapshot snapshot(String property, List<Response> responses) {
      if (responses.size() != 1) {
        throw new IllegalArgumentException("expected 1 response, got " + responses.size());
      }
      JsonNode root;
      try {
        root = JSON.readTree(responses.get(0).body());
      } catch (IOException e) {
        throw new IllegalArgumentException("ARI listing is not JSON: " + e.getMessage(), e);
      }
      JsonNode cells = root == null ? null : root.get("cells");
      if (cells == null || !cells.isArray()) {
        throw new IllegalArgumentException("ARI listing has no \"cells\" array");
      }
      List<Cell> out = new ArrayList<>();
      Set<String> unmapped = new TreeSet<>();
      for (JsonNode c : cells) {
        String room = c.path("room").asText(null);
        String ratePlan = c.hasNonNull("ratePlan") ? c.get("ratePlan").asText() : null;
        if (room == null || !c.hasNonNull("date")) {
          throw new IllegalArgumentException("ARI listing cell without room or date: " + c);
        }
        Optional<String> pmsRoom = back.room(room);
        Optional<String> pmsPlan = ratePlan == null ? Optional.empty() : back.ratePlan(ratePlan);
        if (pmsRoom.isEmpty() || (ratePlan != null && pmsPlan.isEmpty())) {
          unmapped.add(ratePlan == null ? room : room + "/" + ratePlan);
          continue;
        }
        out.add(
            new Cell(
                property,
                pmsRoom.get(),
                pmsPlan.orElse(null),
                LocalDate.parse(c.get("date").asText()),
                values(c)));
      }
      return new Snapshot(out, List.copyOf(unmapped));
    }

    private CellValues values(JsonNode c) {
      Rate rate =
          c.hasNonNull("rate") && c.hasNonNull("currency")
              ? Rate.of(c.get("rate").asText(), c.get("currency").asText())
              : null;
      Integer availability = c.hasNonNull("availability") ? c.get("availability").asInt() : null;
      Restrictions r =
          new Restrictions(
              c.hasNonNull("minLos") ? c.get("minLos").asInt() : null,
              c.hasNonNull("maxLos") ? c.get("maxLos").asInt() : null,
              c.hasNonNull("closed") ? c.get("closed").asBoolean() : null,
              c.hasNonNull("closedToArrival") ? c.get("closedToArrival").asBoolean() : null,
              c.hasNonNull("closedToDeparture") ? c.get("closedToDeparture").asBoolean() : null);
      return new CellValues(rate, availability, r.isEmpty() ? null : r);
    }
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

  private static void putIfSet(ObjectNode n, String name, @Nullable Integer value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  private static void putIfSet(ObjectNode n, String name, @Nullable Boolean value) {
    if (value != null) {
      n.put(name, value);
    }
  }
}
