package dev.paritysync.royalty.validate;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * International Standard Recording Codes per ISO 3901: 2 letters (the prefix), 3 alphanumerics (the
 * registrant), 2 digits (the year) and 5 digits (the designation). The prefix is not checked
 * against country codes: {@code QM}, {@code QZ} and {@code ZZ} are issued although they are no
 * countries. Thread-safe.
 */
public final class Isrc {
  private Isrc() {}

  /**
   * The canonical 12-character form of {@code raw}. Lower case, hyphens, spaces and an {@code ISRC}
   * prefix are normalised; each change is added to {@code notes} as {@code "isrc: …"}.
   *
   * @throws InvalidValueException when {@code raw} is blank or not an ISRC after normalising
   */
  public static String normalise(@Nullable String raw, List<String> notes) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidValueException("ISRC is missing");
    }
    String s = raw.strip();
    if (s.indexOf(' ') >= 0 || s.indexOf('\t') >= 0) {
      s = s.replaceAll("\\s+", "");
      notes.add("isrc: removed spaces");
    }
    if (s.indexOf('-') >= 0) {
      s = s.replace("-", "");
      notes.add("isrc: removed hyphens");
    }
    String upper = s.toUpperCase(Locale.ROOT);
    if (!upper.equals(s)) {
      notes.add("isrc: upper-cased");
    }
    s = upper;
    // Only a prefix that leaves exactly 12 characters: "ISRC" could begin a real code (IS =
    // Iceland).
    if (s.startsWith("ISRC:") && s.length() == 17) {
      s = s.substring(5);
      notes.add("isrc: removed ISRC prefix");
    } else if (s.startsWith("ISRC") && s.length() == 16) {
      s = s.substring(4);
      notes.add("isrc: removed ISRC prefix");
    }
    if (!valid(s)) {
      throw new InvalidValueException(
          "ISRC '"
              + raw
              + "' is not 2 letters, 3 letters or digits, 2 year digits and 5 digits (ISO 3901)");
    }
    return s;
  }

  /**
   * {@code [A-Z]{2}[A-Z0-9]{3}[0-9]{7}}, checked by hand: a regular expression's matcher per row
   * was a tenth of validation's time.
   */
  private static boolean valid(String s) {
    if (s.length() != 12) {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      char c = s.charAt(i);
      boolean letter = c >= 'A' && c <= 'Z';
      boolean digit = c >= '0' && c <= '9';
      if (i < 2 ? !letter : i < 5 ? !(letter || digit) : !digit) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code raw} is an ISRC, possibly after normalising. */
  public static boolean isValid(@Nullable String raw) {
    try {
      normalise(raw, new java.util.ArrayList<>());
      return true;
    } catch (InvalidValueException e) {
      return false;
    }
  }
}
