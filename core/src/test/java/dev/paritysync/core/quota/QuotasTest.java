package dev.paritysync.core.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuotasTest {
  private final VirtualTime time = new VirtualTime();
  private final QuotaKey hotelA = new QuotaKey("booking", "hotel-a", "ari");
  private final QuotaKey hotelB = new QuotaKey("booking", "hotel-b", "ari");

  private Quotas tenPerMinute() {
    return Quotas.builder(time)
        .withMaxGuard(Duration.ZERO)
        .withLimits("booking", "ari", List.of(QuotaLimit.parse("10/1m")))
        .build();
  }

  /**
   * Takes as a request would and ends it at once, unanswered: nothing is in flight at a boundary,
   * so these tests see the windows alone (the in-flight tests at the end see the rest).
   */
  private Duration take(Quotas q, QuotaKey key, long tokens) {
    Duration wait = q.tryTake(key, tokens);
    if (wait.isZero() && !q.limitsFor(key).isEmpty()) { // an unlimited key keeps no flights
      for (long i = 0; i < tokens; i++) {
        q.released(key, time.instant(), false);
      }
    }
    return wait;
  }

  @Test
  void tenCallsPerMinutePerProperty() {
    Quotas q = tenPerMinute();
    for (int i = 0; i < 10; i++) {
      assertThat(take(q, hotelA, 1)).as("call %d", i + 1).isZero();
    }
    // interval refill: the 11th waits for the whole window, not one sixth of it
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
    time.advance(Duration.ofSeconds(6));
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofSeconds(54));
    time.advance(Duration.ofSeconds(53));
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      assertThat(take(q, hotelA, 1)).as("call %d after refill", i + 1).isZero();
    }
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void refusedTakeTakesNothing() {
    Quotas q = tenPerMinute();
    assertThat(take(q, hotelA, 8)).isZero();
    assertThat(take(q, hotelA, 3)).isEqualTo(Duration.ofMinutes(1));
    assertThat(take(q, hotelA, 2)).isZero();
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void keysAreIndependentPerProperty() {
    Quotas q = tenPerMinute();
    assertThat(take(q, hotelA, 10)).isZero();
    assertThat(take(q, hotelA, 1)).isPositive();
    assertThat(take(q, hotelB, 10)).isZero();
    assertThat(take(q, new QuotaKey("booking", "hotel-a", "reservations"), 1))
        .as("an endpoint without limits")
        .isZero();
  }

  @Test
  void twoWindowsAtOnce() {
    Quotas q =
        Quotas.builder(time)
            .withMaxGuard(Duration.ZERO)
            .withLimits(
                "expedia", "*", List.of(QuotaLimit.parse("1460/1s"), QuotaLimit.parse("36500/72h")))
            .build();
    QuotaKey key = new QuotaKey("expedia", "hotel-a", "ari");
    for (int second = 0; second < 25; second++) {
      assertThat(take(q, key, 1460)).as("second %d", second).isZero();
      // refused: the wait is the longer of the windows' waits
      Duration expected =
          second < 24 ? Duration.ofSeconds(1) : Duration.ofHours(72).minusSeconds(24);
      assertThat(take(q, key, 1)).as("second %d", second).isEqualTo(expected);
      time.advance(Duration.ofSeconds(1));
    }
    // 25 × 1460 = 36500: the per-second window is full again, the 72h window is spent
    assertThat(take(q, key, 1)).isEqualTo(Duration.ofHours(72).minusSeconds(25));
    time.advance(Duration.ofHours(72).minusSeconds(26));
    assertThat(take(q, key, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(take(q, key, 1460)).isZero();
    assertThat(take(q, key, 1)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void multiWindowTakeIsAllOrNothing() {
    Quotas q =
        Quotas.builder(time)
            .withMaxGuard(Duration.ZERO)
            .withLimits("c", "e", List.of(QuotaLimit.parse("5/1s"), QuotaLimit.parse("8/1m")))
            .build();
    QuotaKey key = new QuotaKey("c", "p", "e");
    assertThat(take(q, key, 5)).isZero();
    time.advance(Duration.ofSeconds(1));
    // 5 would fit the 1s window but not the 1m one (3 left): nothing is taken from either
    assertThat(take(q, key, 5)).isEqualTo(Duration.ofSeconds(59));
    assertThat(take(q, key, 3)).isZero();
    assertThat(take(q, key, 1)).isEqualTo(Duration.ofSeconds(59));
  }

  @Test
  void pauseRefusesTheWholeKeyUntilTheInstant() {
    Quotas q = tenPerMinute();
    Instant until = time.instant().plusSeconds(30);
    q.pauseUntil(hotelA, until);
    assertThat(q.pausedUntil(hotelA)).contains(until);
    assertThat(q.pauseRemaining(hotelA)).isEqualTo(Duration.ofSeconds(30));
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(take(q, hotelB, 1)).as("another scope").isZero();
    time.advance(Duration.ofSeconds(29));
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(q.pausedUntil(hotelA)).isEmpty();
    assertThat(q.pauseRemaining(hotelA)).isZero();
    for (int i = 0; i < 10; i++) {
      assertThat(take(q, hotelA, 1)).as("nothing was taken during the pause").isZero();
    }
  }

  @Test
  void pauseAndWindowWaitTheLonger() {
    Quotas q = tenPerMinute();
    assertThat(take(q, hotelA, 10)).isZero();
    q.pauseUntil(hotelA, time.instant().plusSeconds(5));
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofMinutes(1));
    q.pauseUntil(hotelA, time.instant().plusSeconds(90));
    assertThat(take(q, hotelA, 1)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void laterPauseExtendsEarlierNeverShortens() {
    Quotas q = tenPerMinute();
    Instant t0 = time.instant();
    q.pauseUntil(hotelA, t0.plusSeconds(10));
    q.pauseUntil(hotelA, t0.plusSeconds(40));
    assertThat(q.pausedUntil(hotelA)).contains(t0.plusSeconds(40));
    q.pauseUntil(hotelA, t0.plusSeconds(20));
    assertThat(q.pausedUntil(hotelA)).contains(t0.plusSeconds(40));
    assertThat(q.pauseRemaining(hotelA)).isEqualTo(Duration.ofSeconds(40));
    time.advance(Duration.ofSeconds(40));
    assertThat(take(q, hotelA, 1)).isZero();
  }

  @Test
  void keysWithoutLimitsAlwaysAllowButHonourPauses() {
    Quotas q = Quotas.builder(time).build();
    QuotaKey key = new QuotaKey("airbnb", "p", "ari");
    for (int i = 0; i < 10_000; i++) {
      assertThat(take(q, key, 1_000_000)).isZero();
    }
    assertThat(q.limitsFor(key)).isEmpty();
    assertThat(q.pausedUntil(key)).isEmpty();
    q.pauseUntil(key, time.instant().plusMillis(1500));
    assertThat(take(q, key, 1)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void exactEndpointBeatsWildcard() {
    Quotas q =
        Quotas.builder(time)
            .withMaxGuard(Duration.ZERO)
            .withLimits("c", "*", List.of(QuotaLimit.parse("1/1s")))
            .withLimits("c", "ari", List.of(QuotaLimit.parse("2/1s")))
            .build();
    assertThat(q.limitsFor(new QuotaKey("c", "p", "ari"))).containsExactly(QuotaLimit.parse("2/s"));
    assertThat(q.limitsFor(new QuotaKey("c", "p", "other")))
        .containsExactly(new QuotaLimit(1, Duration.ofSeconds(1)));
  }

  @Test
  void errorsNameTheCulprit() {
    Quotas q = tenPerMinute();
    assertThatThrownBy(() -> q.tryTake(hotelA, 11))
        .hasMessage(
            "11 tokens exceed the capacity of window 10/PT1M for QuotaKey[channel=booking,"
                + " scope=hotel-a, endpoint=ari]");
    assertThatThrownBy(() -> q.tryTake(hotelA, 0)).hasMessage("tokens must be at least 1, was 0");
    Quotas.Builder b = Quotas.builder(time).withLimits("c", "e", List.of(QuotaLimit.parse("1/s")));
    assertThatThrownBy(() -> b.withLimits("c", "e", List.of(QuotaLimit.parse("2/s"))))
        .hasMessage("quota for channel 'c' endpoint 'e' is set twice");
    assertThatThrownBy(() -> b.withLimits("c", "f", List.of()))
        .hasMessage("quota for channel 'c' endpoint 'f' has no windows");
  }

  @ParameterizedTest
  @CsvSource({
    "10/1m, 10, PT1M",
    "1460/1s, 1460, PT1S",
    "36500/72h, 36500, PT72H",
    "5/s, 5, PT1S",
    "' 3 / 250ms ', 3, PT0.25S",
    "100/1d, 100, PT24H",
    "7/2M, 7, PT2M"
  })
  void parsesLimits(String text, long capacity, Duration period) {
    assertThat(QuotaLimit.parse(text)).isEqualTo(new QuotaLimit(capacity, period));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "10/", "/1m", "ten/1m", "10/1w", "10 per minute", "-1/1s"})
  void rejectsMalformedLimitsNamingTheText(String text) {
    assertThatThrownBy(() -> QuotaLimit.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "quota limit '"
                + text
                + "' is not capacity/period, e.g. 10/1m, 1460/1s, 36500/72h or 5/s (units ms, s,"
                + " m, h, d)");
  }

  @Test
  void rejectsZeroAndOverflow() {
    assertThatThrownBy(() -> QuotaLimit.parse("0/1s"))
        .hasMessage("quota limit '0/1s': capacity and period must be at least 1");
    assertThatThrownBy(() -> QuotaLimit.parse("1/0s"))
        .hasMessage("quota limit '1/0s': capacity and period must be at least 1");
    assertThatThrownBy(() -> QuotaLimit.parse("1/99999999999999d"))
        .hasMessage("quota limit '1/99999999999999d': period too long");
    assertThatThrownBy(() -> QuotaLimit.parse("99999999999999999999/1s"))
        .hasMessage("quota limit '99999999999999999999/1s': number too large");
    assertThatThrownBy(() -> QuotaLimit.parse("2000000/1s"))
        .hasMessage(
            "quota limit '2000000/1s': quota 2000000/PT1S is too fast: at most 1000000 per second");
    assertThatThrownBy(() -> QuotaLimit.parse("100000000/3650d"))
        .hasMessage(
            "quota limit '100000000/3650d': quota 100000000/PT87600H is too large: capacity ×"
                + " period in µs must stay below 2^61");
    assertThat(QuotaLimit.parse("200000/30d").capacity()).isEqualTo(200_000);
    assertThat(QuotaLimit.parse("1000000/1s").capacity()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> new QuotaLimit(1, Duration.ofNanos(1500)))
        .hasMessage(
            "quota period must be a positive whole number of milliseconds, was PT0.0000015S");
    assertThatThrownBy(() -> QuotaLimit.parse(null))
        .hasMessageStartingWith("quota limit 'null' is not capacity/period");
  }

  @Test
  void usedKeysShowTokensLeftAndPausesWithoutTakingAny() {
    Quotas q = tenPerMinute();
    assertThat(q.configured("booking")).containsOnlyKeys("ari");
    assertThat(q.configured("expedia")).isEmpty();
    assertThat(q.used("booking")).isEmpty();

    assertThat(take(q, hotelA, 3)).isZero();
    q.pauseUntil(hotelB, time.instant().plusSeconds(30));

    List<Quotas.KeyState> used = q.used("booking");
    assertThat(used).extracting(k -> k.key().scope()).containsExactly("hotel-a", "hotel-b");
    assertThat(used.get(0).available()).isEqualTo(7);
    assertThat(used.get(0).pausedUntil()).isNull();
    assertThat(used.get(0).limits()).containsExactly(QuotaLimit.parse("10/1m"));
    assertThat(used.get(1).available()).isEqualTo(10);
    assertThat(used.get(1).pausedUntil()).isEqualTo(time.instant().plusSeconds(30));
    assertThat(q.used("booking").get(0).available()).as("reading takes nothing").isEqualTo(7);

    time.advance(Duration.ofMinutes(1));
    assertThat(q.used("booking").get(0).available()).isEqualTo(10);
    assertThat(q.used("booking").get(1).pausedUntil()).isNull();
  }

  /**
   * A window starts a guard after its first take and is anchored by the first answer; a request
   * still open at a boundary, or ended within the phase before it, counts in the next window too:
   * the channel, counting arrivals, never receives more than its capacity in one of its windows.
   */
  @Test
  void aRequestInFlightAcrossTheBoundaryCountsInTheNextWindowToo() {
    Quotas q =
        Quotas.builder(time)
            .withLimits("booking", "ari", List.of(QuotaLimit.parse("2/2s")))
            .build();
    assertThat(q.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofMillis(100));
    q.released(hotelA, time.instant(), true); // anchored: the window runs 0.2 s .. 2.2 s
    time.advance(Duration.ofMillis(2_000)); // 2.1 s: late in the window
    assertThat(q.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofMillis(150)); // 2.25 s: the next window, that request still open
    assertThat(q.tryTake(hotelA, 1)).as("one token left of two").isZero();
    assertThat(q.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(1_950));
    time.advance(Duration.ofMillis(1_850)); // 4.1 s
    q.released(hotelA, time.instant(), true); // 0.1 s before the boundary: within the phase
    q.released(hotelA, time.instant(), true);
    time.advance(Duration.ofMillis(100)); // 4.2 s: refill
    assertThat(q.used("booking").get(0).available()).as("2 less the 2 ended near 4.2 s").isZero();
    assertThat(q.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(2)); // 6.2 s: nothing open, nothing ended near it
    assertThat(take(q, hotelA, 2)).isZero();
  }

  /** A take never released (its caller failed) counts as in flight until maxInFlight, then ends. */
  @Test
  void aTakeNeverReleasedExpires() {
    Quotas q =
        Quotas.builder(time)
            .withMaxGuard(Duration.ZERO)
            .withMaxInFlight(Duration.ofSeconds(5))
            .withLimits("booking", "ari", List.of(QuotaLimit.parse("1/2s")))
            .build();
    assertThat(q.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofSeconds(2));
    assertThat(q.tryTake(hotelA, 1)).as("in flight at 2 s").isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(4)); // 6 s: expired at 5 s, long before the boundary
    assertThat(q.tryTake(hotelA, 1)).isZero();
  }
}
