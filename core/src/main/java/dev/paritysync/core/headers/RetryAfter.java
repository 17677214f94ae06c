package dev.paritysync.core.headers;

import dev.paritysync.core.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code Retry-After} response header (RFC 9110 §10.2.3): a number of seconds, or an
 * HTTP-date after which to retry.
 *
 * <p><b>Accepted forms.</b> Delay-seconds is {@code 1*DIGIT}: ASCII digits only, leading zeros
 * allowed; a sign, a fraction, an exponent or inner whitespace makes the value invalid. An
 * HTTP-date is accepted in the three forms RFC 9110 §5.6.7 requires recipients to accept:
 *
 * <ul>
 *   <li>IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37 GMT};
 *   <li>obsolete RFC 850 {@code Sunday, 06-Nov-94 08:49:37 GMT}, whose two-digit year is placed
 *       within 50 years of the reference instant (a year more than 50 years in the future is the
 *       past century, as RFC 9110 requires);
 *   <li>asctime {@code Sun Nov 6 08:49:37 1994}, day space-padded or two digits.
 * </ul>
 *
 * <p><b>Strict where RFC 9110 is</b>: the forms' exact punctuation and field widths (a single-digit
 * day in IMF-fixdate, a missing day name, a numeric zone such as {@code +0000} or an unknown zone
 * are rejected, unlike {@link java.time.format.DateTimeFormatter#RFC_1123_DATE_TIME}), real
 * calendar dates only (no 30 Feb, no hour 24). <b>Lenient</b> where no meaning is at risk: names
 * and {@code GMT} in any letter case (as RFC 9111 §4.2 allows caches), a day name that does not
 * match the date (the date is unambiguous without it), and second 60 (a leap second, read as the
 * next minute's second 0). Surrounding whitespace is ignored.
 *
 * <p><b>Bound.</b> A wait longer than 1,000,000,000 seconds (about 31.7 years), whether given as
 * seconds or as a date, is treated as overflow: the result is empty, as for garbage. Such a value
 * cannot be a deliberate wait, and the bound keeps every result convertible to nanoseconds.
 *
 * <p>Methods never throw for a bad header value; they return empty. Stateless and thread-safe.
 */
public final class RetryAfter {
  /** The longest wait accepted, in seconds: 10^9 s, about 31.7 years. */
  static final long MAX_DELAY_SECONDS = 1_000_000_000L;

  // The two-digit-year rule needs a "now"; parseHttpDate(String) has none and reads no clock.
  // One second before 2000 makes the window exactly 1950-01-01..2049-12-31.
  static final Instant TWO_DIGIT_YEAR_REFERENCE = Instant.parse("1999-12-31T23:59:59Z");

  private RetryAfter() {}

  /**
   * Parses a Retry-After value: delay-seconds (non-negative integer) or an HTTP-date in any of the
   * three forms RFC 9110 §5.6.7 accepts. An HTTP-date is measured against {@code responseDate} (the
   * response's Date header) when non-null, else against {@code now}, so a skewed local clock does
   * not stretch or shrink the wait. A past date means {@link Duration#ZERO}. Garbage, negative
   * numbers, fractions, or overflow (more than 10^9 s) give empty, never an exception; null or
   * blank gives empty.
   *
   * @param value the header value, or null
   * @param responseDate the response's Date, or null when absent or unparseable
   * @param now the local time the response arrived; also the reference for a two-digit year when
   *     {@code responseDate} is null
   */
  public static Optional<Duration> parse(
      String value, @Nullable Instant responseDate, Instant now) {
    Objects.requireNonNull(now, "now");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    if (Digits.allDigits(v)) {
      OptionalLong seconds = Digits.parse(v, MAX_DELAY_SECONDS);
      return seconds.isPresent()
          ? Optional.of(Duration.ofSeconds(seconds.getAsLong()))
          : Optional.empty();
    }
    Instant reference = responseDate != null ? responseDate : now;
    return HttpDate.parse(v, reference).flatMap(date -> until(reference, date));
  }

  /**
   * Reads {@code Retry-After} and {@code Date} from {@code headers} and parses as {@link
   * #parse(String, Instant, Instant)}. The Date header is parsed with the same HTTP-date parser; an
   * absent or unparseable Date is ignored (the wait is then measured against {@code now}). Only the
   * first value of each header is read.
   */
  public static Optional<Duration> from(Headers headers, Instant now) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(now, "now");
    Optional<String> value = headers.first("Retry-After");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return parse(value.get(), responseDate(headers, now), now);
  }

  /**
   * Parses an HTTP-date in the three forms; empty on garbage. This method has no clock, so a
   * two-digit RFC 850 year is resolved against a fixed reference, not the current time: {@code
   * 00}–{@code 49} are 2000–2049 and {@code 50}–{@code 99} are 1950–1999. {@link #parse(String,
   * Instant, Instant)} and {@link #from(Headers, Instant)} apply the RFC 9110 rule against the
   * current time instead.
   */
  public static Optional<Instant> parseHttpDate(String value) {
    return parseHttpDate(value, TWO_DIGIT_YEAR_REFERENCE);
  }

  /** As {@link #parseHttpDate(String)}, placing a two-digit year within 50 years of {@code now}. */
  static Optional<Instant> parseHttpDate(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return HttpDate.parse(value.trim(), now);
  }

  /** The response's Date header, or null when absent or unparseable. */
  static @Nullable Instant responseDate(Headers headers, Instant now) {
    return headers.first("Date").flatMap(d -> parseHttpDate(d, now)).orElse(null);
  }

  /** The wait from {@code reference} until {@code target}: zero if past, empty beyond the bound. */
  static Optional<Duration> until(Instant reference, Instant target) {
    Duration wait = Duration.between(reference, target);
    if (wait.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return wait.getSeconds() > MAX_DELAY_SECONDS
            || (wait.getSeconds() == MAX_DELAY_SECONDS && wait.getNano() > 0)
        ? Optional.empty()
        : Optional.of(wait);
  }
}
