package dev.paritysync.royalty.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The DSP's canonical row form ({@code sha256-canonical-v1}), over which its manifest checksum is
 * computed: the values of {@link #FIELDS} as the JSON carries them (absent or null: empty), with
 * backslash, tab, LF and CR escaped as {@code \\}, {@code \t}, {@code \n}, {@code \r}, joined by a
 * tab, ended by an LF. The checksum is the SHA-256 of the UTF-8 bytes of all rows in row order.
 */
final class Canonical {
  static final List<String> FIELDS =
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

  private Canonical() {}

  static String line(JsonNode row) {
    StringBuilder b = new StringBuilder(160);
    for (int i = 0; i < FIELDS.size(); i++) {
      if (i > 0) {
        b.append('\t');
      }
      JsonNode v = row.get(FIELDS.get(i));
      if (v != null && !v.isNull()) {
        escape(b, v.asText());
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
