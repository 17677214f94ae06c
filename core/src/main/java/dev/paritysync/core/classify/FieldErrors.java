package dev.paritysync.core.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses field errors out of JSON error bodies, in the shapes channels commonly send:
 *
 * <ul>
 *   <li>RFC 9457/7807 problem details with {@code errors: [{pointer|field|path|name,
 *       detail|message|reason}]} (also JSON:API's {@code source.pointer}) or {@code invalid-params:
 *       [{name, reason}]};
 *   <li>a top-level {@code errors} array of {@code {field, message}} or {@code {path, message}};
 *   <li>{@code {"errors": {"field": ["message", ...]}}} (a single string is accepted too).
 * </ul>
 *
 * JSON pointers ({@code /rates/2/amount}, {@code #/rates/2/amount}) become paths like {@code
 * rates[2].amount}. An entry with a message but no field gets the empty path (it concerns the whole
 * request); an entry without a message is skipped.
 *
 * <p>Never throws: invalid JSON, a non-JSON content type or any other shape yields an empty list.
 * Stateless and thread-safe.
 */
public final class FieldErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PATH_KEYS = List.of("pointer", "field", "path", "name");
  private static final List<String> MESSAGE_KEYS = List.of("detail", "message", "reason");

  private FieldErrors() {}

  /**
   * The field errors in {@code body}.
   *
   * @param body the response body, possibly null or empty
   * @param contentType the response's Content-Type, or null when absent; a type that is not JSON
   *     ({@code application/json}, {@code application/problem+json}, any {@code +json}) yields an
   *     empty list
   */
  public static List<FieldError> parse(byte[] body, String contentType) {
    if (body == null || body.length == 0 || !isJson(contentType)) {
      return List.of();
    }
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        return List.of();
      }
      List<FieldError> out = new ArrayList<>();
      JsonNode errors = root.get("errors");
      if (errors != null && errors.isArray()) {
        errors.forEach(e -> entry(e, out));
      } else if (errors != null && errors.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = errors.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> field = it.next();
          JsonNode messages = field.getValue();
          if (messages.isTextual()) {
            out.add(new FieldError(field.getKey(), messages.asText()));
          } else if (messages.isArray()) {
            for (JsonNode m : messages) {
              if (m.isTextual()) {
                out.add(new FieldError(field.getKey(), m.asText()));
              }
            }
          }
        }
      }
      JsonNode invalid = root.get("invalid-params");
      if (invalid != null && invalid.isArray()) {
        invalid.forEach(e -> entry(e, out));
      }
      return List.copyOf(out);
    } catch (Exception e) { // malformed input of any kind: "never throws" is the contract
      return List.of();
    }
  }

  private static boolean isJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
  }

  private static void entry(JsonNode e, List<FieldError> out) {
    if (!e.isObject()) {
      return;
    }
    String message = firstText(e, MESSAGE_KEYS);
    if (message == null) {
      return;
    }
    String path = firstText(e, PATH_KEYS);
    if (path == null && e.path("source").isObject()) {
      path = firstText(e.get("source"), List.of("pointer", "parameter"));
    }
    out.add(new FieldError(path == null ? "" : normalise(path), message));
  }

  private static @Nullable String firstText(JsonNode node, List<String> keys) {
    for (String k : keys) {
      JsonNode v = node.get(k);
      if (v != null && v.isValueNode() && !v.isNull()) {
        return v.asText();
      }
    }
    return null;
  }

  /** A JSON pointer becomes a dotted path with [index]; anything else is kept as it is. */
  static String normalise(String path) {
    String p = path.startsWith("#") ? path.substring(1) : path;
    if (!p.startsWith("/")) {
      return path;
    }
    StringBuilder sb = new StringBuilder();
    for (String raw : p.substring(1).split("/", -1)) {
      String seg = raw.replace("~1", "/").replace("~0", "~");
      if (!seg.isEmpty() && seg.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(seg).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(seg);
      }
    }
    return sb.toString();
  }
}
