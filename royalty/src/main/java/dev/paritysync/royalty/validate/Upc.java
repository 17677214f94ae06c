package dev.paritysync.royalty.validate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * UPC-A (12 digits), EAN-13 and GTIN-14 product codes with the GS1 mod-10 check digit. Codes are
 * compared, and returned, left-padded with zeros to 14 digits, so a UPC-A and the EAN-13 with a
 * leading zero are the same product. Thread-safe.
 */
public final class Upc {
  private Upc() {}

  /**
   * The 14-digit form of {@code raw}, or null when {@code raw} is null or blank (a missing UPC is
   * not an error: track lines often omit it). Spaces and hyphens are removed and noted in {@code
   * notes}.
   *
   * @throws InvalidValueException when {@code raw} has other than 12–14 digits or a wrong check
   *     digit
   */
  public static @Nullable String normalise(@Nullable String raw, List<String> notes) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = raw.strip();
    String compact = s.replace(" ", "").replace("-", "");
    if (!compact.equals(s)) {
      notes.add("upc: removed spaces or hyphens");
    }
    for (int i = 0; i < compact.length(); i++) {
      char c = compact.charAt(i);
      if (c < '0' || c > '9') {
        throw new InvalidValueException("UPC '" + raw + "' has a character that is not a digit");
      }
    }
    if (compact.length() < 12 || compact.length() > 14) {
      throw new InvalidValueException(
          "UPC '" + raw + "' has " + compact.length() + " digits; expected 12 to 14");
    }
    String gtin = "0".repeat(14 - compact.length()) + compact;
    int expected = checkDigit(gtin.substring(0, 13));
    int actual = gtin.charAt(13) - '0';
    if (expected != actual) {
      throw new InvalidValueException(
          "UPC '" + raw + "' has check digit " + actual + "; GS1 mod-10 gives " + expected);
    }
    return gtin;
  }

  /** True when {@code raw} is a 12–14 digit code with a correct GS1 check digit. */
  public static boolean isValid(@Nullable String raw) {
    try {
      return normalise(raw, new java.util.ArrayList<>()) != null;
    } catch (InvalidValueException e) {
      return false;
    }
  }

  /** GS1 mod-10 over the digits before the check digit: weights 3,1,3,… from the right. */
  static int checkDigit(String body) {
    int sum = 0;
    int weight = 3;
    for (int i = body.length() - 1; i >= 0; i--) {
      sum += (body.charAt(i) - '0') * weight;
      weight = weight == 3 ? 1 : 3;
    }
    return (10 - sum % 10) % 10;
  }
}
