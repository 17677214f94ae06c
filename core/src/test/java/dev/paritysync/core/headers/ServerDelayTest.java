package dev.paritysync.core.headers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerDelayTest {
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  private static final String RESET_IN_45S = Long.toString(NOW.getEpochSecond() + 45);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "Retry-After wins over an exhausted quota",
            Headers.of("Retry-After", "10", "RateLimit-Remaining", "0", "RateLimit-Reset", "30"),
            ResetMode.DELTA_SECONDS,
            Duration.ofSeconds(10)),
        Arguments.of(
            "Retry-After alone",
            Headers.of("Retry-After", "10"),
            ResetMode.DELTA_SECONDS,
            Duration.ofSeconds(10)),
        Arguments.of(
            "Retry-After as a date against Date",
            Headers.of(
                "Retry-After",
                "Sun, 15 Mar 2026 12:01:00 GMT",
                "Date",
                "Sun, 15 Mar 2026 12:00:00 GMT"),
            ResetMode.DELTA_SECONDS,
            Duration.ofMinutes(1)),
        Arguments.of(
            "exhausted quota, delta reset",
            Headers.of("RateLimit-Remaining", "0", "RateLimit-Reset", "30"),
            ResetMode.DELTA_SECONDS,
            Duration.ofSeconds(30)),
        Arguments.of(
            "exhausted quota, epoch reset",
            Headers.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", RESET_IN_45S),
            ResetMode.EPOCH_SECONDS,
            Duration.ofSeconds(45)),
        Arguments.of(
            "invalid Retry-After falls back to the reset",
            Headers.of("Retry-After", "soon", "RateLimit-Remaining", "0", "RateLimit-Reset", "30"),
            ResetMode.DELTA_SECONDS,
            Duration.ofSeconds(30)),
        Arguments.of(
            "quota not exhausted",
            Headers.of("RateLimit-Remaining", "1", "RateLimit-Reset", "30"),
            ResetMode.DELTA_SECONDS,
            null),
        Arguments.of(
            "exhausted quota without reset",
            Headers.of("RateLimit-Remaining", "0"),
            ResetMode.DELTA_SECONDS,
            null),
        Arguments.of(
            "reset without remaining",
            Headers.of("RateLimit-Reset", "30"),
            ResetMode.DELTA_SECONDS,
            null),
        Arguments.of("nothing", Headers.empty(), ResetMode.EPOCH_SECONDS, null),
        Arguments.of(
            "garbage everywhere",
            Headers.of("Retry-After", "-5", "RateLimit-Remaining", "0", "RateLimit-Reset", "x"),
            ResetMode.DELTA_SECONDS,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void requested(String name, Headers headers, ResetMode mode, Duration expected) {
    if (expected == null) {
      assertThat(ServerDelay.requested(headers, mode, NOW)).isEmpty();
    } else {
      assertThat(ServerDelay.requested(headers, mode, NOW)).contains(expected);
    }
  }
}
