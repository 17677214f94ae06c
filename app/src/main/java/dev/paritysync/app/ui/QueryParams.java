package dev.paritysync.app.ui;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A page's query parameters, checked: each one known, given once and at most {@link #MAX_VALUE}
 * characters; an empty value counts as absent. Anything else is a 400 page naming the parameter.
 * The same checks read a query carried in a form field (a list's filter, sent back with an action).
 */
final class QueryParams {
  /** The longest value of one parameter. */
  static final int MAX_VALUE = 200;

  private QueryParams() {}

  /** The request's query parameters, checked against {@code known}. */
  static Map<String, String> read(Context ctx, Set<String> known) {
    return check(ctx.queryParamMap(), known);
  }

  /**
   * {@code raw} (such as {@code channel=a&reason=floor}, as {@link QueueFilter#query()} writes it)
   * read as a query string, checked against {@code known}; {@code field} names it in errors.
   */
  static Map<String, String> parse(String field, @Nullable String raw, Set<String> known) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&", -1)) {
        int eq = pair.indexOf('=');
        try {
          String name =
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String value =
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        } catch (IllegalArgumentException e) {
          throw UiException.badInput(field + ": not a query string (a bad %-escape)");
        }
      }
    }
    return check(params, known);
  }

  /** {@code s} as one query parameter's value. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> check(Map<String, List<String>> params, Set<String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String name = e.getKey();
      if (!known.contains(name)) {
        throw UiException.badInput(
            "parameter '"
                + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                + "' is not one of this page's: "
                + String.join(", ", known.stream().sorted().toList()));
      }
      if (e.getValue().size() != 1) {
        throw UiException.badInput("parameter '" + name + "' is given more than once");
      }
      String v = e.getValue().get(0);
      if (v.length() > MAX_VALUE) {
        throw UiException.badInput(
            "parameter '" + name + "' is longer than " + MAX_VALUE + " characters");
      }
      if (!v.isEmpty()) {
        out.put(name, v);
      }
    }
    return out;
  }
}
