package dev.paritysync.app.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A form the browser posted ({@code application/x-www-form-urlencoded}), read within bounds: at
 * most {@link #MAX_BYTES} bytes, only the fields a form has, each once and at most {@link
 * #MAX_VALUE} characters. Anything else is refused with a message naming the culprit. Immutable.
 */
final class Form {
  /** The largest form body read. */
  static final int MAX_BYTES = 8 * 1024;

  /** The longest value of one field. */
  static final int MAX_VALUE = 2 * 1024;

  private final Map<String, String> fields;

  private Form(Map<String, String> fields) {
    this.fields = fields;
  }

  /**
   * Reads the form of {@code ctx}, whose fields may only be {@code known}.
   *
   * @throws UiException 413 when larger than {@link #MAX_BYTES}, 415 when not a urlencoded form,
   *     400 naming an unknown, repeated, malformed or too long field
   */
  static Form read(Context ctx, Set<String> known) {
    String type = ctx.contentType();
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new UiException(
          415,
          "Unsupported media type",
          "send the form as application/x-www-form-urlencoded, was " + type);
    }
    if (ctx.req().getContentLengthLong() > MAX_BYTES) {
      throw tooLarge();
    }
    byte[] raw;
    try (InputStream in = ctx.req().getInputStream()) {
      raw = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw UiException.badInput("the form could not be read: " + e.getMessage());
    }
    if (raw.length > MAX_BYTES) {
      throw tooLarge();
    }
    return parse(new String(raw, StandardCharsets.ISO_8859_1), known);
  }

  /** Parses an urlencoded body; see {@link #read}. */
  static Form parse(String body, Set<String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return new Form(out);
    }
    for (String pair : body.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a field name");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
      if (!known.contains(name)) {
        throw UiException.badInput(
            "field '" + shorten(name) + "' is not one of this form's: " + String.join(", ", known));
      }
      if (value.length() > MAX_VALUE) {
        throw UiException.badInput(
            "field '" + name + "' is longer than " + MAX_VALUE + " characters");
      }
      if (out.put(name, value) != null) {
        throw UiException.badInput("field '" + name + "' is given more than once");
      }
    }
    return new Form(out);
  }

  /** The value of {@code name}, or null when absent. */
  @Nullable String get(String name) {
    return fields.get(name);
  }

  private static String decode(String s, String what) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw UiException.badInput(what + " is not urlencoded: " + e.getMessage());
    }
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static UiException tooLarge() {
    return new UiException(
        413, "Content too large", "a form may hold at most " + MAX_BYTES + " bytes");
  }
}
