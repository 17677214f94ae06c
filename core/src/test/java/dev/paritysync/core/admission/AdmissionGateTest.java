package dev.paritysync.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each reason the gate gives, on virtual time: nothing here sleeps. */
class AdmissionGateTest {
  private static final Duration LATENCY = Duration.ofMillis(40);
  private static final QuotaKey KEY = new QuotaKey("booking", "P1", "ari");
  private static final Outcome OK = Outcome.response(200);

  private final VirtualTime time = new VirtualTime();
  private final Breakers breakers = new Breakers(time);
  private final Breaker breaker = breakers.get("booking", "ari", BreakerConfig.defaults());

  private Quotas quotas(String limit) {
    return Quotas.builder(time)
        .withLimits("booking", "ari", List.of(QuotaLimit.parse(limit)))
        .build();
  }

  private AdmissionGate.Builder gate(Quotas quotas) {
    return AdmissionGate.builder(time, quotas, ResetMode.DELTA_SECONDS);
  }

  private static Permit admitted(Verdict v) {
    assertThat(v.admitted()).as("%s", v).isTrue();
    assertThat(v.reason()).isNull();
    assertThat(v.delay()).isZero();
    return v.permit();
  }

  @Test
  void quotaRefusesUntilTheWindowRefills() {
    AdmissionGate gate = gate(quotas("1/1m")).build();
    gate.learn(
        admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST)), OK, false, Optional.empty(), LATENCY);

    Verdict v = gate.admit(KEY, AdmissionGate.Ask.FIRST);
    assertThat(v.admitted()).isFalse();
    assertThat(v.reason()).isEqualTo(Reason.QUOTA);
    assertThat(v.delay()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2));
    assertThat(v.until()).isEqualTo(time.instant().plus(v.delay()));
    assertThat(Reason.QUOTA.gate()).isEqualTo("quota");
    assertThatThrownBy(v::permit).hasMessageContaining("QUOTA");

    time.advance(v.delay());
    admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST));
  }

  @Test
  void remainingZeroOnASuccessPausesTheKeyUntilTheReset() {
    AdmissionGate gate = gate(quotas("100/1m")).build();
    Outcome exhausted =
        Outcome.response(200, Headers.of("RateLimit-Remaining", "0", "RateLimit-Reset", "30"));
    gate.learn(
        admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST)),
        exhausted,
        false,
        Optional.empty(),
        LATENCY);

    Verdict v = gate.admit(KEY, AdmissionGate.Ask.FIRST);
    assertThat(v.reason()).isEqualTo(Reason.PAUSE);
    assertThat(v.delay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(gate.pausedFor(KEY)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Reason.PAUSE.gate()).as("the ledger's gate name").isEqualTo("quota");

    time.advance(Duration.ofSeconds(30));
    admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST));
  }

  @Test
  void aServerDelayTheCallerSaysPausesTheKeyPausesIt() {
    AdmissionGate gate = gate(quotas("100/1m")).build();
    gate.learn(
        admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST)),
        Outcome.response(429),
        false,
        Optional.of(Duration.ofSeconds(12)),
        LATENCY);

    Verdict v = gate.admit(KEY, AdmissionGate.Ask.FIRST);
    assertThat(v.reason()).isEqualTo(Reason.PAUSE);
    assertThat(v.delay()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void anOpenCircuitRefusesUntilItsWaitEndsAndTakesNoQuota() {
    AdmissionGate gate = gate(quotas("5/1h")).withCircuit(Circuit.of(breaker)).build();
    for (int i = 0; i < 5; i++) {
      Permit p = admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST));
      gate.learn(p, Outcome.failure(FailureKind.TIMEOUT), true, Optional.empty(), LATENCY);
    }
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);

    Verdict v = gate.admit(KEY, AdmissionGate.Ask.FIRST);
    assertThat(v.reason()).isEqualTo(Reason.CIRCUIT);
    assertThat(v.delay()).isEqualTo(BreakerConfig.defaults().openDuration());
    assertThat(Reason.CIRCUIT.gate()).isEqualTo("circuit_open");

    time.advance(v.delay());
    // the refusal took no token: none is left of five after the five failures, and the hour is
    // not over, so a token taken by the refusal would show as QUOTA here
    assertThat(gate.admit(KEY, AdmissionGate.Ask.FIRST).reason()).isEqualTo(Reason.QUOTA);
  }

  @Test
  void aQuotaRefusalGivesTheCircuitPermissionBack() {
    BreakerConfig oneProbe = new BreakerConfig(50f, 20, 10, 1, Duration.ofSeconds(10), 1);
    Breaker b = breakers.get("booking", "probe", oneProbe);
    QuotaKey probeKey = new QuotaKey("booking", "P1", "probe");
    Quotas quotas =
        Quotas.builder(time)
            .withLimits("booking", "probe", List.of(QuotaLimit.parse("1/1h")))
            .build();
    AdmissionGate gate =
        AdmissionGate.builder(time, quotas, ResetMode.DELTA_SECONDS)
            .withCircuit(Circuit.perEndpoint(breakers, oneProbe, Duration.ofMillis(500)))
            .build();
    Permit first = admitted(gate.admit(probeKey, AdmissionGate.Ask.FIRST));
    gate.learn(first, Outcome.failure(FailureKind.TIMEOUT), true, Optional.empty(), LATENCY);
    time.advance(Duration.ofSeconds(10));

    // half-open with one probe: the quota refuses, and the probe's permission comes back
    assertThat(gate.admit(probeKey, AdmissionGate.Ask.FIRST).reason()).isEqualTo(Reason.QUOTA);
    assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(b.tryAcquire()).as("the one probe is still there").isTrue();
  }

  @Test
  void aRetryTheBudgetRefusesWaitsItsDeferralAndTakesNoSlot() {
    RetryBudget budget = RetryBudget.builder(time).withRatio(0.0).withMinRetries(0).build();
    AdmissionGate gate =
        gate(quotas("100/1m")).withBudget(Budget.of(budget)).withConcurrency(1).build();

    Verdict v = gate.admit(KEY, AdmissionGate.Ask.RETRY);
    assertThat(v.reason()).isEqualTo(Reason.BUDGET);
    assertThat(v.delay()).isEqualTo(budget.deferral());
    assertThat(Reason.BUDGET.gate()).isEqualTo("retry_budget");

    Permit p = admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST));
    assertThat(budget.usage().requests()).as("a first attempt counts").isEqualTo(1);
    gate.unsent(p);
    admitted(gate.admit(KEY, AdmissionGate.Ask.AGAIN));
    assertThat(budget.usage().requests()).as("the same attempt again does not").isEqualTo(1);
  }

  @Test
  void concurrencyQueuesWaitersAndPassesAFreedSlotToTheFirst() {
    AdmissionGate gate = gate(quotas("100/1m")).withConcurrency(1).build();
    List<String> woken = new ArrayList<>();
    Runnable second = () -> woken.add("second");
    Runnable third = () -> woken.add("third");

    Permit p1 = admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST));
    Verdict v2 = gate.admit(KEY, AdmissionGate.Ask.FIRST, second);
    assertThat(v2.reason()).isEqualTo(Reason.CONCURRENCY);
    assertThat(v2.delay()).as("no known end: woken instead").isZero();
    assertThat(gate.admit(KEY, AdmissionGate.Ask.FIRST, third).reason())
        .isEqualTo(Reason.CONCURRENCY);

    gate.learn(p1, OK, false, Optional.empty(), LATENCY);
    assertThat(woken).containsExactly("second");
    // a newcomer cannot take the slot passed to the waiter
    assertThat(gate.admit(KEY, AdmissionGate.Ask.FIRST).reason()).isEqualTo(Reason.CONCURRENCY);
    Permit p2 = admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST, second));

    gate.unsent(p2);
    gate.unsent(p2); // a second give-back does nothing
    assertThat(woken).containsExactly("second", "third");
    Permit p3 = admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST, third));
    assertThat(p3.open()).isTrue();
    gate.unsent(p3);
    assertThat(p3.open()).isFalse();
    admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST));
  }

  @Test
  void aWatchingCircuitWaitsWhileOpenButTakesNoPermissionAndCountsNothing() {
    AdmissionGate gate = gate(quotas("100/1m")).withCircuit(Circuit.watching(breaker)).build();
    for (int i = 0; i < 10; i++) {
      gate.learn(
          admitted(gate.admit(KEY, AdmissionGate.Ask.FIRST)),
          Outcome.failure(FailureKind.TIMEOUT),
          true,
          Optional.empty(),
          LATENCY);
    }
    assertThat(breaker.state()).as("reads do not trip the circuit").isEqualTo(BreakerState.CLOSED);

    for (int i = 0; i < 5; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure(LATENCY);
    }
    Verdict v = gate.admit(KEY, AdmissionGate.Ask.FIRST);
    assertThat(v.reason()).isEqualTo(Reason.CIRCUIT);
    assertThat(v.delay()).isEqualTo(BreakerConfig.defaults().openDuration());
  }

  @Test
  void concurrencyBelowOneIsRefusedByName() {
    assertThatThrownBy(() -> gate(quotas("1/1s")).withConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency must be at least 1, was 0");
  }
}
