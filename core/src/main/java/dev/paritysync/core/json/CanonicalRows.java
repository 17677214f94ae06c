package dev.paritysync.core.json;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The canonical row form {@value #ALGORITHM}, over which a report server's manifest checksum is
 * computed: per row, the values of {@link #FIELDS} as the row's JSON carries them (absent or null:
 * empty), with backslash, tab, LF and CR escaped as {@code \\}, {@code \t}, {@code \n}, {@code \r},
 * joined by one tab and ended by one LF. The checksum is the lower-case hex SHA-256 of the UTF-8
 * bytes of all rows, in row order.
 *
 * <p>This is the one definition: the simulated report server ({@code sim}) computes the checksum it
 * serves with it, and the client that pulls reports verifies the checksum with it. It lives in
 * {@code core} because neither of those modules may depend on the other (the module table of {@code
 * docs/architecture.md}); it is a wire format, like a webhook signature scheme, and names only the
 * JSON keys of the form. Static and thread-safe.
 */
public final class CanonicalRows {
  /** The name a manifest gives this form's checksum: {@value}. */
  public static final String ALGORITHM = "sha256-canonical-v1";

  /** The JSON keys of a row, in canonical order. */
  public static final List<String> FIELDS =
      List.of(
          "row",
          "periodStart",
          "periodEnd",
          "territory",
          "isrc",
          "upc",
          "title",
          "artist",
          "commercialModel",
          "useType",
          "quantity",
          "amount",
          "currency",
          "saleType");

  private CanonicalRows() {}

  /**
   * One row in canonical form, LF included; {@code valueOf} gives a key's value as text, or null
   * when the row has none (written as empty).
   */
  public static String line(Function<String, @Nullable String> valueOf) {
    StringBuilder b = new StringBuilder(160);
    for (int i = 0; i < FIELDS.size(); i++) {
      if (i > 0) {
        b.append('\t');
      }
      String v = valueOf.apply(FIELDS.get(i));
      if (v != null) {
        escape(b, v);
      }
    }
    return b.append('\n').toString();
  }

  private static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
  }
}
