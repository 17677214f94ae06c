package dev.paritysync.core.quota;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One window of a quota: at most {@code capacity} requests per {@code period}. Immutable.
 *
 * <p>Bounds, from the token bucket's integer arithmetic: at most a million per second, and {@code
 * capacity × period} in microseconds below 2^61 (e.g. 36500/72h and 200000/30d are fine).
 *
 * @param capacity requests allowed per period, at least 1
 * @param period the window: a positive whole number of milliseconds
 */
public record QuotaLimit(long capacity, Duration period) {
  private static final Pattern FORM =
      Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)\\s*", Pattern.CASE_INSENSITIVE);

  public QuotaLimit {
    if (capacity < 1) {
      throw new IllegalArgumentException("quota capacity must be at least 1, was " + capacity);
    }
    if (period == null || period.toMillis() < 1 || period.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "quota period must be a positive whole number of milliseconds, was " + period);
    }
    long micros = period.toNanos() / 1_000;
    if (capacity > micros) {
      throw new IllegalArgumentException(
          "quota " + capacity + "/" + period + " is too fast: at most 1000000 per second");
    }
    if (capacity > Long.MAX_VALUE / 4 / micros) {
      // the token bucket multiplies capacity by elapsed microseconds; keep well clear of overflow
      throw new IllegalArgumentException(
          "quota "
              + capacity
              + "/"
              + period
              + " is too large: capacity × period in µs must stay below 2^61");
    }
  }

  /**
   * Parses {@code capacity/period}: {@code "10/1m"}, {@code "1460/1s"}, {@code "36500/72h"}, {@code
   * "5/s"} (a missing amount means 1). Units: {@code ms}, {@code s}, {@code m}, {@code h}, {@code
   * d}.
   *
   * @throws IllegalArgumentException naming the text
   */
  public static QuotaLimit parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "quota limit '"
              + text
              + "' is not capacity/period, e.g. 10/1m, 1460/1s, 36500/72h or 5/s (units ms, s,"
              + " m, h, d)");
    }
    long capacity;
    long amount;
    try {
      capacity = Long.parseLong(m.group(1));
      amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("quota limit '" + text + "': number too large", e);
    }
    if (capacity < 1 || amount < 1) {
      throw new IllegalArgumentException(
          "quota limit '" + text + "': capacity and period must be at least 1");
    }
    Duration period;
    try {
      period =
          switch (m.group(3).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      long unused = period.toNanos(); // overflows for absurd periods
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("quota limit '" + text + "': period too long", e);
    }
    try {
      return new QuotaLimit(capacity, period);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("quota limit '" + text + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return capacity + "/" + period;
  }
}
