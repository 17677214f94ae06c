package dev.paritysync.core.breaker;

import static dev.paritysync.core.breaker.BreakerState.CLOSED;
import static dev.paritysync.core.breaker.BreakerState.HALF_OPEN;
import static dev.paritysync.core.breaker.BreakerState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BreakersTest {
  private static final Duration LATENCY = Duration.ofMillis(40);

  private final VirtualTime time = new VirtualTime();
  private final Breakers breakers = new Breakers(time);
  private final List<StateChange> changes = new ArrayList<>();
  private Instant t0;

  @BeforeEach
  void listen() {
    breakers.onStateChange(changes::add);
    t0 = time.instant();
  }

  private Breaker breaker() {
    return breakers.get("booking", "ari", BreakerConfig.defaults());
  }

  private static void call(Breaker b, boolean ok) {
    assertThat(b.tryAcquire()).as("permission").isTrue();
    if (ok) {
      b.onSuccess(LATENCY);
    } else {
      b.onFailure(LATENCY);
    }
  }

  private StateChange change(BreakerState from, BreakerState to, Duration after) {
    return new StateChange("booking", "ari", from, to, t0.plus(after));
  }

  @Test
  void opensOnFailureRateOverTheWindow() {
    Breaker b = breaker();
    // alternate, so four failures is the longest run: below the consecutive rule of 5
    for (int i = 0; i < 9; i++) {
      call(b, i % 2 == 1);
      time.advance(Duration.ofSeconds(1));
    }
    assertThat(b.state()).as("9 calls, below the minimum of 10").isEqualTo(CLOSED);
    call(b, false); // 10 calls, 5 failures: 50 %
    assertThat(b.state()).isEqualTo(OPEN);
    assertThat(changes).containsExactly(change(CLOSED, OPEN, Duration.ofSeconds(9)));
  }

  @Test
  void failureRateBelowThresholdStaysClosed() {
    Breaker b = breaker();
    for (int i = 0; i < 40; i++) {
      call(b, i % 3 != 0); // a third fail
    }
    assertThat(b.state()).isEqualTo(CLOSED);
    assertThat(changes).isEmpty();
  }

  @Test
  void opensOnConsecutiveFailuresBeforeTheMinimumCalls() {
    Breaker b = breaker();
    for (int i = 0; i < 4; i++) {
      call(b, false);
    }
    call(b, true); // resets the run
    for (int i = 0; i < 4; i++) {
      call(b, false);
    }
    assertThat(b.state()).isEqualTo(CLOSED);
    time.advance(Duration.ofMillis(250));
    call(b, false);
    assertThat(b.state()).isEqualTo(OPEN);
    assertThat(changes).containsExactly(change(CLOSED, OPEN, Duration.ofMillis(250)));
  }

  @Test
  void openRefusesThenAdmitsExactlyTheProbesAndClosesOnTheirSuccess() {
    Breaker b = breaker();
    for (int i = 0; i < 5; i++) {
      call(b, false);
    }
    assertThat(b.tryAcquire()).isFalse();
    assertThat(b.untilHalfOpen()).isEqualTo(Duration.ofSeconds(30));

    time.advance(Duration.ofSeconds(30).minusMillis(1));
    assertThat(b.tryAcquire()).isFalse();
    assertThat(b.state()).isEqualTo(OPEN);
    assertThat(b.untilHalfOpen()).isEqualTo(Duration.ofMillis(1));

    time.advance(Duration.ofMillis(1));
    assertThat(b.untilHalfOpen()).isZero();
    assertThat(b.state()).as("no background thread moves it").isEqualTo(OPEN);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.state()).isEqualTo(HALF_OPEN);
    assertThat(b.untilHalfOpen()).isZero();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).as("only 3 probes").isFalse();

    time.advance(Duration.ofSeconds(2));
    b.onSuccess(LATENCY);
    b.onSuccess(LATENCY);
    assertThat(b.state()).isEqualTo(HALF_OPEN);
    b.onSuccess(LATENCY);
    assertThat(b.state()).isEqualTo(CLOSED);
    assertThat(b.tryAcquire()).isTrue();

    assertThat(changes)
        .containsExactly(
            change(CLOSED, OPEN, Duration.ZERO),
            change(OPEN, HALF_OPEN, Duration.ofSeconds(30)),
            change(HALF_OPEN, CLOSED, Duration.ofSeconds(32)));
  }

  @Test
  void aFailedProbeReopensForAnotherFullOpenDuration() {
    Breaker b = breaker();
    for (int i = 0; i < 5; i++) {
      call(b, false);
    }
    time.advance(Duration.ofSeconds(30));
    call(b, true);
    time.advance(Duration.ofSeconds(1));
    call(b, false); // 1 of 2 probes failed: below nothing, still reopens at once
    assertThat(b.state()).isEqualTo(OPEN);
    assertThat(b.tryAcquire()).isFalse();
    assertThat(b.untilHalfOpen()).isEqualTo(Duration.ofSeconds(30));
    time.advance(Duration.ofSeconds(30));
    assertThat(b.tryAcquire()).isTrue();
    assertThat(changes)
        .containsExactly(
            change(CLOSED, OPEN, Duration.ZERO),
            change(OPEN, HALF_OPEN, Duration.ofSeconds(30)),
            change(HALF_OPEN, OPEN, Duration.ofSeconds(31)),
            change(OPEN, HALF_OPEN, Duration.ofSeconds(61)));
  }

  @Test
  void releaseGivesAProbeBack() {
    Breaker b = breaker();
    for (int i = 0; i < 5; i++) {
      call(b, false);
    }
    time.advance(Duration.ofSeconds(30));
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isFalse();
    b.release();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isFalse();
  }

  @Test
  void successResetsTheRunAfterRecovery() {
    Breaker b =
        breakers.get(
            "booking",
            "ari",
            BreakerConfig.defaults().withConsecutiveFailures(2).withHalfOpenCalls(1));
    call(b, false);
    call(b, false);
    assertThat(b.state()).isEqualTo(OPEN);
    time.advance(Duration.ofSeconds(30));
    call(b, true);
    assertThat(b.state()).isEqualTo(CLOSED);
    call(b, false);
    assertThat(b.state()).as("the run started again after closing").isEqualTo(CLOSED);
    call(b, false);
    assertThat(b.state()).isEqualTo(OPEN);
  }

  @Test
  void oneBreakerPerKeyWithTheFirstConfig() {
    Breaker a = breakers.get("booking", "ari", BreakerConfig.defaults().withConsecutiveFailures(1));
    Breaker same = breakers.get("booking", "ari", BreakerConfig.defaults());
    Breaker other = breakers.get("booking", "reservations", BreakerConfig.defaults());
    assertThat(same).isSameAs(a);
    assertThat(same.config().consecutiveFailures()).isEqualTo(1);
    assertThat(other).isNotSameAs(a);
    assertThat(breakers.all()).containsExactlyInAnyOrder(a, other);
    call(a, false);
    assertThat(a.state()).isEqualTo(OPEN);
    assertThat(other.state()).isEqualTo(CLOSED);
    assertThat(other.tryAcquire()).isTrue();
    assertThat(a.channel()).isEqualTo("booking");
    assertThat(other.endpoint()).isEqualTo("reservations");
  }

  @Test
  void aThrowingListenerDoesNotStopOthers() {
    List<StateChange> seen = new ArrayList<>();
    Breakers bs = new Breakers(time);
    bs.onStateChange(
        c -> {
          throw new IllegalStateException("boom");
        });
    bs.onStateChange(seen::add);
    Breaker b = bs.get("c", "e", BreakerConfig.defaults().withConsecutiveFailures(1));
    call(b, false);
    assertThat(b.state()).isEqualTo(OPEN);
    assertThat(seen).extracting(StateChange::to).containsExactly(OPEN);
  }

  @Test
  void defaultsAndValidation() {
    BreakerConfig d = BreakerConfig.defaults();
    assertThat(d).isEqualTo(new BreakerConfig(50f, 20, 10, 5, Duration.ofSeconds(30), 3));
    assertThat(d.withSlidingWindow(50, 25).slidingWindowSize()).isEqualTo(50);
    assertThat(d.withFailureRateThreshold(75f).failureRateThreshold()).isEqualTo(75f);
    assertThat(d.withOpenDuration(Duration.ofMinutes(2)).openDuration())
        .isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> d.withFailureRateThreshold(0))
        .hasMessage("breaker failureRateThreshold must be in (0, 100], was 0.0");
    assertThatThrownBy(() -> d.withFailureRateThreshold(Float.NaN))
        .hasMessage("breaker failureRateThreshold must be in (0, 100], was NaN");
    assertThatThrownBy(() -> d.withSlidingWindow(0, 0))
        .hasMessage("breaker slidingWindowSize must be at least 1, was 0");
    assertThatThrownBy(() -> d.withSlidingWindow(5, 6))
        .hasMessage("breaker minimumCalls must be between 1 and slidingWindowSize (5), was 6");
    assertThatThrownBy(() -> d.withConsecutiveFailures(0))
        .hasMessage("breaker consecutiveFailures must be at least 1, was 0");
    assertThatThrownBy(() -> d.withOpenDuration(Duration.ofNanos(10)))
        .hasMessage("breaker openDuration must be at least 1 ms, was PT0.00000001S");
    assertThatThrownBy(() -> d.withHalfOpenCalls(0))
        .hasMessage("breaker halfOpenCalls must be at least 1, was 0");
  }
}
