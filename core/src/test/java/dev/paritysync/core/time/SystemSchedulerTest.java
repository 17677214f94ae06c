package dev.paritysync.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The machine's scheduler runs tasks on daemon threads named after it. */
class SystemSchedulerTest {
  @Test
  void anIdlingSchedulerRunsItsTaskOnItsNamedDaemonThread() throws Exception {
    try (SystemScheduler s = Scheduler.idling("test-commit", Duration.ofSeconds(30))) {
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      s.schedule(Duration.ZERO, () -> ran.complete(Thread.currentThread()));
      Thread t = ran.get(10, TimeUnit.SECONDS);
      assertThat(t.getName()).isEqualTo("test-commit-1");
      assertThat(t.isDaemon()).isTrue();
      assertThat(s.clock()).isSameAs(Clock.system());
    }
  }

  @Test
  void aCancelledTaskDoesNotRun() throws Exception {
    try (SystemScheduler s = Scheduler.system(1)) {
      CompletableFuture<String> ran = new CompletableFuture<>();
      Scheduler.Cancellable late = s.schedule(Duration.ofHours(1), () -> ran.complete("late"));
      assertThat(late.cancel()).isTrue();
      s.schedule(Duration.ZERO, () -> ran.complete("now"));
      assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("now");
    }
  }
}
