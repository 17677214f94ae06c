package dev.paritysync.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitHeadersTest {
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  private static final String SERVER_DATE = "Sun, 15 Mar 2026 12:00:00 GMT";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RateLimit-", "X-RateLimit-", "ratelimit-", "x-ratelimit-"})
  void deltaSecondsEitherPrefix(String prefix) {
    Headers headers = Headers.of(prefix + "Remaining", "5", prefix + "Reset", "30");

    RateLimitInfo info = RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW);

    assertThat(info.remaining()).hasValue(5);
    assertThat(info.reset()).contains(Duration.ofSeconds(30));
    assertThat(info.exhausted()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RateLimit-", "X-RateLimit-"})
  void epochSecondsEitherPrefix(String prefix) {
    long resetAt = NOW.getEpochSecond() + 60;
    Headers headers =
        Headers.of(prefix + "Remaining", "0", prefix + "Reset", Long.toString(resetAt));

    RateLimitInfo info = RateLimitHeaders.parse(headers, ResetMode.EPOCH_SECONDS, NOW);

    assertThat(info.remaining()).hasValue(0);
    assertThat(info.reset()).contains(Duration.ofSeconds(60));
    assertThat(info.exhausted()).isTrue();
  }

  @ParameterizedTest(name = "local clock {0} min off")
  @ValueSource(longs = {-10, 0, 10})
  void epochResetIsMeasuredAgainstTheResponseDate(long skewMinutes) {
    long resetAt = NOW.getEpochSecond() + 60;
    Headers headers = Headers.of("RateLimit-Reset", Long.toString(resetAt), "Date", SERVER_DATE);

    RateLimitInfo info =
        RateLimitHeaders.parse(
            headers, ResetMode.EPOCH_SECONDS, NOW.plus(Duration.ofMinutes(skewMinutes)));

    assertThat(info.reset()).contains(Duration.ofSeconds(60));
  }

  @Test
  void epochResetWithoutDateIsMeasuredAgainstNow() {
    long resetAt = NOW.getEpochSecond() + 60;
    Headers headers = Headers.of("RateLimit-Reset", Long.toString(resetAt), "Date", "garbage");

    assertThat(
            RateLimitHeaders.parse(headers, ResetMode.EPOCH_SECONDS, NOW.plusSeconds(20)).reset())
        .contains(Duration.ofSeconds(40));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "30", "1773575999"}) // the last is NOW - 1 s
  void epochResetInThePastIsZero(String value) {
    Headers headers = Headers.of("X-RateLimit-Reset", value);

    assertThat(RateLimitHeaders.parse(headers, ResetMode.EPOCH_SECONDS, NOW).reset())
        .contains(Duration.ZERO);
  }

  @Test
  void deltaModeReadsAnEpochValueAsAHugeDeltaOverTheBound() {
    Headers headers = Headers.of("RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 60));

    assertThat(RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW).reset()).isEmpty();
  }

  @ParameterizedTest(name = "unprefixed {0}, prefixed {1} -> {2}")
  @CsvSource({"0, 10, 0", "10, 0, 10", "7, 7, 7"})
  void unprefixedRemainingWins(String ietf, String legacy, long expected) {
    Headers headers = Headers.of("RateLimit-Remaining", ietf, "X-RateLimit-Remaining", legacy);

    assertThat(RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW).remaining())
        .hasValue(expected);
  }

  @Test
  void unprefixedResetWins() {
    Headers headers = Headers.of("X-RateLimit-Reset", "99", "RateLimit-Reset", "5");

    assertThat(RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW).reset())
        .contains(Duration.ofSeconds(5));
  }

  @Test
  void invalidUnprefixedValueFallsBackToThePrefixedOne() {
    Headers headers =
        Headers.of(
            "RateLimit-Remaining", "many",
            "X-RateLimit-Remaining", "3",
            "RateLimit-Reset", "-1",
            "X-RateLimit-Reset", "12");

    RateLimitInfo info = RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW);

    assertThat(info.remaining()).hasValue(3);
    assertThat(info.reset()).contains(Duration.ofSeconds(12));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        " ",
        "-1",
        "+1",
        "1.5",
        "1e3",
        "abc",
        "5, 5",
        "99999999999999999999",
        "9223372036854775808"
      })
  void garbageIsAbsent(String value) {
    Headers headers = Headers.of("RateLimit-Remaining", value, "RateLimit-Reset", value);

    for (ResetMode mode : ResetMode.values()) {
      RateLimitInfo info = RateLimitHeaders.parse(headers, mode, NOW);
      assertThat(info).as(mode.name()).isEqualTo(RateLimitInfo.none());
      assertThat(info.exhausted()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1000000001", "9223372036854775807"})
  void overflowingDeltaResetIsAbsent(String value) {
    Headers headers = Headers.of("RateLimit-Reset", value);

    assertThat(RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW).reset()).isEmpty();
  }

  @Test
  void deltaResetAtTheBoundIsKept() {
    Headers headers = Headers.of("RateLimit-Reset", "1000000000");

    assertThat(RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW).reset())
        .contains(Duration.ofSeconds(1_000_000_000));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "99999999999", // year 5138: a wait over the 10^9 s bound
        "31556889864403200", // past Instant.MAX
        "9223372036854775808" // past Long.MAX_VALUE
      })
  void overflowingEpochResetIsAbsent(String value) {
    Headers headers = Headers.of("RateLimit-Reset", value);

    assertThat(RateLimitHeaders.parse(headers, ResetMode.EPOCH_SECONDS, NOW).reset()).isEmpty();
  }

  @Test
  void remainingUpToLongMaxIsKept() {
    Headers headers = Headers.of("RateLimit-Remaining", "9223372036854775807");

    assertThat(RateLimitHeaders.parse(headers, ResetMode.DELTA_SECONDS, NOW).remaining())
        .hasValue(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @EnumSource(ResetMode.class)
  void noHeadersIsNone(ResetMode mode) {
    RateLimitInfo info = RateLimitHeaders.parse(Headers.empty(), mode, NOW);

    assertThat(info).isEqualTo(RateLimitInfo.none());
    assertThat(info.remaining()).isEmpty();
    assertThat(info.reset()).isEmpty();
  }

  @ParameterizedTest(name = "remaining {0} -> exhausted {1}")
  @CsvSource({"0, true", "1, false", "100, false"})
  void exhaustedOnlyAtZero(long remaining, boolean exhausted) {
    assertThat(new RateLimitInfo(OptionalLong.of(remaining), Optional.empty()).exhausted())
        .isEqualTo(exhausted);
  }

  @Test
  void unknownRemainingIsNotExhausted() {
    assertThat(new RateLimitInfo(OptionalLong.empty(), Optional.of(Duration.ZERO)).exhausted())
        .isFalse();
  }

  @Test
  void infoRejectsNegativeValuesNamingThem() {
    assertThatThrownBy(() -> new RateLimitInfo(OptionalLong.of(-1), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate-limit remaining must not be negative, was -1");
    assertThatThrownBy(
            () -> new RateLimitInfo(OptionalLong.empty(), Optional.of(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate-limit reset must not be negative, was PT-1S");
  }
}
