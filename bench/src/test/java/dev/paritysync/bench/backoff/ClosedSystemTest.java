package dev.paritysync.bench.backoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClosedSystemTest {

  @Test
  void everyClientWritesExactlyOnce() {
    for (Jitter jitter : BackoffExperiment.CLOSED_KINDS) {
      Backoff backoff = BackoffExperiment.closedBackoff(jitter);
      for (int n : new int[] {1, 2, 7, 25}) {
        ClosedSystem.Result r = ClosedSystem.run(n, backoff, BackoffExperiment.POST_HOPS, 42L + n);

        assertThat(r.successesPerClient()).as("%s, N=%d", jitter, n).containsOnly(1);
        assertThat(r.finalVersion()).isEqualTo(n);
        assertThat(r.calls()).isGreaterThanOrEqualTo(2L * n);
        // every attempt is one read and one write; every attempt but the winning one is a retry
        assertThat(r.reads()).isEqualTo(r.writes()).isEqualTo(n + r.retries());
      }
    }
  }

  @Test
  void noJitterWithFixedHopsIsDeterministic() {
    Backoff backoff = BackoffExperiment.closedBackoff(Jitter.none());
    // Both read version 0 at t=10 and write at t=20: the first scheduled wins. The loser waits the
    // base delay (5), reads at 35 and writes at 45.
    ClosedSystem.Result a = ClosedSystem.run(2, backoff, Hops.fixed(10), 1);
    ClosedSystem.Result b = ClosedSystem.run(2, backoff, Hops.fixed(10), 999);

    assertThat(a.calls()).isEqualTo(6);
    assertThat(a.completionUnits()).isEqualTo(45.0);
    assertThat(b.calls()).isEqualTo(a.calls());
    assertThat(b.completionNanos()).isEqualTo(a.completionNanos());
    assertThat(Arrays.equals(a.successesPerClient(), b.successesPerClient())).isTrue();
  }

  @Test
  void sameSeedSameResult() {
    Backoff backoff = BackoffExperiment.closedBackoff(Jitter.full());
    ClosedSystem.Result a = ClosedSystem.run(30, backoff, BackoffExperiment.POST_HOPS, 7);
    ClosedSystem.Result b = ClosedSystem.run(30, backoff, BackoffExperiment.POST_HOPS, 7);

    assertThat(b.calls()).isEqualTo(a.calls());
    assertThat(b.completionNanos()).isEqualTo(a.completionNanos());
  }

  /** The post's headline: full jitter costs fewer calls than plain exponential backoff. */
  @Test
  void fullJitterNeedsFewerCallsThanNone() {
    double none = meanCalls(Jitter.none(), 50, 20);
    double full = meanCalls(Jitter.full(), 50, 20);

    assertThat(full).isLessThan(none);
  }

  private static double meanCalls(Jitter jitter, int n, int runs) {
    Backoff backoff = BackoffExperiment.closedBackoff(jitter);
    long sum = 0;
    for (int run = 0; run < runs; run++) {
      sum +=
          ClosedSystem.run(
                  n,
                  backoff,
                  BackoffExperiment.POST_HOPS,
                  BackoffExperiment.seed(BackoffExperiment.DEFAULT_SEED, n, run))
              .calls();
    }
    return sum / (double) runs;
  }
}
