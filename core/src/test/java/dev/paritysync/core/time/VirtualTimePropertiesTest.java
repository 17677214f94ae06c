package dev.paritysync.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class VirtualTimePropertiesTest {

  /**
   * For any delays and any advances: the clock never reads less than it did before, every task runs
   * exactly at its due time, tasks run in due order, and nothing due is left behind.
   */
  @Property
  void everyTaskRunsAtItsDueTimeInOrderAndTimeNeverGoesBack(
      @ForAll @Size(max = 50) List<@LongRange(min = -10, max = 10_000) Long> delays,
      @ForAll @Size(min = 1, max = 20) List<@LongRange(min = 0, max = 2_000) Long> advances) {
    VirtualTime time = new VirtualTime();
    List<long[]> runs = new ArrayList<>(); // {due, observed}
    for (long delay : delays) {
      long due = Math.max(0, delay);
      time.schedule(Duration.ofNanos(delay), () -> runs.add(new long[] {due, time.nanoTime()}));
    }

    long last = time.nanoTime();
    for (long advance : advances) {
      time.advance(Duration.ofNanos(advance));
      assertThat(time.nanoTime()).isGreaterThanOrEqualTo(last);
      last = time.nanoTime();
    }

    long previousDue = Long.MIN_VALUE;
    for (long[] run : runs) {
      assertThat(run[1]).as("clock while running").isEqualTo(run[0]);
      assertThat(run[0]).as("due order").isGreaterThanOrEqualTo(previousDue);
      previousDue = run[0];
    }
    long end = time.nanoTime();
    long due = delays.stream().mapToLong(d -> Math.max(0, d)).filter(d -> d <= end).count();
    assertThat(runs).hasSize((int) due);
    assertThat(time.pending()).isEqualTo(delays.size() - (int) due);
  }
}
