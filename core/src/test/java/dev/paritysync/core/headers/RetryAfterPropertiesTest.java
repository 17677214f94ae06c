package dev.paritysync.core.headers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class RetryAfterPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  private static final String[] SHORT_DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] LONG_DAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  enum Form {
    IMF_FIXDATE,
    RFC_850,
    ASCTIME
  }

  @Property
  void delaySecondsRoundTrip(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long seconds) {
    assertThat(RetryAfter.parse(Long.toString(seconds), null, NOW))
        .contains(Duration.ofSeconds(seconds));
  }

  /**
   * Any instant within 49 years before and 30 years after the response (so the two-digit year is
   * unambiguous and the wait within the bound), formatted in each form, parses to the wait from the
   * response Date, whatever the local clock says.
   */
  @Property
  void everyFormParsesToTheRightWait(
      @ForAll("instants") Instant target,
      @ForAll Form form,
      @ForAll @LongRange(min = -3600, max = 3600) long localSkewSeconds) {
    String value = format(target, form);
    Instant responseDate = NOW;
    Instant localNow = NOW.plusSeconds(localSkewSeconds);

    Duration expected = Duration.between(responseDate, target);
    if (expected.isNegative()) {
      expected = Duration.ZERO;
    }
    assertThat(RetryAfter.parse(value, responseDate, localNow)).as(value).contains(expected);
    assertThat(RetryAfter.parseHttpDate(value, NOW)).as(value).contains(target);
  }

  @Property
  void neverThrows(@ForAll String value) {
    assertThat(RetryAfter.parse(value, null, NOW)).isNotNull();
    assertThat(RetryAfter.parseHttpDate(value)).isNotNull();
  }

  @Provide
  Arbitrary<Instant> instants() {
    long before = 49L * 365 * 86_400;
    long after = 30L * 365 * 86_400;
    return Arbitraries.longs()
        .between(-before, after)
        .map(NOW::plusSeconds)
        .edgeCases(c -> c.add(NOW).add(NOW.minusSeconds(1)).add(NOW.plusSeconds(1)));
  }

  // Written independently of the production formatters, so the test does not check them against
  // themselves.
  static String format(Instant instant, Form form) {
    ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
    int dow = t.getDayOfWeek().getValue() - 1;
    String month = MONTHS[t.getMonthValue() - 1];
    String time =
        String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    switch (form) {
      case IMF_FIXDATE:
        return String.format(
            Locale.ROOT,
            "%s, %02d %s %04d %s GMT",
            SHORT_DAYS[dow],
            t.getDayOfMonth(),
            month,
            t.getYear(),
            time);
      case RFC_850:
        return String.format(
            Locale.ROOT,
            "%s, %02d-%s-%02d %s GMT",
            LONG_DAYS[dow],
            t.getDayOfMonth(),
            month,
            t.getYear() % 100,
            time);
      case ASCTIME:
        return String.format(
            Locale.ROOT,
            "%s %s %2d %s %04d",
            SHORT_DAYS[dow],
            month,
            t.getDayOfMonth(),
            time,
            t.getYear());
      default:
        throw new AssertionError(form);
    }
  }
}
