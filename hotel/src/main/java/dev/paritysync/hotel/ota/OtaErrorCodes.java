package dev.paritysync.hotel.ota;

import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.ClassificationTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Routes OpenTravel errors to actions: a map from a key to an {@link Action} in {@link
 * Action#parse} syntax, turned into a core {@link ClassificationTable} by adding one {@code
 * onErrorCode} row per key over {@link ClassificationTable#defaults()}.
 *
 * <h2>Keys</h2>
 *
 * <ul>
 *   <li>an OpenTravel error code (list ERR), the {@code Code} attribute of {@code Error}: {@code
 *       "402"};
 *   <li>{@code "type:"} and an error type (list EWT), the required {@code Type} attribute: {@code
 *       "type:12"};
 *   <li>{@code "soap:"} and a SOAP fault code's local name: {@code "soap:Server"} (SOAP 1.1),
 *       {@code "soap:Receiver"} (SOAP 1.2).
 * </ul>
 *
 * {@link OtaResponseDecoder} puts into the outcome the key of the first {@code Error}: its code
 * when this table names the code, else its type when this table names the type, else its code (or
 * type when it has none). So a code beats its type, and a type catches the codes nobody listed. An
 * error no row names, inside a 2xx, is {@code DEAD_LETTER(channel_error)} (the core default);
 * inside another status it falls through to the status rules.
 *
 * <h2>Defaults</h2>
 *
 * <table>
 *   <caption>Default rows</caption>
 *   <tr><th>key</th><th>meaning</th><th>action</th></tr>
 *   <tr><td>type:12</td><td>Processing exception</td><td>RETRY</td></tr>
 *   <tr><td>type:4, type:5</td><td>Authentication, authentication timeout</td>
 *       <td>REFRESH_AUTH</td></tr>
 *   <tr><td>type:6</td><td>Authorization</td><td>DEAD_LETTER(forbidden)</td></tr>
 *   <tr><td>type:10</td><td>Required field missing</td><td>DEAD_LETTER(validation)</td></tr>
 *   <tr><td>187, 447, 448, 450</td><td>System currently unavailable, simultaneous updates,
 *       system error, unable to process</td><td>RETRY</td></tr>
 *   <tr><td>249, 402</td><td>Invalid rate code, invalid room type code</td>
 *       <td>DEAD_LETTER(mapping)</td></tr>
 *   <tr><td>361, 375, 392, 400</td><td>Invalid hotel, hotel not active, invalid hotel code</td>
 *       <td>DEAD_LETTER(mapping)</td></tr>
 *   <tr><td>15, 61, 135, 136, 320, 321, 404</td><td>Invalid date, currency, end date, start date,
 *       value; required field missing; invalid date combination</td>
 *       <td>DEAD_LETTER(validation)</td></tr>
 *   <tr><td>soap:Server, soap:Receiver</td><td>the channel failed</td><td>RETRY</td></tr>
 *   <tr><td>soap:Client, soap:Sender</td><td>the channel refused the request</td>
 *       <td>DEAD_LETTER(validation)</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class OtaErrorCodes {
  /** The prefix of an error-type key. */
  public static final String TYPE_PREFIX = "type:";

  /** The prefix of a SOAP fault key. */
  public static final String SOAP_PREFIX = "soap:";

  private static final OtaErrorCodes DEFAULTS = new OtaErrorCodes(defaultRows());

  private final Map<String, Action> actions;
  private final ClassificationTable table;

  private OtaErrorCodes(Map<String, Action> actions) {
    this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
    ClassificationTable.Builder b = ClassificationTable.defaults().toBuilder();
    this.actions.forEach(b::onErrorCode);
    this.table = b.build();
  }

  /** The default rows in the class documentation. */
  public static OtaErrorCodes defaults() {
    return DEFAULTS;
  }

  /**
   * The defaults with {@code rows} added or replaced: key → action text, e.g. {@code "402" →
   * "DEAD_LETTER(mapping)"}, {@code "type:12" → "RETRY"}.
   *
   * @throws IllegalArgumentException naming the key when it is blank or malformed, or its action
   *     does not parse
   */
  public static OtaErrorCodes fromConfig(Map<String, String> rows) {
    Map<String, Action> actions = new LinkedHashMap<>(DEFAULTS.actions);
    Objects.requireNonNull(rows, "rows")
        .forEach(
            (key, text) -> {
              String k = checkKey(key);
              if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(
                    "OpenTravel error row '" + k + "': action is missing");
              }
              try {
                actions.remove(k);
                actions.put(k, Action.parse(text));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "OpenTravel error row '" + k + "': " + e.getMessage(), e);
              }
            });
    return new OtaErrorCodes(actions);
  }

  /** Every row, key → action, in the order added. */
  Map<String, Action> actions() {
    return actions;
  }

  /** The core table: {@link ClassificationTable#defaults()} plus one error-code row per key. */
  public ClassificationTable table() {
    return table;
  }

  /**
   * The key the outcome carries for an OpenTravel error with {@code code} (null when absent) and
   * {@code type} (null when absent), by the rule in the class documentation; null when both are
   * absent.
   */
  @Nullable String keyFor(@Nullable String code, @Nullable String type) {
    String c = code == null || code.isBlank() ? null : code.trim();
    String t = type == null || type.isBlank() ? null : TYPE_PREFIX + type.trim();
    if (c != null && actions.containsKey(c)) {
      return c;
    }
    if (t != null && actions.containsKey(t)) {
      return t;
    }
    return c != null ? c : t;
  }

  private static String checkKey(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("OpenTravel error row has a blank key");
    }
    String k = key.trim();
    for (String prefix : new String[] {TYPE_PREFIX, SOAP_PREFIX}) {
      if (k.startsWith(prefix) && k.length() == prefix.length()) {
        throw new IllegalArgumentException(
            "OpenTravel error row '" + k + "': nothing follows '" + prefix + "'");
      }
    }
    return k;
  }

  private static Map<String, Action> defaultRows() {
    Map<String, Action> m = new LinkedHashMap<>();
    Action mapping = Action.deadLetter("mapping");
    Action validation = Action.deadLetter("validation");
    m.put(TYPE_PREFIX + "12", Action.RETRY);
    m.put(TYPE_PREFIX + "4", Action.REFRESH_AUTH);
    m.put(TYPE_PREFIX + "5", Action.REFRESH_AUTH);
    m.put(TYPE_PREFIX + "6", Action.deadLetter("forbidden"));
    m.put(TYPE_PREFIX + "10", validation);
    for (String code : new String[] {"187", "447", "448", "450"}) {
      m.put(code, Action.RETRY);
    }
    for (String code : new String[] {"249", "402", "361", "375", "392", "400"}) {
      m.put(code, mapping);
    }
    for (String code : new String[] {"15", "61", "135", "136", "320", "321", "404"}) {
      m.put(code, validation);
    }
    m.put(SOAP_PREFIX + "Server", Action.RETRY);
    m.put(SOAP_PREFIX + "Receiver", Action.RETRY);
    m.put(SOAP_PREFIX + "Client", validation);
    m.put(SOAP_PREFIX + "Sender", validation);
    return m;
  }
}
