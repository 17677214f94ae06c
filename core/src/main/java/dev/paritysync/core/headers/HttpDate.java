package dev.paritysync.core.headers;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP-date of RFC 9110 §5.6.7 in its three forms. {@link DateTimeFormatter} does the lexing
 * (fixed field widths, names from explicit tables, so no locale data is involved); the fields are
 * resolved here, because the resolution rules differ from java.time's: the day name is checked to
 * be a day name but not against the date, a two-digit year needs a reference instant, and second 60
 * (a leap second) is allowed. Stateless and thread-safe.
 */
final class HttpDate {
  private static final Map<Long, String> SHORT_DAYS =
      Map.of(1L, "Mon", 2L, "Tue", 3L, "Wed", 4L, "Thu", 5L, "Fri", 6L, "Sat", 7L, "Sun");
  private static final Map<Long, String> LONG_DAYS =
      Map.of(
          1L,
          "Monday",
          2L,
          "Tuesday",
          3L,
          "Wednesday",
          4L,
          "Thursday",
          5L,
          "Friday",
          6L,
          "Saturday",
          7L,
          "Sunday");
  private static final Map<Long, String> MONTHS =
      Map.ofEntries(
          Map.entry(1L, "Jan"),
          Map.entry(2L, "Feb"),
          Map.entry(3L, "Mar"),
          Map.entry(4L, "Apr"),
          Map.entry(5L, "May"),
          Map.entry(6L, "Jun"),
          Map.entry(7L, "Jul"),
          Map.entry(8L, "Aug"),
          Map.entry(9L, "Sep"),
          Map.entry(10L, "Oct"),
          Map.entry(11L, "Nov"),
          Map.entry(12L, "Dec"));

  /** IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  static final DateTimeFormatter IMF_FIXDATE =
      start()
          .appendText(ChronoField.DAY_OF_WEEK, SHORT_DAYS)
          .appendLiteral(", ")
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .appendLiteral(' ')
          .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
          .appendLiteral(' ')
          .appendValue(ChronoField.YEAR, 4)
          .appendLiteral(' ')
          .append(timeOfDay())
          .appendLiteral(" GMT")
          .toFormatter(Locale.ROOT);

  /** Obsolete RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
  static final DateTimeFormatter RFC_850 =
      start()
          .appendText(ChronoField.DAY_OF_WEEK, LONG_DAYS)
          .appendLiteral(", ")
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .appendLiteral('-')
          .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
          .appendLiteral('-')
          .appendValue(ChronoField.YEAR, 2) // raw two digits; resolved against a reference
          .appendLiteral(' ')
          .append(timeOfDay())
          .appendLiteral(" GMT")
          .toFormatter(Locale.ROOT);

  /** ANSI C asctime: {@code Sun Nov 6 08:49:37 1994}; the day is space-padded or two digits. */
  static final DateTimeFormatter ASCTIME =
      start()
          .appendText(ChronoField.DAY_OF_WEEK, SHORT_DAYS)
          .appendLiteral(' ')
          .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
          .appendLiteral(' ')
          .padNext(2, ' ')
          .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, SignStyle.NOT_NEGATIVE)
          .appendLiteral(' ')
          .append(timeOfDay())
          .appendLiteral(' ')
          .appendValue(ChronoField.YEAR, 4)
          .toFormatter(Locale.ROOT);

  private static final List<DateTimeFormatter> FORMS = List.of(IMF_FIXDATE, RFC_850, ASCTIME);

  private HttpDate() {}

  /**
   * Parses {@code value} (already trimmed) in any of the three forms; a two-digit RFC 850 year is
   * resolved against {@code reference}.
   */
  static Optional<Instant> parse(String value, Instant reference) {
    for (DateTimeFormatter form : FORMS) {
      ParsePosition position = new ParsePosition(0);
      TemporalAccessor fields = form.parseUnresolved(value, position);
      if (fields == null
          || position.getErrorIndex() >= 0
          || position.getIndex() != value.length()) {
        continue;
      }
      try {
        return Optional.of(resolve(fields, form == RFC_850, reference));
      } catch (DateTimeException e) {
        return Optional.empty(); // lexically a date, but not a real one (31 Feb, hour 24)
      }
    }
    return Optional.empty();
  }

  private static Instant resolve(TemporalAccessor f, boolean twoDigitYear, Instant reference) {
    int year = (int) f.getLong(ChronoField.YEAR);
    int month = (int) f.getLong(ChronoField.MONTH_OF_YEAR);
    int day = (int) f.getLong(ChronoField.DAY_OF_MONTH);
    int hour = (int) f.getLong(ChronoField.HOUR_OF_DAY);
    int minute = (int) f.getLong(ChronoField.MINUTE_OF_HOUR);
    int second = (int) f.getLong(ChronoField.SECOND_OF_MINUTE);
    boolean leapSecond = second == 60;
    LocalTime time = LocalTime.of(hour, minute, leapSecond ? 59 : second);
    if (twoDigitYear) {
      year = fullYear(year, month, day, time, reference);
    }
    LocalDateTime dateTime = LocalDate.of(year, month, day).atTime(time);
    if (leapSecond) {
      dateTime = dateTime.plusSeconds(1); // 23:59:60 is the same instant as the next 00:00:00
    }
    return dateTime.toInstant(ZoneOffset.UTC);
  }

  /**
   * RFC 9110 §5.6.7: a two-digit year that appears more than 50 years in the future is the most
   * recent past year with those digits. Symmetrically, one 50 years or more in the past moves a
   * century forward (this matters only from 2050 on), so the result lies within 50 years of the
   * reference.
   */
  private static int fullYear(int twoDigits, int month, int day, LocalTime time, Instant ref) {
    LocalDateTime reference = LocalDateTime.ofInstant(ref, ZoneOffset.UTC);
    int year = Math.floorDiv(reference.getYear(), 100) * 100 + twoDigits;
    if (approximate(year, month, day, time).isAfter(reference.plusYears(50))) {
      return year - 100;
    }
    if (!approximate(year, month, day, time).isAfter(reference.minusYears(50))) {
      return year + 100;
    }
    return year;
  }

  // Comparable even for 29 Feb of a common year (rolls to 1 Mar); validity is checked afterwards.
  private static LocalDateTime approximate(int year, int month, int day, LocalTime time) {
    return LocalDate.of(year, month, 1).plusDays(day - 1L).atTime(time);
  }

  private static DateTimeFormatterBuilder start() {
    return new DateTimeFormatterBuilder().parseCaseInsensitive().parseStrict();
  }

  private static DateTimeFormatter timeOfDay() {
    return new DateTimeFormatterBuilder()
        .appendValue(ChronoField.HOUR_OF_DAY, 2)
        .appendLiteral(':')
        .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
        .appendLiteral(':')
        .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
        .toFormatter(Locale.ROOT);
  }
}
