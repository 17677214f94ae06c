package dev.paritysync.bench.backoff;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reproduces the closed-system experiment of aws-samples/aws-arch-backoff-simulator (the simulator
 * behind the AWS Architecture Blog post "Exponential Backoff And Jitter", 2015) with its four-hop
 * model ({@link FaithfulClosedSystem}) and paritysync's own {@link Backoff} and {@link Jitter}, and
 * extends it to an open system with the core's {@code RetryBudget}. Prints Markdown tables to
 * stdout. Single-threaded and seeded: the same arguments print the same tables (the elapsed wall
 * time aside). Headings start at level 3, so the output pastes into docs/benchmarks.md.
 *
 * <p>Arguments: {@code --quick} (fewer runs, for smoke checks), {@code --seed=<long>} (default
 * 20150304), {@code --closed-runs=<n>} (runs per closed-system cell, default 100, 10 with {@code
 * --quick}), {@code --closed-only}.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class BackoffExperiment {
  static final long DEFAULT_SEED = 20150304L;

  static final double[] LOADS = {0.5, 0.8, 1.0, 1.5, 2.0};

  /** Tokens a 429 costs the server: free, and a quarter of an admitted request. */
  static final double[] REJECT_COSTS = {0, 0.25};

  private BackoffExperiment() {}

  /** The open system's policy: the same curve, but at most 5 retries. */
  static Backoff openBackoff(Jitter jitter) {
    return Backoff.builder()
        .withBase(Duration.ofNanos(Hops.nanos(5)))
        .withMultiplier(2)
        .withCap(Duration.ofNanos(Hops.nanos(2000)))
        .withMaxRetries(5)
        .withJitter(jitter)
        .build();
  }

  static final Hops POST_HOPS = Hops.absNormal(10, 2);

  /** Ratio 0.2, floor 10, window 10 s = 10,000 time units of 1 ms. */
  static final OpenSystem.BudgetConfig BUDGET = new OpenSystem.BudgetConfig(0.2, 10, 10_000);

  static OpenSystem.Config openConfig(
      double load,
      double rejectCost,
      long horizonUnits,
      Jitter jitter,
      OpenSystem.BudgetConfig budget) {
    return new OpenSystem.Config(
        load,
        1.0,
        10,
        rejectCost,
        horizonUnits,
        20 * BUDGET.windowUnits(),
        openBackoff(jitter),
        POST_HOPS,
        budget);
  }

  /** A seed per (experiment point, run), the same for every kind: common random numbers. */
  static long seed(long base, long point, long run) {
    long z = base + 0x9E3779B97F4A7C15L * (point * 1_000_003L + run + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Runs the experiment with the arguments above and prints its tables to stdout. */
  public static void main(String[] args) {
    boolean quick = false;
    boolean closedOnly = false;
    Integer closedRunsArg = null;
    long seed = DEFAULT_SEED;
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.equals("--closed-only")) {
        closedOnly = true;
      } else if (a.startsWith("--seed=")) {
        seed = Long.parseLong(a.substring("--seed=".length()));
      } else if (a.startsWith("--closed-runs=")) {
        closedRunsArg = Integer.parseInt(a.substring("--closed-runs=".length()));
      } else {
        throw new IllegalArgumentException(
            "unknown argument '"
                + a
                + "': expected --quick, --closed-only, --seed=<long> or --closed-runs=<n>");
      }
    }
    int closedRuns = closedRunsArg != null ? closedRunsArg : quick ? 10 : 100;
    int openRuns = quick ? 1 : 5;
    long horizon = 10_000;
    Clock clock = Clock.system();
    long start = clock.nanoTime();

    System.out.printf(
        Locale.ROOT,
        "### Backoff and jitter experiment%n%n"
            + "seed %d; closed system: N = %d..%d step %d, %d runs per point%s%s%n%n",
        seed,
        FaithfulExperiment.N_MIN,
        FaithfulExperiment.N_MAX,
        FaithfulExperiment.N_STEP,
        closedRuns,
        closedOnly
            ? ""
            : String.format(
                Locale.ROOT,
                "; open system: loads %s × capacity, %d runs per point, horizon %d units",
                Arrays.toString(LOADS),
                openRuns,
                horizon),
        quick ? " (--quick)" : "");

    FaithfulExperiment.print(seed, closedRuns);
    long closedDone = clock.nanoTime();
    if (!closedOnly) {
      open(seed, openRuns, horizon);
    }
    long end = clock.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "Elapsed wall time: %.1f s (closed %.1f s, open %.1f s)%n",
        (end - start) / 1e9,
        (closedDone - start) / 1e9,
        (end - closedDone) / 1e9);
  }

  private static void open(long seed, int runs, long horizon) {
    System.out.printf(
        Locale.ROOT,
        "#### Open system: Poisson arrivals at a server of capacity 1 request/unit%n%n"
            + "Token bucket (rate 1/unit, burst 10); over capacity the server answers 429 with"
            + " Retry-After = time until its next token. Clients wait max(backoff, Retry-After),"
            + " backoff base 5, ×2, cap 2000 units, at most 5 retries. Budget: the core's"
            + " RetryBudget, ratio %.1f, floor %d, window %d units, on a VirtualTime clock; a"
            + " refused retry is deferred by the budget's deferral (%d units) and asks again."
            + " Arrivals for %d units, then drain for at most %d units; means over %d runs,"
            + " latency percentiles pooled over runs.%n%n",
        BUDGET.ratio(),
        BUDGET.floor(),
        BUDGET.windowUnits(),
        BUDGET.windowUnits() / 10,
        horizon,
        20 * BUDGET.windowUnits(),
        runs);
    for (double rejectCost : REJECT_COSTS) {
      openTable(seed, runs, horizon, rejectCost);
    }
  }

  private static void openTable(long seed, int runs, long horizon, double rejectCost) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        rejectCost == 0
            ? "##### 429s are free: rejecting costs the server nothing\n\n"
            : String.format(
                Locale.ROOT,
                "##### 429s cost capacity: each rejection uses %.2f of a request's token%n%n",
                rejectCost));
    sb.append(
        "| load | jitter | budget | requests | calls | calls/request | goodput/unit"
            + " | success % | exhausted | pending at end | deferrals | p50 (units)"
            + " | p99 (units) | calls vs. no budget |\n");
    sb.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Jitter> kinds = List.of(Jitter.full(), Jitter.proportional(0.5));
    for (int l = 0; l < LOADS.length; l++) {
      for (Jitter jitter : kinds) {
        double baselineCalls = 0;
        for (OpenSystem.BudgetConfig budget : Arrays.asList(null, BUDGET)) {
          OpenAggregate a = new OpenAggregate();
          for (int run = 0; run < runs; run++) {
            a.add(
                OpenSystem.run(
                    openConfig(LOADS[l], rejectCost, horizon, jitter, budget),
                    seed(seed, 1000 + l, run)),
                horizon);
          }
          double calls = a.calls / (double) runs;
          if (budget == null) {
            baselineCalls = calls;
          }
          double[] lat = a.sortedLatencies();
          sb.append(
              String.format(
                  Locale.ROOT,
                  "| %.1f× | %s | %s | %.0f | %.0f | %.2f | %.3f | %.1f | %.0f | %.0f | %.0f | %.0f"
                      + " | %.0f | %.2f |%n",
                  LOADS[l],
                  shortLabel(jitter),
                  budget == null ? "off" : "on",
                  a.requests / (double) runs,
                  calls,
                  a.calls / (double) a.requests,
                  a.goodput / runs,
                  100.0 * a.successes / a.requests,
                  a.exhausted / (double) runs,
                  a.pending / (double) runs,
                  a.deferrals / (double) runs,
                  percentile(lat, 0.50),
                  percentile(lat, 0.99),
                  calls / baselineCalls));
        }
      }
    }
    System.out.println(sb);
  }

  /** Sums over runs. */
  private static final class OpenAggregate {
    long requests;
    long calls;
    long successes;
    long exhausted;
    long pending;
    long deferrals;
    double goodput;
    final List<double[]> latencies = new ArrayList<>();

    void add(OpenSystem.Result r, long horizon) {
      requests += r.requests();
      calls += r.calls();
      successes += r.successes();
      exhausted += r.exhausted();
      pending += r.pending();
      deferrals += r.deferrals();
      goodput += r.successesInHorizon() / (double) horizon;
      latencies.add(r.latencies());
    }

    double[] sortedLatencies() {
      double[] all = latencies.stream().flatMapToDouble(Arrays::stream).toArray();
      Arrays.sort(all);
      return all;
    }
  }

  /** Nearest-rank percentile of sorted values; NaN when there are none. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String shortLabel(Jitter j) {
    switch (j.kind()) {
      case DECORRELATED:
        return "decorr";
      case PROPORTIONAL:
        return "prop";
      default:
        return j.kind().name().toLowerCase(Locale.ROOT);
    }
  }
}
