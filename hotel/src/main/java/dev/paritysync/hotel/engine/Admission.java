package dev.paritysync.hotel.engine;

import dev.paritysync.core.admission.AdmissionGate;
import dev.paritysync.core.admission.Budget;
import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.cluster.SharedBudget;
import dev.paritysync.store.cluster.SharedCircuits;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One channel's pushes as the core's {@link AdmissionGate} sees them: the gate that decides (retry
 * budget, circuit, pause, quota — in that order), wired with this process's parts or a cluster's,
 * plus what the engine's lane asks of the circuit (held, resting, its state) and the pruning of a
 * shared budget. The delivery worker asks {@link #gate()} before every request and gives the permit
 * back with the answer, so a pause the channel announced (429 with Retry-After, or {@code
 * Remaining: 0} with a reset on any answer, 2xx included) is written to the quota and no request of
 * any worker sharing the quota goes out during it.
 *
 * <p>In one process the parts are this process's: its breaker, its retry budget, its quota. In a
 * cluster ({@linkplain #shared shared}), the quota and budget given are the cluster's and the
 * circuit is the cluster's too (see {@link ChannelCircuit}). The worker's concurrency is its
 * claims, so the gate here has no concurrency limit of its own. Thread-safe.
 */
final class Admission {
  private final AdmissionGate gate;
  private final ChannelCircuit circuit;
  private final @Nullable SharedBudget sharedBudget;

  private Admission(
      AdmissionGate gate, ChannelCircuit circuit, @Nullable SharedBudget sharedBudget) {
    this.gate = gate;
    this.circuit = circuit;
    this.sharedBudget = sharedBudget;
  }

  /** The gates of one process: its breaker, retry budget and quota. */
  static Admission local(
      String channel, Clock clock, Breaker breaker, QuotaGate quotas, RetryDecider decider) {
    ChannelCircuit circuit = ChannelCircuit.local(channel, clock, breaker);
    return new Admission(
        gate(clock, quotas, decider, circuit, Budget.of(decider.budget())), circuit, null);
  }

  /**
   * The gates of a cluster's worker: {@code quotas} and {@code budget} are the cluster's, and the
   * circuit is {@code circuits}' row for the breaker's (channel, endpoint); {@code resumeGate}
   * verifies after an outage when this worker's probe closes it.
   */
  static Admission shared(
      String channel,
      Clock clock,
      Breaker breaker,
      QuotaGate quotas,
      SharedBudget budget,
      RetryDecider decider,
      SharedCircuits circuits,
      ResumeGate resumeGate) {
    ChannelCircuit circuit =
        new ChannelCircuit(
            channel,
            clock,
            breaker,
            Objects.requireNonNull(circuits, "circuits"),
            Objects.requireNonNull(resumeGate, "resumeGate"));
    return new Admission(gate(clock, quotas, decider, circuit, of(budget)), circuit, budget);
  }

  private static AdmissionGate gate(
      Clock clock, QuotaGate quotas, RetryDecider decider, ChannelCircuit circuit, Budget budget) {
    return AdmissionGate.builder(clock, quotas, decider.policy().resetMode())
        .withCircuit(circuit)
        .withBudget(budget)
        .build();
  }

  private static Budget of(SharedBudget b) {
    return new Budget() {
      @Override
      public void onRequest() {
        b.onRequest();
      }

      @Override
      public boolean tryRetry() {
        return b.tryRetry();
      }

      @Override
      public Duration deferral() {
        return b.deferral();
      }
    };
  }

  /** The gate every push of the channel asks. */
  AdmissionGate gate() {
    return gate;
  }

  /** Whether the circuit is the cluster's. */
  boolean shared() {
    return circuit.shared();
  }

  /** The cluster's circuit: holds pushes on every worker while one verifies after an outage. */
  boolean held() {
    return circuit.held();
  }

  /**
   * Deletes the cluster's retry-budget counts that have left the budget's window; returns how many
   * rows went (0 in one process, whose budget is in memory).
   */
  int prune() {
    return sharedBudget == null ? 0 : sharedBudget.prune();
  }

  /** The circuit's state: the cluster's when shared, else this process's breaker's. */
  BreakerState circuitState() {
    return circuit.state();
  }

  /**
   * Whether the circuit rests: open, its wait not over. Batches formed now would carry versions
   * that later changes supersede before the channel is back, so cells coalesce in the outbox.
   */
  boolean resting() {
    return circuit.resting();
  }
}
