package dev.paritysync.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RetryBudgetTest {
  private final VirtualTime time = new VirtualTime();

  @Test
  void defaults() {
    RetryBudget budget = RetryBudget.builder(time).build();

    assertThat(budget.ratio()).isEqualTo(0.2);
    assertThat(budget.minRetries()).isEqualTo(10);
    assertThat(budget.deferral()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void floorAllowsMinRetriesWithNoRequests() {
    RetryBudget budget = RetryBudget.builder(time).withMinRetries(3).build();

    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isFalse();
    assertThat(budget.usage()).isEqualTo(new RetryBudget.Usage(0, 3, 3));
  }

  @Test
  void zeroFloorAndNoRequestsAllowsNothing() {
    RetryBudget budget = RetryBudget.builder(time).withMinRetries(0).build();

    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void hundredRequestsAtRatioTwentyPercentAllowExactlyTwentyRetries() {
    RetryBudget budget = RetryBudget.builder(time).withRatio(0.2).withMinRetries(0).build();
    for (int i = 0; i < 100; i++) {
      budget.onRequest();
    }

    int granted = 0;
    while (granted < 1000 && budget.tryRetry()) {
      granted++;
    }

    assertThat(granted).isEqualTo(20);
    assertThat(budget.tryRetry()).as("the 21st").isFalse();
    assertThat(budget.usage()).isEqualTo(new RetryBudget.Usage(100, 20, 20));
  }

  /**
   * Ratios whose product with the request count is an integer that binary floating point misses.
   */
  @ParameterizedTest(name = "ratio {0} x {1} requests -> {2}")
  @CsvSource({"0.29, 100, 29", "0.57, 100, 57", "0.1, 30, 3", "0.7, 10, 7", "0.2, 100, 20"})
  void allowanceIsTheExactDecimalFloor(double ratio, int requests, long allowed) {
    RetryBudget budget = RetryBudget.builder(time).withRatio(ratio).withMinRetries(0).build();
    for (int i = 0; i < requests; i++) {
      budget.onRequest();
    }

    assertThat(budget.usage().allowedRetries()).isEqualTo(allowed);
    int granted = 0;
    while (granted < 1000 && budget.tryRetry()) {
      granted++;
    }
    assertThat(granted).isEqualTo(allowed);
  }

  @Test
  void refusedRetryIsGrantedOnceTheWindowSlidesPast() {
    RetryBudget budget = RetryBudget.builder(time).build(); // ratio 0.2, floor 10
    exhaustWithHundredRequests(budget);

    // Deferred, not dropped: ask again after each deferral until the spent counts expire.
    int deferrals = 0;
    boolean granted = false;
    while (!granted && deferrals < 20) {
      time.advance(budget.deferral());
      deferrals++;
      granted = budget.tryRetry();
    }

    assertThat(granted).isTrue();
    assertThat(deferrals).as("one window: ten slices of one deferral each").isEqualTo(10);
    assertThat(budget.usage()).isEqualTo(new RetryBudget.Usage(0, 1, 10));
  }

  @Test
  void newRequestsRefillTheBudgetBeforeTheWindowPasses() {
    RetryBudget budget = RetryBudget.builder(time).build();
    exhaustWithHundredRequests(budget);

    int deferrals = 0;
    boolean granted = false;
    while (!granted && deferrals < 20) {
      time.advance(budget.deferral());
      deferrals++;
      budget.onRequest();
      granted = budget.tryRetry();
    }

    assertThat(granted).isTrue();
    assertThat(deferrals).as("105 requests allow a 21st retry").isEqualTo(5);
  }

  private static void exhaustWithHundredRequests(RetryBudget budget) {
    for (int i = 0; i < 100; i++) {
      budget.onRequest();
    }
    for (int i = 0; i < 20; i++) {
      assertThat(budget.tryRetry()).as("retry %d", i + 1).isTrue();
    }
    assertThat(budget.tryRetry()).as("retry 21").isFalse();
  }

  @Test
  void floorReturnsAfterTheWindow() {
    RetryBudget budget = RetryBudget.builder(time).withMinRetries(2).build();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isFalse();

    time.advance(budget.deferral().multipliedBy(9));
    assertThat(budget.tryRetry()).as("9 slices later the retries still count").isFalse();
    time.advance(budget.deferral());
    assertThat(budget.tryRetry()).as("10 slices later they have expired").isTrue();
  }

  @Test
  void countsFromLongAgoDoNotLinger() {
    RetryBudget budget = RetryBudget.builder(time).withMinRetries(0).build();
    for (int i = 0; i < 50; i++) {
      budget.onRequest();
    }

    time.advance(Duration.ofDays(3));

    assertThat(budget.usage()).isEqualTo(new RetryBudget.Usage(0, 0, 0));
    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void refusalTakesNothing() {
    RetryBudget budget = RetryBudget.builder(time).withMinRetries(1).build();
    assertThat(budget.tryRetry()).isTrue();

    for (int i = 0; i < 5; i++) {
      assertThat(budget.tryRetry()).isFalse();
    }

    assertThat(budget.usage().retries()).isEqualTo(1);
  }

  static Stream<Arguments> builderErrors() {
    return Stream.of(
        error(b -> b.withRatio(-0.1), "retry budget ratio must be in [0, 10], was -0.1"),
        error(b -> b.withRatio(10.5), "retry budget ratio must be in [0, 10], was 10.5"),
        error(b -> b.withRatio(Double.NaN), "retry budget ratio must be in [0, 10], was NaN"),
        error(b -> b.withMinRetries(-1), "retry budget minRetries must be >= 0, was -1"),
        error(
            b -> b.withWindow(Duration.ofMillis(9)),
            "retry budget window must be at least 10 ms, was PT0.009S"));
  }

  private static Arguments error(UnaryOperator<RetryBudget.Builder> setting, String message) {
    return Arguments.of(message, setting);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builderErrors")
  void builderErrorsNameTheSetting(String message, UnaryOperator<RetryBudget.Builder> setting) {
    assertThatThrownBy(() -> setting.apply(RetryBudget.builder(time)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
