package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.WorkQueue;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkerRegistryTest {
  private static final Duration ALIVE = Duration.ofSeconds(30);

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aliveOrDeadByHeartbeatAgeAndStop(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      WorkerRegistry a = new WorkerRegistry(dbs.open(), time);
      WorkerRegistry b = new WorkerRegistry(dbs.open(), time);
      Instant t0 = time.instant();
      a.register("w-old", "host-a", 101);
      time.advance(Duration.ofSeconds(1));
      b.register("w-new", "host-b", 202);
      time.advance(Duration.ofSeconds(1));
      b.register("w-stopped", "host-b", 303);
      b.stopped("w-stopped");

      time.advance(Duration.ofSeconds(29)); // w-old: 31 s since its heartbeat, w-new: 30 s
      List<WorkerRegistry.Worker> workers = a.workers(ALIVE);

      assertThat(workers)
          .extracting(WorkerRegistry.Worker::id, WorkerRegistry.Worker::alive)
          .containsExactly(tuple("w-new", true), tuple("w-stopped", false), tuple("w-old", false));
      assertThat(workers.get(2))
          .isEqualTo(new WorkerRegistry.Worker("w-old", "host-a", 101, t0, t0, null, false, 0));
      assertThat(workers.get(1).stoppedAt()).isEqualTo(t0.plusSeconds(2));

      a.heartbeat("w-old");
      assertThat(b.workers(ALIVE))
          .filteredOn(WorkerRegistry.Worker::alive)
          .extracting(WorkerRegistry.Worker::id)
          .containsExactly("w-new", "w-old");

      b.register("w-stopped", "host-c", 304); // a restart under the same id
      WorkerRegistry.Worker restarted =
          a.workers(ALIVE).stream().filter(w -> w.id().equals("w-stopped")).findFirst().get();
      assertThat(restarted.alive()).isTrue();
      assertThat(restarted.stoppedAt()).isNull();
      assertThat(restarted.pid()).isEqualTo(304);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void batchesHeldCountsUnexpiredLeasedItemsOfTheWorkerAndItsSlots(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      WorkerRegistry registry = new WorkerRegistry(db, time);
      WorkQueue queue = new WorkQueue(db, time);
      registry.register("w-1", "host", 1);
      registry.register("w-10", "host", 10);
      for (int i = 0; i < 6; i++) {
        int n = i;
        db.inTransaction(c -> queue.enqueue(c, "push", "subject-" + n, "{}"));
      }
      db.inTransaction(c -> queue.claim(c, "push", "w-1", 1, Duration.ofSeconds(30)));
      db.inTransaction(c -> queue.claim(c, "push", "w-1/slot-2", 2, Duration.ofSeconds(30)));
      db.inTransaction(c -> queue.claim(c, "push", "w-10", 1, Duration.ofSeconds(30)));
      db.inTransaction(c -> queue.claim(c, "push", "w-1_x", 1, Duration.ofSeconds(30)));

      assertThat(registry.workers(ALIVE))
          .extracting(WorkerRegistry.Worker::id, WorkerRegistry.Worker::batchesHeld)
          .containsExactlyInAnyOrder(tuple("w-1", 3), tuple("w-10", 1));

      time.advance(Duration.ofSeconds(30)); // every lease expires
      assertThat(registry.workers(ALIVE)).allSatisfy(w -> assertThat(w.batchesHeld()).isZero());
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pruneDeletesWorkersStoppedOrSilentForLongerThanGoneFor(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      WorkerRegistry registry = new WorkerRegistry(dbs.open(), time);
      registry.register("w-silent", "host", 1);
      registry.register("w-stopped", "host", 2);
      registry.register("w-alive", "host", 3);
      registry.stopped("w-stopped");
      time.advance(Duration.ofHours(1));
      registry.heartbeat("w-alive");
      assertThat(registry.prune(Duration.ofHours(1))).isZero();

      time.advance(Duration.ofMillis(1));
      assertThat(registry.prune(Duration.ofHours(1))).isEqualTo(2);
      assertThat(registry.workers(ALIVE))
          .extracting(WorkerRegistry.Worker::id)
          .containsExactly("w-alive");
    }
  }

  @Test
  void newWorkerIdsAreUniqueAndFitTheColumn() {
    String pid = Long.toString(ProcessHandle.current().pid());
    String id = WorkerRegistry.newWorkerId("engine");
    assertThat(id)
        .startsWith("engine-" + WorkerRegistry.hostName() + "-" + pid + "-")
        .matches(".*-[a-z0-9]{6}");
    assertThat(WorkerRegistry.newWorkerId(" ")).startsWith("paritysync-");
    assertThat(WorkerRegistry.newWorkerId("engine")).isNotEqualTo(id);
    String longOne = WorkerRegistry.newWorkerId("p".repeat(300));
    assertThat(longOne).hasSizeLessThanOrEqualTo(120).contains("-" + pid + "-");
  }
}
