package dev.paritysync.core.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

  @Test
  void builderDefaultSettings() {
    Backoff backoff = Backoff.builder().build();

    assertThat(backoff.base()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.multiplier()).isEqualTo(2.0);
    assertThat(backoff.cap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.maxRetries()).isEqualTo(5);
    assertThat(backoff.jitter()).isEqualTo(Jitter.proportional(0.5));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
  void builderDefaultFirstDelays(long seed) {
    Backoff backoff = Backoff.builder().build();
    SplittableRandom random = new SplittableRandom(seed);
    long[][] boundsMillis = {
      {1000, 1500}, {2000, 3000}, {4000, 6000}, {8000, 12000}, {16000, 24000}
    };

    Duration previous = null;
    for (int n = 1; n <= 5; n++) {
      previous = backoff.delay(n, previous, random);
      assertThat(previous)
          .as("retry %d", n)
          .isBetween(
              Duration.ofMillis(boundsMillis[n - 1][0]), Duration.ofMillis(boundsMillis[n - 1][1]));
    }
  }

  @Test
  void builderDefaultSixthExponentialIsCapped() {
    assertThat(Backoff.builder().build().exponential(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.builder().build().delay(6, null, new SplittableRandom(1)))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "after {0} retries -> {1}")
  @CsvSource({"0, true", "4, true", "5, false", "6, false"})
  void builderDefaultAllowsFiveRetries(int done, boolean allowed) {
    assertThat(Backoff.builder().build().allowsRetry(done)).isEqualTo(allowed);
  }

  @Test
  void zeroMaxRetriesAllowsNone() {
    assertThat(Backoff.builder().withMaxRetries(0).build().allowsRetry(0)).isFalse();
  }

  @Test
  void noJitterIsExactlyExponential() {
    Backoff backoff =
        Backoff.builder()
            .withBase(Duration.ofMillis(100))
            .withMultiplier(3)
            .withCap(Duration.ofSeconds(2))
            .withJitter(Jitter.none())
            .build();

    assertThat(backoff.delay(1, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(300));
    assertThat(backoff.delay(3, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(900));
    assertThat(backoff.delay(4, null, new SplittableRandom(1))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void retryNumbersStartAtOne() {
    assertThatThrownBy(() -> Backoff.builder().build().delay(0, null, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry numbers start at 1, was 0");
  }

  static Stream<Arguments> builderErrors() {
    return Stream.of(
        error(b -> b.withBase(Duration.ZERO), "backoff base must be positive, was PT0S"),
        error(b -> b.withBase(Duration.ofSeconds(-1)), "backoff base must be positive, was PT-1S"),
        error(b -> b.withMultiplier(0.5), "backoff multiplier must be >= 1, was 0.5"),
        error(b -> b.withMultiplier(Double.NaN), "backoff multiplier must be >= 1, was NaN"),
        error(
            b -> b.withMultiplier(Double.POSITIVE_INFINITY),
            "backoff multiplier must be >= 1, was Infinity"),
        error(
            b -> b.withBase(Duration.ofSeconds(10)).withCap(Duration.ofSeconds(5)),
            "backoff cap (PT5S) must not be below the base (PT10S)"),
        error(
            b -> b.withCap(Duration.ofDays(366)),
            "backoff cap must be at most 365 days, was PT8784H"),
        error(b -> b.withMaxRetries(-1), "backoff maxRetries must be >= 0, was -1"));
  }

  private static Arguments error(UnaryOperator<Backoff.Builder> setting, String message) {
    return Arguments.of(message, setting);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builderErrors")
  void builderErrorsNameTheSetting(String message, UnaryOperator<Backoff.Builder> setting) {
    assertThatThrownBy(() -> setting.apply(Backoff.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void builtBackoffDoesNotChangeWithItsBuilder() {
    Backoff.Builder builder = Backoff.builder().withBase(Duration.ofSeconds(2));
    Backoff built = builder.build();

    builder.withBase(Duration.ofSeconds(3)).withMaxRetries(9);

    assertThat(built.base()).isEqualTo(Duration.ofSeconds(2));
    assertThat(built.maxRetries()).isEqualTo(5);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "none|NONE|0",
        "full|FULL|0",
        "equal|EQUAL|0",
        "decorrelated|DECORRELATED|0",
        "  Decorrelated  |DECORRELATED|0",
        "FULL|FULL|0",
        "proportional:50%|PROPORTIONAL|0.5",
        "proportional:0.5|PROPORTIONAL|0.5",
        "proportional: 50 %|PROPORTIONAL|0.5",
        "Proportional:0%|PROPORTIONAL|0",
        "proportional:1000%|PROPORTIONAL|10",
        "proportional:7%|PROPORTIONAL|0.07",
        "proportional:29%|PROPORTIONAL|0.29",
      })
  void jitterParsesTheDocumentedForms(String text, Jitter.Kind kind, double proportion) {
    assertThat(Jitter.parse(text)).isEqualTo(new Jitter(kind, proportion));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "random",
        "full:50%",
        "none:0",
        "proportional",
        "proportional:",
        "proportional:abc",
        "proportional:50%%",
        "proportional:NaN",
        "proportional:10d",
        "proportional:0x1p-1",
        "proportional:1e-2147483647%",
        "exponential"
      })
  void jitterRejectsGarbageNamingIt(String text) {
    assertThatThrownBy(() -> Jitter.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown jitter '"
                + text
                + "': expected none, full, equal, decorrelated or proportional:<percent>%");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"proportional:-5%", "proportional:1001%", "proportional:11"})
  void jitterRejectsAProportionOutOfRange(String text) {
    assertThatThrownBy(() -> Jitter.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jitter proportion must be between 0 and 10 (0 % to 1000 %), was ");
  }

  @Test
  void onlyProportionalJitterTakesAProportion() {
    assertThatThrownBy(() -> new Jitter(Jitter.Kind.FULL, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only proportional jitter takes a proportion, not FULL");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0.5, proportional:50%",
    "0.07, proportional:7%",
    "0, proportional:0%",
    "0.001, proportional:0.1%",
    "0.00001, proportional:0.001%",
    "10, proportional:1000%"
  })
  void proportionalJitterPrintsAsPercent(double proportion, String text) {
    assertThat(Jitter.proportional(proportion)).hasToString(text);
  }
}
