package dev.paritysync.royalty.validate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A usage period as its first and last day (both inclusive). The partition month of a row is the
 * month of {@link #start()}: a period that spans months (a quarter, a range) is filed under the
 * month it began, so every row has exactly one partition.
 *
 * <p>{@link #parse} reads the DSR forms: a day ({@code 2015-02-14} or {@code 20150214}), a month
 * ({@code 2015-02}), a quarter ({@code 2015-Q4}), an ISO week ({@code 2015-W05}), a year ({@code
 * 2015}) and a range of any two of these ({@code 2015-01-01--2015-01-31}). Immutable.
 *
 * @param start first day
 * @param end last day, not before {@code start}
 */
public record UsagePeriod(LocalDate start, LocalDate end) {
  private static final Pattern DAY = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern BASIC_DAY = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
  private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
  private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");
  private static final Pattern YEAR = Pattern.compile("(\\d{4})");

  /** Checks the order of the days. */
  public UsagePeriod {
    if (end.isBefore(start)) {
      throw new InvalidValueException("period ends (" + end + ") before it starts (" + start + ")");
    }
  }

  /** The month rows of this period are partitioned under: the month of {@link #start()}. */
  public YearMonth partitionMonth() {
    return YearMonth.of(start.getYear(), start.getMonth()); // from(start) queries the chronology
  }

  /**
   * Parses a DSR period expression.
   *
   * @throws InvalidValueException when {@code text} is none of the forms above
   */
  public static UsagePeriod parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidValueException("period is missing");
    }
    String s = text.strip();
    int range = s.indexOf("--");
    if (range > 0) {
      UsagePeriod from = single(s.substring(0, range), text);
      UsagePeriod to = single(s.substring(range + 2), text);
      return new UsagePeriod(from.start, to.end);
    }
    return single(s, text);
  }

  /** Parses a start and an end expression: the start of one to the end of the other. */
  public static UsagePeriod parse(@Nullable String startText, @Nullable String endText) {
    if (startText == null || startText.isBlank()) {
      throw new InvalidValueException("period start is missing");
    }
    if (endText == null || endText.isBlank()) {
      return parse(startText);
    }
    return new UsagePeriod(parse(startText).start, parse(endText).end);
  }

  /** Parses start and end dates written with {@code format} (e.g. Apple's {@code MM/dd/yyyy}). */
  public static UsagePeriod parse(
      @Nullable String startText, @Nullable String endText, DateTimeFormatter format) {
    return new UsagePeriod(date(startText, format, "start"), date(endText, format, "end"));
  }

  private static LocalDate date(@Nullable String text, DateTimeFormatter format, String which) {
    if (text == null || text.isBlank()) {
      throw new InvalidValueException("period " + which + " is missing");
    }
    try {
      return LocalDate.parse(text.strip(), format);
    } catch (DateTimeParseException e) {
      throw new InvalidValueException(
          "period " + which + " '" + text + "' is not a date in the form " + format);
    }
  }

  private static UsagePeriod single(String s, String whole) {
    try {
      Matcher m;
      if ((m = DAY.matcher(s)).matches() || (m = BASIC_DAY.matcher(s)).matches()) {
        LocalDate d = LocalDate.of(num(m, 1), num(m, 2), num(m, 3));
        return new UsagePeriod(d, d);
      }
      if ((m = MONTH.matcher(s)).matches()) {
        YearMonth ym = YearMonth.of(num(m, 1), num(m, 2));
        return new UsagePeriod(ym.atDay(1), ym.atEndOfMonth());
      }
      if ((m = QUARTER.matcher(s)).matches()) {
        YearMonth first = YearMonth.of(num(m, 1), (num(m, 2) - 1) * 3 + 1);
        return new UsagePeriod(first.atDay(1), first.plusMonths(2).atEndOfMonth());
      }
      if ((m = WEEK.matcher(s)).matches()) {
        int year = num(m, 1);
        int week = num(m, 2);
        LocalDate mid = LocalDate.of(year, 6, 1);
        if (week < 1 || week > mid.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
          throw new InvalidValueException("period '" + whole + "' names week " + week);
        }
        LocalDate monday =
            mid.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return new UsagePeriod(monday, monday.plusDays(6));
      }
      if ((m = YEAR.matcher(s)).matches()) {
        int year = num(m, 1);
        return new UsagePeriod(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
      }
    } catch (java.time.DateTimeException e) {
      throw new InvalidValueException(
          "period '" + whole + "' is no calendar date: " + e.getMessage());
    }
    throw new InvalidValueException(
        "period '"
            + whole
            + "' is not a day, month (2015-02), quarter (2015-Q4), week (2015-W05), year or range"
            + " (a--b)");
  }

  private static int num(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }
}
