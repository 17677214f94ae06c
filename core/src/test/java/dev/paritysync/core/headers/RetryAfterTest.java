package dev.paritysync.core.headers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  // A Sunday; 2026-04-05 is three weeks later.
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

  @ParameterizedTest(name = "\"{0}\" -> {1} s")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "0|0",
        "1|1",
        "120|120",
        "007|7",
        "  30  |30",
        "\t45\t|45",
        "000000000000000000000000000005|5",
        "1000000000|1000000000"
      })
  void delaySeconds(String value, long seconds) {
    assertThat(RetryAfter.parse(value, null, NOW)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Sun, 15 Mar 2026 12:01:30 GMT|90",
        "Sunday, 15-Mar-26 12:01:30 GMT|90",
        "Sun Mar 15 12:01:30 2026|90",
        "Sun Apr  5 12:00:00 2026|1814400",
        "Sun Apr 05 12:00:00 2026|1814400",
        "Sun, 15 Mar 2026 12:00:00 GMT|0",
      })
  void httpDateInEachForm(String value, long seconds) {
    assertThat(RetryAfter.parse(value, null, NOW)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 15 Mar 2026 11:59:59 GMT",
        "Thu Mar  5 12:00:00 2026"
      })
  void pastDateIsZero(String value) {
    assertThat(RetryAfter.parse(value, null, NOW)).contains(Duration.ZERO);
  }

  @ParameterizedTest(name = "local clock {0} min off")
  @ValueSource(longs = {-10, -1, 0, 1, 10})
  void httpDateIsMeasuredAgainstTheResponseDate(long skewMinutes) {
    Instant serverNow = NOW;
    Instant localNow = serverNow.plus(Duration.ofMinutes(skewMinutes));
    String retryAt = "Sun, 15 Mar 2026 12:02:00 GMT";

    assertThat(RetryAfter.parse(retryAt, serverNow, localNow)).contains(Duration.ofMinutes(2));
  }

  @Test
  void withoutResponseDateASkewedClockChangesTheWait() {
    String retryAt = "Sun, 15 Mar 2026 12:02:00 GMT";

    assertThat(RetryAfter.parse(retryAt, null, NOW.plus(Duration.ofMinutes(10))))
        .contains(Duration.ZERO);
    assertThat(RetryAfter.parse(retryAt, null, NOW.minus(Duration.ofMinutes(10))))
        .contains(Duration.ofMinutes(12));
  }

  @Test
  void delaySecondsIgnoreTheResponseDate() {
    assertThat(RetryAfter.parse("30", NOW.minus(Duration.ofHours(1)), NOW))
        .contains(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t", "  \t "})
  void nullOrBlankIsEmpty(String value) {
    assertThat(RetryAfter.parse(value, null, NOW)).isEmpty();
    assertThat(RetryAfter.parseHttpDate(value)).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        // numbers that are not 1*DIGIT
        "-1",
        "-0",
        "+5",
        "1.5",
        "0.0",
        "1e3",
        "0x10",
        "5 s",
        "5s",
        "5, 6",
        "1 000",
        "\u0661\u0662", // Arabic-Indic digits
        "\uff15", // fullwidth 5
        // words
        "abc",
        "soon",
        "null",
        "NaN",
        "Infinity",
        // dates in forms RFC 9110 does not allow
        "2026-03-15T12:01:30Z",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Sept 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT trailing",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov   6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        // lexically dates, but not real ones
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Tue, 29 Feb 2022 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun Nov 31 08:49:37 1994",
        "Xyz, 06 Nov 1994 08:49:37 GMT"
      })
  void garbageIsEmpty(String value) {
    assertThat(RetryAfter.parse(value, null, NOW)).isEmpty();
    assertThat(RetryAfter.parse(value, NOW, NOW)).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "1000000001",
        "9223372036854775807",
        "9223372036854775808",
        "99999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Wed, 21 Nov 2057 13:46:41 GMT" // 10^9 s + 1 s after NOW
      })
  void overflowIsEmpty(String value) {
    assertThat(RetryAfter.parse(value, null, NOW)).isEmpty();
  }

  @Test
  void dateAtTheBoundIsKept() {
    assertThat(RetryAfter.parse("Wed, 21 Nov 2057 13:46:40 GMT", null, NOW))
        .contains(Duration.ofSeconds(1_000_000_000));
  }

  @Test
  void boundIsExactToTheNanosecond() {
    Instant atBound = NOW.plusSeconds(RetryAfter.MAX_DELAY_SECONDS);
    assertThat(RetryAfter.until(NOW, atBound)).contains(Duration.ofSeconds(1_000_000_000));
    assertThat(RetryAfter.until(NOW, atBound.plusNanos(1))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // letter case does not matter (RFC 9111 §4.2 leniency)
        "sun, 15 mar 2026 12:01:30 gmt|2026-03-15T12:01:30Z",
        "SUNDAY, 15-MAR-26 12:01:30 GMT|2026-03-15T12:01:30Z",
        // a day name that does not match the date is ignored
        "Mon, 15 Mar 2026 12:01:30 GMT|2026-03-15T12:01:30Z",
        // second 60 is a leap second: the next minute's second 0
        "Sat, 31 Dec 2016 23:59:60 GMT|2017-01-01T00:00:00Z",
        // the example of RFC 9110 §5.6.7 in its three forms
        "Sun, 06 Nov 1994 08:49:37 GMT|1994-11-06T08:49:37Z",
        "Sunday, 06-Nov-94 08:49:37 GMT|1994-11-06T08:49:37Z",
        "Sun Nov  6 08:49:37 1994|1994-11-06T08:49:37Z",
        "  Sun, 06 Nov 1994 08:49:37 GMT  |1994-11-06T08:49:37Z",
      })
  void parseHttpDatePinsLeniency(String value, String expected) {
    assertThat(RetryAfter.parseHttpDate(value)).contains(Instant.parse(expected));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Sunday, 15-Mar-26 12:00:00 GMT|2026-03-15T12:00:00Z",
        "Saturday, 01-Jan-00 00:00:00 GMT|2000-01-01T00:00:00Z",
        "Sunday, 06-Nov-94 08:49:37 GMT|1994-11-06T08:49:37Z",
        // 2076-03-01 is less than 50 years after NOW: kept in this century
        "Sunday, 01-Mar-76 00:00:00 GMT|2076-03-01T00:00:00Z",
        // 2076-11-06 is more than 50 years after NOW: the past century
        "Friday, 06-Nov-76 00:00:00 GMT|1976-11-06T00:00:00Z",
        "Sunday, 06-Nov-77 00:00:00 GMT|1977-11-06T00:00:00Z",
      })
  void twoDigitYearFollowsRfc9110AgainstNow(String value, String expected) {
    assertThat(RetryAfter.parseHttpDate(value, NOW)).contains(Instant.parse(expected));
  }

  @Test
  void twoDigitYearFromAfter2050MovesForward() {
    Instant in2099 = Instant.parse("2099-06-01T00:00:00Z");
    assertThat(RetryAfter.parseHttpDate("Monday, 01-Jan-01 00:00:00 GMT", in2099))
        .contains(Instant.parse("2101-01-01T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Friday, 31-Dec-49 23:59:59 GMT|2049-12-31T23:59:59Z",
        "Sunday, 01-Jan-50 00:00:00 GMT|1950-01-01T00:00:00Z",
        "Saturday, 01-Jan-00 00:00:00 GMT|2000-01-01T00:00:00Z",
        "Friday, 31-Dec-99 23:59:59 GMT|1999-12-31T23:59:59Z",
      })
  void twoDigitYearWithoutAClockSplitsAt50(String value, String expected) {
    assertThat(RetryAfter.parseHttpDate(value)).contains(Instant.parse(expected));
  }

  @Test
  void fromReadsRetryAfterAndDate() {
    Headers headers =
        Headers.of(
            "Retry-After",
            "Sun, 15 Mar 2026 12:02:00 GMT",
            "Date",
            "Sun, 15 Mar 2026 12:00:00 GMT");

    assertThat(RetryAfter.from(headers, NOW.plus(Duration.ofMinutes(10))))
        .contains(Duration.ofMinutes(2));
    assertThat(RetryAfter.from(headers, NOW.minus(Duration.ofMinutes(10))))
        .contains(Duration.ofMinutes(2));
  }

  @Test
  void fromAcceptsDateInAnyFormAndAnyCaseOfName() {
    Headers headers =
        Headers.of(
            "retry-after", "Sun Mar 15 12:02:00 2026", "DATE", "Sunday, 15-Mar-26 12:00:00 GMT");

    assertThat(RetryAfter.from(headers, NOW.plusSeconds(600))).contains(Duration.ofMinutes(2));
  }

  @Test
  void fromIgnoresAnUnparseableDate() {
    Headers headers =
        Headers.of("Retry-After", "Sun, 15 Mar 2026 12:02:00 GMT", "Date", "yesterday-ish");

    assertThat(RetryAfter.from(headers, NOW)).contains(Duration.ofMinutes(2));
  }

  @Test
  void fromWithoutRetryAfterIsEmpty() {
    assertThat(RetryAfter.from(Headers.empty(), NOW)).isEmpty();
    assertThat(RetryAfter.from(Headers.of("Date", "Sun, 15 Mar 2026 12:00:00 GMT"), NOW)).isEmpty();
    assertThat(RetryAfter.from(Headers.of("Retry-After", "later"), NOW)).isEmpty();
  }

  @Test
  void fromReadsSecondsWithAnyDate() {
    assertThat(RetryAfter.from(Headers.of("Retry-After", "5", "Date", "nonsense"), NOW))
        .isEqualTo(Optional.of(Duration.ofSeconds(5)));
  }
}
