package dev.paritysync.core.admission;

import dev.paritysync.core.budget.RetryBudget;
import java.time.Duration;

/**
 * The retry budget as the {@link AdmissionGate} asks it: this process's {@link RetryBudget}, or a
 * cluster's shared one. Implementations are thread-safe.
 */
public interface Budget {

  /** Counts a first attempt; retries may be a share of these. */
  void onRequest();

  /** Takes one retry if the budget allows it now. */
  boolean tryRetry();

  /** How long a refused retry waits before asking again. */
  Duration deferral();

  /** The budget of one process. */
  static Budget of(RetryBudget budget) {
    return new Budget() {
      @Override
      public void onRequest() {
        budget.onRequest();
      }

      @Override
      public boolean tryRetry() {
        return budget.tryRetry();
      }

      @Override
      public Duration deferral() {
        return budget.deferral();
      }
    };
  }
}
