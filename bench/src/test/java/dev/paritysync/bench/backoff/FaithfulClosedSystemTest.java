package dev.paritysync.bench.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaithfulClosedSystemTest {

  @Test
  void oneClientTakesFourHopsAndOneCall() {
    for (SleepKind kind : SleepKind.values()) {
      FaithfulClosedSystem.Result r = FaithfulClosedSystem.run(1, kind, Hops.fixed(10), 3);

      assertThat(r.hops()).as("%s", kind).isEqualTo(4);
      assertThat(r.calls()).isEqualTo(1);
      assertThat(r.reads()).isEqualTo(1);
      // read request, read reply, write request, write reply: the run ends at the reply
      assertThat(r.completionUnits()).isEqualTo(40.0);
      assertThat(r.sleeps()).isZero();
    }
  }

  /**
   * Fixed 10-unit hops: both clients read version 0 at t=10 and their writes reach the row at t=30,
   * client 0's first (scheduled first). Client 1 learns it lost at t=40, sleeps, reads again.
   */
  @Test
  void aLoserSleepsAfterItsWriteReplyAndStartsOverWithFourHops() {
    FaithfulClosedSystem.Result exponential =
        FaithfulClosedSystem.run(2, SleepKind.EXPONENTIAL, Hops.fixed(10), 1);
    // sleep min(2000, 5 × 2^1) = 10 after the first lost write: 40 + 10 + 4 × 10
    assertThat(exponential.completionUnits()).isEqualTo(90.0);
    assertThat(exponential.calls()).isEqualTo(3);
    assertThat(exponential.reads()).isEqualTo(3);
    assertThat(exponential.hops()).isEqualTo(12);
    assertThat(exponential.sleepNanos()).isEqualTo(Hops.nanos(10));
    assertThat(exponential.successesPerClient()).containsExactly(1, 1);

    FaithfulClosedSystem.Result none =
        FaithfulClosedSystem.run(2, SleepKind.NONE, Hops.fixed(10), 1);
    assertThat(none.completionUnits()).isEqualTo(80.0);
    assertThat(none.calls()).isEqualTo(3);
  }

  @Test
  void noneNeverSleepsThoughClientsLose() {
    FaithfulClosedSystem.Result r =
        FaithfulClosedSystem.run(50, SleepKind.NONE, FaithfulExperiment.HOPS, 11);

    assertThat(r.sleeps()).isGreaterThan(0);
    assertThat(r.sleepNanos()).isZero();
    SplittableRandom random = new SplittableRandom(5);
    for (int n = 1; n <= 20; n++) {
      assertThat(SleepKind.NONE.sleepNanos(n, 0, random)).isZero();
    }
  }

  @Test
  void exponentialSleepsMinOfCapAndBaseTimesTwoToTheNFromNOne() {
    SplittableRandom random = new SplittableRandom(5);
    long[] expectedUnits = {10, 20, 40, 80, 160, 320, 640, 1280, 2000, 2000};
    for (int n = 1; n <= expectedUnits.length; n++) {
      assertThat(SleepKind.EXPONENTIAL.sleepNanos(n, 0, random))
          .as("n=%d", n)
          .isEqualTo(Hops.nanos(expectedUnits[n - 1]));
    }
    assertThat(SleepKind.EXPONENTIAL.sleepNanos(1000, 0, random)).isEqualTo(Hops.nanos(2000));
    assertThatThrownBy(() -> SleepKind.EXPONENTIAL.sleepNanos(0, 0, random))
        .hasMessageContaining("from 1, was 0");
  }

  @Test
  void jitteredSleepsStayInTheOriginalsRanges() {
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 2000; i++) {
      int n = 1 + i % 12;
      long d = Hops.nanos(Math.min(2000, 5 * Math.pow(2, n)));
      assertThat(SleepKind.FULL_JITTER.sleepNanos(n, 0, random)).isBetween(0L, d);
      assertThat(SleepKind.EQUAL_JITTER.sleepNanos(n, 0, random)).isBetween(d / 2, d);
      assertThat(SleepKind.PROPORTIONAL.sleepNanos(n, 0, random))
          .isBetween(d, Math.min(Hops.nanos(2000), d + d / 2));
      long previous = Hops.nanos(1 + i % 900);
      assertThat(SleepKind.DECORR.sleepNanos(n, previous, random))
          .isBetween(
              Hops.nanos(5), Math.min(Hops.nanos(2000), Math.max(Hops.nanos(5), 3 * previous)));
    }
    // the first decorrelated sleep: uniform(base, 3 × base), whatever n is
    assertThat(SleepKind.DECORR.sleepNanos(7, 0, random)).isBetween(Hops.nanos(5), Hops.nanos(15));
  }

  @Test
  void everyClientWritesOnceAndEveryAttemptIsFourHops() {
    for (SleepKind kind : SleepKind.values()) {
      for (int n : new int[] {2, 7, 25}) {
        FaithfulClosedSystem.Result r =
            FaithfulClosedSystem.run(n, kind, FaithfulExperiment.HOPS, 42L + n);

        assertThat(r.successesPerClient()).as("%s, N=%d", kind, n).containsOnly(1);
        assertThat(r.finalVersion()).isEqualTo(n);
        assertThat(r.reads()).isEqualTo(r.calls());
        assertThat(r.hops()).isEqualTo(4 * r.calls());
        assertThat(r.sleeps()).isEqualTo(r.calls() - n);
      }
    }
  }

  @Test
  void sameSeedSameRunOtherSeedOtherRun() {
    FaithfulClosedSystem.Result a =
        FaithfulClosedSystem.run(30, SleepKind.FULL_JITTER, FaithfulExperiment.HOPS, 7);
    FaithfulClosedSystem.Result b =
        FaithfulClosedSystem.run(30, SleepKind.FULL_JITTER, FaithfulExperiment.HOPS, 7);
    FaithfulClosedSystem.Result c =
        FaithfulClosedSystem.run(30, SleepKind.FULL_JITTER, FaithfulExperiment.HOPS, 8);

    assertThat(b.calls()).isEqualTo(a.calls());
    assertThat(b.completionNanos()).isEqualTo(a.completionNanos());
    assertThat(b.sleepNanos()).isEqualTo(a.sleepNanos());
    assertThat(c.completionNanos()).isNotEqualTo(a.completionNanos());
  }

  @Test
  void theReferenceHasEveryCellOfTheOriginal() {
    OriginalMeans original = OriginalMeans.load();

    assertThat(original.size()).isEqualTo(19 * 5);
    for (int n = FaithfulExperiment.N_MIN; n <= FaithfulExperiment.N_MAX; n += 10) {
      for (SleepKind kind : SleepKind.values()) {
        OriginalMeans.Cell cell = original.get(n, kind);
        if (kind.inOriginal()) {
          assertThat(cell).as("N=%d %s", n, kind).isNotNull();
          assertThat(cell.callsMean()).isGreaterThanOrEqualTo(n);
        } else {
          assertThat(cell).isNull();
        }
      }
    }
  }
}
