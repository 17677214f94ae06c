package dev.paritysync.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RetryBudgetPropertiesTest {
  private static final int SLICES = 10;

  /** One step of a workload: a first attempt, a retry attempt, or time passing. */
  sealed interface Step permits Request, Retry, Advance {}

  record Request() implements Step {}

  record Retry() implements Step {}

  record Advance(long nanos) implements Step {}

  /**
   * For any sequence of requests, retry attempts and time advances: every retry granted leaves the
   * retries in its window within {@code max(min, floor(ratio × requests in the window))}; and a
   * retry is refused only when the window is full (deferral, not starvation). The window is the
   * documented one: the current slice and the nine before it.
   */
  @Property(tries = 500)
  void grantedRetriesNeverExceedTheAllowance(
      @ForAll @IntRange(min = 0, max = 100) int ratioPercent,
      @ForAll @IntRange(min = 0, max = 20) int minRetries,
      @ForAll("windows") Duration window,
      @ForAll @Size(max = 400) List<@net.jqwik.api.From("steps") Step> steps) {
    double ratio = ratioPercent / 100.0;
    VirtualTime time = new VirtualTime();
    RetryBudget budget =
        RetryBudget.builder(time)
            .withRatio(ratio)
            .withMinRetries(minRetries)
            .withWindow(window)
            .build();
    long slice = window.toNanos() / SLICES;
    List<long[]> requests = new ArrayList<>(); // {time}
    List<long[]> retries = new ArrayList<>();

    for (Step step : steps) {
      long now = time.nanoTime();
      if (step instanceof Request) {
        budget.onRequest();
        requests.add(new long[] {now});
      } else if (step instanceof Retry) {
        long req = inWindow(requests, now, slice);
        long ret = inWindow(retries, now, slice);
        long allowed = Math.max(minRetries, floor(ratio, req));
        boolean granted = budget.tryRetry();
        if (granted) {
          retries.add(new long[] {now});
          assertThat(ret + 1).as("retries in window after a grant").isLessThanOrEqualTo(allowed);
        } else {
          assertThat(ret)
              .as("refused only when the window is full")
              .isGreaterThanOrEqualTo(allowed);
        }
        assertThat(budget.usage())
            .isEqualTo(new RetryBudget.Usage(req, granted ? ret + 1 : ret, allowed));
      } else {
        time.advance(Duration.ofNanos(((Advance) step).nanos() * slice / 1000));
      }
    }
  }

  private static long inWindow(List<long[]> events, long now, long slice) {
    long current = Math.floorDiv(now, slice);
    return events.stream().filter(e -> Math.floorDiv(e[0], slice) > current - SLICES).count();
  }

  private static long floor(double ratio, long requests) {
    return BigDecimal.valueOf(ratio)
        .multiply(BigDecimal.valueOf(requests))
        .setScale(0, RoundingMode.FLOOR)
        .longValueExact();
  }

  @Provide
  Arbitrary<Duration> windows() {
    return Arbitraries.of(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /** Advance amounts are in thousandths of a slice, up to three slices. */
  @Provide
  Arbitrary<Step> steps() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(new Request())),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(new Retry())),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.longs().between(0, 3000).map(n -> (Step) new Advance(n))));
  }
}
