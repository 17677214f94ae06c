package dev.paritysync.app.feed;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One PMS change as JSON, the form both the NDJSON feed ({@link FeedReader}) and the ingest API
 * ({@code POST /v1/changes}) take:
 *
 * <pre>{@code
 * {"property":"P1","roomType":"DBL","ratePlan":"BAR","from":"2026-05-01","to":"2026-05-03",
 *  "rate":{"amount":"120.00","currency":"EUR"},"availability":4,
 *  "restrictions":{"minLos":2,"maxLos":7,"closed":false,"closedToArrival":false,
 *                  "closedToDeparture":false}}
 * }</pre>
 *
 * <p>{@code property}, {@code roomType}, {@code from} and {@code to} (ISO dates, both inclusive)
 * are required; the rest are optional and mean "unchanged" when absent. Amounts may be JSON numbers
 * or decimal strings (parse with exact big decimals). Unknown keys are errors. Stateless and
 * thread-safe.
 */
public final class ChangeJson {
  private static final Set<String> KEYS =
      Set.of(
          "property", "roomType", "ratePlan", "from", "to", "rate", "availability", "restrictions");
  private static final Set<String> RATE_KEYS = Set.of("amount", "currency");
  private static final Set<String> RESTRICTION_KEYS =
      Set.of("minLos", "maxLos", "closed", "closedToArrival", "closedToDeparture");

  /** The longest amount string {@link #parse(JsonNode, String, List)} takes, in characters. */
  static final int MAX_AMOUNT_LENGTH = 64;

  private static final java.util.regex.Pattern PLAIN_KEY =
      java.util.regex.Pattern.compile("[A-Za-z0-9_$-]+");

  private ChangeJson() {}

  /**
   * The change {@code n} describes, or null when it has errors: those go to {@code errors}, each
   * path starting with {@code prefix} (such as {@code changes[3].}; empty for none).
   */
  static @Nullable Change parse(@Nullable JsonNode n, String prefix, List<FieldError> errors) {
    return parse(n, prefix, errors, MAX_AMOUNT_LENGTH);
  }

  /**
   * As {@link #parse(JsonNode, String, List)}, with amount strings of at most {@code
   * maxAmountLength} characters: longer ones are errors, found before any digit is converted. A
   * null {@code n} (no element) is an error too.
   */
  public static @Nullable Change parse(
      @Nullable JsonNode n, String prefix, List<FieldError> errors, int maxAmountLength) {
    if (n == null || !n.isObject()) {
      errors.add(new FieldError(prefix.isEmpty() ? "$" : strip(prefix), "expected a JSON object"));
      return null;
    }
    unknown(n, KEYS, prefix, errors);
    String property = text(n, "property", prefix + "property", true, errors);
    String roomType = text(n, "roomType", prefix + "roomType", true, errors);
    String ratePlan = text(n, "ratePlan", prefix + "ratePlan", false, errors);
    LocalDate from = date(n, "from", prefix, errors);
    LocalDate to = date(n, "to", prefix, errors);
    Rate rate = null;
    JsonNode r = n.get("rate");
    if (r != null && !r.isNull()) {
      if (!r.isObject()) {
        errors.add(new FieldError(prefix + "rate", "expected an object {amount, currency}"));
      } else {
        unknown(r, RATE_KEYS, prefix + "rate.", errors);
        BigDecimal amount = decimal(r, "amount", prefix + "rate.amount", maxAmountLength, errors);
        String currency = text(r, "currency", prefix + "rate.currency", true, errors);
        rate = amount == null ? null : new Rate(amount, currency);
      }
    }
    Integer availability = integer(n, "availability", prefix + "availability", errors);
    Restrictions restrictions = null;
    JsonNode s = n.get("restrictions");
    if (s != null && !s.isNull()) {
      if (!s.isObject()) {
        errors.add(new FieldError(prefix + "restrictions", "expected an object"));
      } else {
        unknown(s, RESTRICTION_KEYS, prefix + "restrictions.", errors);
        restrictions =
            new Restrictions(
                integer(s, "minLos", prefix + "restrictions.minLos", errors),
                integer(s, "maxLos", prefix + "restrictions.maxLos", errors),
                bool(s, "closed", prefix + "restrictions.closed", errors),
                bool(s, "closedToArrival", prefix + "restrictions.closedToArrival", errors),
                bool(s, "closedToDeparture", prefix + "restrictions.closedToDeparture", errors));
      }
    }
    // Each of the four is null only after an error was added; the compiler cannot see that.
    if (!errors.isEmpty() || property == null || roomType == null || from == null || to == null) {
      return null;
    }
    return new Change(property, roomType, ratePlan, from, to, rate, availability, restrictions);
  }

  private static String strip(String prefix) {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  private static void unknown(JsonNode n, Set<String> known, String prefix, List<FieldError> out) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        out.add(
            new FieldError(
                keyPath(prefix, k),
                "unknown key (known: " + String.join(", ", sorted(known)) + ")"));
      }
    }
  }

  /**
   * The path of a client's key under {@code prefix}: as it is when it is a plain name, otherwise
   * JSON-quoted in brackets ({@code ["a b"]}) and cut at 64 characters, so a key of spaces, quotes
   * or control characters cannot make an error line unreadable or long.
   */
  public static String keyPath(String prefix, String key) {
    if (!key.isEmpty() && key.length() <= 64 && PLAIN_KEY.matcher(key).matches()) {
      return prefix + key;
    }
    String shown = key.length() > 64 ? key.substring(0, 64) + "…" : key;
    String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(shown));
    return strip(prefix) + "[\"" + quoted + "\"]";
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static @Nullable String text(
      JsonNode n, String name, String path, boolean required, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        errors.add(new FieldError(path, "is missing"));
      }
      return null;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(path, "expected a string, found " + v));
      return null;
    }
    return v.asText();
  }

  private static @Nullable LocalDate date(
      JsonNode n, String name, String prefix, List<FieldError> errors) {
    String s = text(n, name, prefix + name, true, errors);
    if (s == null) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(prefix + name, "'" + s + "' is not a date (yyyy-MM-dd)"));
      return null;
    }
  }

  private static @Nullable BigDecimal decimal(
      JsonNode n, String name, String path, int maxLength, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      errors.add(new FieldError(path, "is missing"));
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      String text = v.asText().trim();
      if (text.length() > maxLength) {
        // Converting a long string of digits costs time quadratic in its length.
        errors.add(
            new FieldError(
                path,
                "is a string of "
                    + text.length()
                    + " characters; an amount has at most "
                    + maxLength));
        return null;
      }
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    errors.add(new FieldError(path, v + " is not a decimal number"));
    return null;
  }

  private static @Nullable Integer integer(
      JsonNode n, String name, String path, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    errors.add(new FieldError(path, v + " is not a whole number"));
    return null;
  }

  private static @Nullable Boolean bool(
      JsonNode n, String name, String path, List<FieldError> errors) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    errors.add(new FieldError(path, v + " is not true or false"));
    return null;
  }
}
