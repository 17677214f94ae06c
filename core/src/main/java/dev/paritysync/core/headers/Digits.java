package dev.paritysync.core.headers;

import java.util.OptionalLong;

/** Parses {@code 1*DIGIT} (ASCII digits only, no sign, no fraction) up to a bound. */
final class Digits {
  private Digits() {}

  /**
   * The value of {@code s} when it is one or more ASCII digits and at most {@code max}; empty for
   * anything else, including a value that would overflow. Never throws.
   */
  static OptionalLong parse(String s, long max) {
    if (s == null || s.isEmpty()) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      int digit = c - '0';
      if (value > (max - digit) / 10) {
        return OptionalLong.empty();
      }
      value = value * 10 + digit;
    }
    return OptionalLong.of(value);
  }

  /** Whether {@code s} is one or more ASCII digits, of any length. */
  static boolean allDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
