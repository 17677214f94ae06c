package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SharedBudget} on each dialect, with two processes (two pools) sharing one budget. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class SharedBudgetTest {
  @Parameter Dialect dialect;
  @TempDir Path dir;

  // On a slice boundary, so the local budget's slices (from nanoTime 0) line up with the shared
  // ones.
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T01:00:00Z"));
  private TestDatabases dbs;
  private Database db1;
  private Database db2;

  @BeforeEach
  void open() {
    dbs = TestDatabases.fresh(dialect, dir);
    db1 = dbs.open();
    db2 = dbs.open();
  }

  @AfterEach
  void close() {
    if (dbs != null) {
      dbs.close();
    }
  }

  private RetryBudget local(double ratio, int minRetries) {
    return RetryBudget.builder(time)
        .withRatio(ratio)
        .withMinRetries(minRetries)
        .withWindow(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void theMinimumAndTheRatioHoldForTheClusterNotPerProcess() {
    RetryBudget config = local(0.2, 3);
    SharedBudget a = new SharedBudget(db1, time, "booking", config);
    SharedBudget b = new SharedBudget(db2, time, "booking", config);
    SharedBudget other = new SharedBudget(db2, time, "expedia", config);

    assertThat(a.tryRetry()).isTrue();
    assertThat(b.tryRetry()).isTrue();
    assertThat(a.tryRetry()).isTrue();
    assertThat(b.tryRetry()).as("the minimum of 3 is the cluster's").isFalse();
    assertThat(a.tryRetry()).isFalse();
    assertThat(other.tryRetry()).as("another channel has its own budget").isTrue();

    for (int i = 0; i < 10; i++) {
      a.onRequest();
      b.onRequest();
    }
    // 20 requests × 0.2 = 4 retries: one more than the 3 taken
    assertThat(b.usage()).isEqualTo(new RetryBudget.Usage(20, 3, 4));
    assertThat(a.tryRetry()).isTrue();
    assertThat(b.tryRetry()).isFalse();
    assertThat(a.usage()).isEqualTo(new RetryBudget.Usage(20, 4, 4));
    assertThat(a.deferral()).isEqualTo(config.deferral()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theRatioIsTakenInDecimal() {
    SharedBudget a = new SharedBudget(db1, time, "c", local(0.29, 0));
    SharedBudget b = new SharedBudget(db2, time, "c", local(0.29, 0));
    for (int i = 0; i < 50; i++) {
      a.onRequest();
      b.onRequest();
    }
    int allowed = 0;
    for (int i = 0; i < 40; i++) {
      if ((i % 2 == 0 ? a : b).tryRetry()) {
        allowed++;
      }
    }
    assertThat(allowed).as("0.29 × 100 is 29, not 28").isEqualTo(29);
  }

  @Test
  void countsLeaveTheWindowSliceBySlice() {
    SharedBudget a = new SharedBudget(db1, time, "c", local(0.5, 0));
    SharedBudget b = new SharedBudget(db2, time, "c", local(0.5, 0));
    for (int i = 0; i < 10; i++) {
      a.onRequest();
    }
    time.advance(Duration.ofMillis(9_999));
    assertThat(b.usage()).isEqualTo(new RetryBudget.Usage(10, 0, 5));
    time.advance(Duration.ofMillis(1));
    assertThat(b.usage()).as("ten slices later").isEqualTo(new RetryBudget.Usage(0, 0, 0));
    assertThat(b.tryRetry()).isFalse();

    b.onRequest();
    b.onRequest();
    assertThat(b.prune()).as("the first slice is older than the window").isEqualTo(1);
    assertThat(b.prune()).isZero();
    assertThat(a.usage()).isEqualTo(new RetryBudget.Usage(2, 0, 1));
  }

  @Test
  void aRandomSequenceOfCallsGivesWhatTheLocalBudgetGives() {
    RetryBudget local = local(0.3, 2);
    SharedBudget a = new SharedBudget(db1, time, "c", local(0.3, 2));
    SharedBudget b = new SharedBudget(db2, time, "c", local(0.3, 2));
    Random random = new Random(7);
    for (int step = 0; step < 300; step++) {
      SharedBudget shared = random.nextBoolean() ? a : b;
      int op = random.nextInt(10);
      if (op < 5) {
        local.onRequest();
        shared.onRequest();
      } else if (op < 8) {
        assertThat(shared.tryRetry()).as("retry at step %d", step).isEqualTo(local.tryRetry());
      } else {
        time.advance(Duration.ofMillis(random.nextInt(2500)));
      }
      assertThat(shared.usage()).isEqualTo(local.usage());
    }
  }

  /** Threads of two processes retry at once: together they take exactly what the budget allows. */
  @Test
  void concurrentRetriesNeverOverdrawTheBudget() throws Exception {
    List<SharedBudget> processes =
        List.of(
            new SharedBudget(db1, time, "c", local(0.1, 0)),
            new SharedBudget(db2, time, "c", local(0.1, 0)));
    for (int i = 0; i < 100; i++) {
      processes.get(i % 2).onRequest();
    }
    int threads = 6;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> taken = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SharedBudget budget = processes.get(t % 2);
        taken.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  int n = 0;
                  for (int i = 0; i < 5; i++) {
                    n += budget.tryRetry() ? 1 : 0;
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> f : taken) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(10);
      assertThat(processes.get(0).usage()).isEqualTo(new RetryBudget.Usage(100, 10, 10));
    } finally {
      pool.shutdownNow();
    }
  }
}
