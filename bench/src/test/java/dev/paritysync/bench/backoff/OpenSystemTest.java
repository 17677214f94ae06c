package dev.paritysync.bench.backoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.backoff.Jitter;
import org.junit.jupiter.api.Test;

class OpenSystemTest {
  private static final OpenSystem.BudgetConfig BUDGET = BackoffExperiment.BUDGET;

  /** 1.5× capacity for 1,000 units, then drain until every request is resolved. */
  private static OpenSystem.Config overload(OpenSystem.BudgetConfig budget) {
    return new OpenSystem.Config(
        1.5,
        1.0,
        10,
        0,
        1_000,
        1_000 * BUDGET.windowUnits(),
        BackoffExperiment.openBackoff(Jitter.full()),
        BackoffExperiment.POST_HOPS,
        budget);
  }

  /** Retries the budget can grant over a run: ratio × first attempts, plus the floor per window. */
  private static double allowedRetries(OpenSystem.Result r) {
    long windows = (long) Math.ceil(Hops.units(r.endNanos()) / BUDGET.windowUnits()) + 1;
    return BUDGET.ratio() * r.firstAttempts() + (double) BUDGET.floor() * windows;
  }

  @Test
  void budgetCapsRetriesAtRatioPlusFloorPerWindow() {
    OpenSystem.Result on = OpenSystem.run(overload(BUDGET), 11);
    OpenSystem.Result off = OpenSystem.run(overload(null), 11);

    assertThat(on.deferrals()).as("the budget was binding").isPositive();
    assertThat((double) on.retries()).isLessThanOrEqualTo(allowedRetries(on));
    // the same bound fails without the budget, so the check above can fail
    assertThat((double) off.retries()).isGreaterThan(allowedRetries(off));
  }

  @Test
  void budgetDefersButNeverDrops() {
    OpenSystem.Result r = OpenSystem.run(overload(BUDGET), 12);

    assertThat(r.deferrals()).isPositive();
    assertThat(r.pending()).as("requests still waiting at the end").isZero();
    assertThat(r.successes() + r.exhausted()).isEqualTo(r.requests());
    assertThat(r.latencies()).hasSize((int) r.successes());
  }

  @Test
  void underCapacityNothingRetries() {
    OpenSystem.Config light =
        new OpenSystem.Config(
            0.2,
            1.0,
            10,
            0,
            2_000,
            BUDGET.windowUnits(),
            BackoffExperiment.openBackoff(Jitter.full()),
            Hops.fixed(10),
            BUDGET);
    OpenSystem.Result r = OpenSystem.run(light, 3);

    assertThat(r.requests()).isPositive();
    assertThat(r.successes()).isEqualTo(r.requests());
    assertThat(r.calls()).isEqualTo(r.requests());
    assertThat(r.latencies()).containsOnly(20.0);
  }
}
