package dev.paritysync.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final VirtualTime time = new VirtualTime(START);
  private final List<String> ran = new ArrayList<>();

  @Test
  void startsAtTheGivenInstantAndMovesOnlyWhenAdvanced() {
    assertThat(time.instant()).isEqualTo(START);
    assertThat(time.nanoTime()).isZero();
    assertThat(time.clock()).isSameAs(time);

    time.advance(Duration.ofMillis(1500));

    assertThat(time.instant()).isEqualTo(START.plusMillis(1500));
    assertThat(time.nanoTime()).isEqualTo(1_500_000_000L);
    assertThat(time.millis()).isEqualTo(START.toEpochMilli() + 1500);
    assertThat(time.asJavaClock().instant()).isEqualTo(START.plusMillis(1500));
  }

  @Test
  void defaultStartIsNewYear2026() {
    assertThat(new VirtualTime().instant()).isEqualTo(START);
  }

  @Test
  void tasksRunInDueOrderAndTiesInSchedulingOrder() {
    time.schedule(Duration.ofSeconds(3), () -> ran.add("3s"));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("1s-a"));
    time.schedule(Duration.ofSeconds(2), () -> ran.add("2s"));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("1s-b"));

    time.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("1s-a", "1s-b", "2s", "3s");
    assertThat(time.pending()).isZero();
  }

  @Test
  void advanceRunsTasksDueAtTheEndButNotAfter() {
    time.schedule(Duration.ofSeconds(2), () -> ran.add("at end"));
    time.schedule(Duration.ofSeconds(2).plusNanos(1), () -> ran.add("after"));

    time.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly("at end");
    assertThat(time.pending()).isEqualTo(1);
    assertThat(time.untilNext()).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void clockReadsTheTasksDueTimeWhileItRuns() {
    List<Instant> seen = new ArrayList<>();
    List<Long> seenNanos = new ArrayList<>();
    time.schedule(Duration.ofMillis(250), () -> seen.add(time.instant()));
    time.schedule(Duration.ofSeconds(4), () -> seenNanos.add(time.nanoTime()));

    time.advance(Duration.ofSeconds(10));

    assertThat(seen).containsExactly(START.plusMillis(250));
    assertThat(seenNanos).containsExactly(4_000_000_000L);
    assertThat(time.instant()).isEqualTo(START.plusSeconds(10));
  }

  @Test
  void tasksScheduledByTasksWithinTheWindowRun() {
    time.schedule(
        Duration.ofSeconds(1),
        () -> {
          ran.add("first@" + time.nanoTime());
          time.schedule(Duration.ZERO, () -> ran.add("now@" + time.nanoTime()));
          time.schedule(Duration.ofSeconds(1), () -> ran.add("inside@" + time.nanoTime()));
          time.schedule(Duration.ofSeconds(10), () -> ran.add("outside"));
        });

    time.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("first@1000000000", "now@1000000000", "inside@2000000000");
    assertThat(time.pending()).isEqualTo(1);
    assertThat(time.untilNext()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void cancelledTaskDoesNotRun() {
    Scheduler.Cancellable a = time.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
    time.schedule(Duration.ofSeconds(2), () -> ran.add("b"));

    assertThat(a.cancel()).isTrue();
    assertThat(a.cancel()).as("second cancel").isFalse();
    assertThat(time.pending()).isEqualTo(1);
    assertThat(time.untilNext()).isEqualTo(Duration.ofSeconds(2));

    time.advance(Duration.ofSeconds(3));

    assertThat(ran).containsExactly("b");
  }

  @Test
  void cancelAfterRunningReturnsFalse() {
    Scheduler.Cancellable a = time.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
    time.advance(Duration.ofSeconds(1));

    assertThat(a.cancel()).isFalse();
    assertThat(ran).containsExactly("a");
  }

  @Test
  void taskCanCancelALaterTaskInTheSameWindow() {
    Scheduler.Cancellable later = time.schedule(Duration.ofSeconds(2), () -> ran.add("later"));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("canceller:" + later.cancel()));

    time.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("canceller:true");
  }

  @Test
  void advanceToNextJumpsToTheNextTaskAndRunsEverythingDueThen() {
    time.schedule(Duration.ofSeconds(3), () -> ran.add("3s-a"));
    time.schedule(Duration.ofSeconds(3), () -> ran.add("3s-b"));
    time.schedule(Duration.ofSeconds(7), () -> ran.add("7s"));

    assertThat(time.advanceToNext()).isTrue();

    assertThat(ran).containsExactly("3s-a", "3s-b");
    assertThat(time.nanoTime()).isEqualTo(3_000_000_000L);

    assertThat(time.advanceToNext()).isTrue();
    assertThat(ran).containsExactly("3s-a", "3s-b", "7s");
    assertThat(time.nanoTime()).isEqualTo(7_000_000_000L);

    assertThat(time.advanceToNext()).as("nothing left").isFalse();
    assertThat(time.nanoTime()).isEqualTo(7_000_000_000L);
    assertThat(time.untilNext()).isNull();
  }

  @Test
  void advanceToNextSkipsCancelledTasks() {
    time.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled")).cancel();
    time.schedule(Duration.ofSeconds(4), () -> ran.add("4s"));

    assertThat(time.advanceToNext()).isTrue();

    assertThat(ran).containsExactly("4s");
    assertThat(time.nanoTime()).isEqualTo(4_000_000_000L);
  }

  @Test
  void runDueRunsWhatIsDueWithoutMovingTime() {
    time.schedule(Duration.ZERO, () -> ran.add("zero"));
    time.schedule(Duration.ofSeconds(-5), () -> ran.add("negative"));
    time.schedule(Duration.ofNanos(1), () -> ran.add("later"));

    assertThat(time.runDue()).isEqualTo(2);

    assertThat(ran).containsExactly("zero", "negative");
    assertThat(time.nanoTime()).isZero();
  }

  @Test
  void timeCannotGoBackwards() {
    time.advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> time.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time cannot go backwards: PT-0.000000001S");
    assertThat(time.nanoTime()).isEqualTo(1_000_000_000L);
  }

  @Test
  void aVeryLongDelayIsScheduledNotThrown() {
    Duration millennium = Duration.ofDays(365_000);
    time.schedule(millennium, () -> ran.add("far"));

    time.advance(Duration.ofDays(1));

    assertThat(ran).isEmpty();
    assertThat(time.pending()).isEqualTo(1);

    time.advance(millennium);
    assertThat(ran).containsExactly("far");
  }
}
