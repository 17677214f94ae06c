package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.TestDatabase;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.cluster.Leases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Singletons with failover, on virtual time and a real SQLite store: two workers share the leases;
 * a worker that dies (its scheduler runs nothing more, like SIGKILL) stops renewing, and the other
 * starts the component within one lease, never while the dead worker's lease still holds.
 */
class SingletonsTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String POLLER = "poller:cx";

  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T23:59:50Z"));
  private final List<String> events = new ArrayList<>();
  private TestDatabase store;
  private Leases leases;

  @BeforeEach
  void open() {
    store = TestDatabase.sqlite(dir.resolve("leases.db"));
    leases = new Leases(store.db, time);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theOtherWorkerTakesOverWithinOneLeaseAfterTheHolderDies() {
    Process a = new Process(time);
    Process b = new Process(time);
    Singletons workerA = singletons("worker-a", a);
    Singletons workerB = singletons("worker-b", b);
    workerA.start();
    time.advance(Duration.ofSeconds(1));
    workerB.start();

    assertThat(workerA.running(POLLER)).isTrue();
    assertThat(workerB.running(POLLER)).isFalse();
    time.advance(Duration.ofMinutes(5)); // A renews all along; B never starts it
    assertThat(workerB.running(POLLER)).isFalse();
    assertThat(events).containsExactly("worker-a started");

    time.advance(Duration.ofSeconds(4));
    Instant expiry = leases.holder(POLLER).orElseThrow().expiresAt();
    Instant lastRenewal = expiry.minus(LEASE);
    a.kill();
    Instant killedAt = time.instant();
    Instant startedByB = null;
    while (startedByB == null && time.instant().isBefore(killedAt.plus(LEASE.multipliedBy(3)))) {
      time.advance(Duration.ofMillis(500));
      if (workerB.running(POLLER)) {
        startedByB = time.instant();
      }
    }

    assertThat(startedByB).as("worker-b took over").isNotNull();
    assertThat(Duration.between(killedAt, startedByB)).isLessThanOrEqualTo(LEASE);
    assertThat(startedByB).isAfter(expiry);
    assertThat(Duration.between(lastRenewal, startedByB)).isLessThanOrEqualTo(LEASE.plusSeconds(1));
    assertThat(leases.holder(POLLER).orElseThrow().owner()).isEqualTo("worker-b");
    assertThat(events).containsExactly("worker-a started", "worker-b started");
  }

  @Test
  void aClosedHolderReleasesSoTheOtherTakesOverAtItsNextRound() {
    Process a = new Process(time);
    Process b = new Process(time);
    Singletons workerA = singletons("worker-a", a);
    Singletons workerB = singletons("worker-b", b);
    workerA.start();
    workerB.start();

    workerA.close();
    assertThat(events).containsExactly("worker-a started", "worker-a stopped");
    assertThat(leases.holder(POLLER)).isEmpty();
    time.advance(LEASE.dividedBy(3));

    assertThat(workerB.running(POLLER)).isTrue();
    assertThat(events).containsExactly("worker-a started", "worker-a stopped", "worker-b started");
  }

  @Test
  void aWorkerThatLosesItsLeaseStopsItsComponent() {
    Process a = new Process(time);
    Singletons workerA = singletons("worker-a", a);
    workerA.start();
    // Another worker took the lease while A could not renew (a long pause): A stops at its round.
    leases.release(POLLER, "worker-a");
    assertThat(leases.tryHold(POLLER, "worker-c", LEASE)).isTrue();

    time.advance(LEASE.dividedBy(3));

    assertThat(workerA.running(POLLER)).isFalse();
    assertThat(events).containsExactly("worker-a started", "worker-a stopped");
  }

  @Test
  void aComponentThatCannotStartGivesItsLeaseBackAndIsTriedAgain() {
    int[] attempts = new int[1];
    Singletons worker =
        new Singletons(leases, "worker-a", LEASE, time)
            .add(
                POLLER,
                () -> {
                  if (++attempts[0] == 1) {
                    throw new IllegalStateException("channel unreachable");
                  }
                  return () -> {};
                });
    worker.start();
    assertThat(worker.running(POLLER)).isFalse();
    assertThat(leases.holder(POLLER)).isEmpty();

    time.advance(LEASE.dividedBy(3));

    assertThat(worker.running(POLLER)).isTrue();
    assertThat(attempts[0]).isEqualTo(2);
  }

  @Test
  void repeatingRunsAtOnceThenEveryPeriodUntilClosed() throws Exception {
    List<Instant> runs = new ArrayList<>();
    AutoCloseable job =
        Singletons.repeating(
            time,
            Duration.ofMinutes(1),
            "test job",
            () -> {
              runs.add(time.instant());
              if (runs.size() == 2) {
                throw new IllegalStateException("one bad run");
              }
            });
    time.advance(Duration.ofMinutes(3));
    job.close();
    time.advance(Duration.ofMinutes(3));

    assertThat(runs).hasSize(4);
    assertThat(Duration.between(runs.get(0), runs.get(3))).isEqualTo(Duration.ofMinutes(3));
  }

  private Singletons singletons(String worker, Scheduler scheduler) {
    return new Singletons(leases, worker, LEASE, scheduler)
        .add(
            POLLER,
            () -> {
              events.add(worker + " started");
              return () -> events.add(worker + " stopped");
            });
  }

  /** One worker's view of virtual time; after {@link #kill()} nothing of it runs (SIGKILL). */
  private static final class Process implements Scheduler {
    private final VirtualTime time;
    private volatile boolean dead;

    Process(VirtualTime time) {
      this.time = time;
    }

    void kill() {
      dead = true;
    }

    @Override
    public Clock clock() {
      return time;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      return time.schedule(
          delay,
          () -> {
            if (!dead) {
              task.run();
            }
          });
    }
  }
}
