package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClusterTest {
  private static final Duration BEAT = Duration.ofSeconds(10);

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void joinRegistersHeartbeatsAndCloseLeavesInOrder(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      Cluster cluster = Cluster.join(db, time, time, "engine", BEAT);
      WorkerRegistry observer = new WorkerRegistry(dbs.open(), time);
      String id = cluster.workerId();

      assertThat(id).startsWith("engine-").hasSizeLessThanOrEqualTo(120);
      assertThat(cluster.shared()).isEqualTo(dialect == Dialect.POSTGRESQL);
      assertThat(cluster.heartbeatEvery()).isEqualTo(BEAT);
      WorkerRegistry.Worker me = observer.workers(BEAT.multipliedBy(3)).get(0);
      assertThat(me.id()).isEqualTo(id);
      assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(me.host()).isEqualTo(WorkerRegistry.hostName());

      time.advance(Duration.ofMinutes(5)); // 30 heartbeats on the scheduler
      me = observer.workers(BEAT.multipliedBy(3)).get(0);
      assertThat(me.alive()).isTrue();
      assertThat(me.heartbeatAt()).isEqualTo(time.instant());
      assertThat(time.pending()).isEqualTo(1);

      assertThat(cluster.leases().tryHold("poller:channex", id, Duration.ofMinutes(1))).isTrue();
      assertThat(cluster.leases().tryHold("timetable", id, Duration.ofMinutes(1))).isTrue();
      assertThat(cluster.registry()).isNotNull();
      cluster.close();
      cluster.close(); // idempotent

      assertThat(time.pending()).isZero();
      assertThat(new Leases(dbs.open(), time).all()).isEmpty();
      me = observer.workers(BEAT.multipliedBy(3)).get(0);
      assertThat(me.alive()).isFalse();
      assertThat(me.stoppedAt()).isEqualTo(time.instant());
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aWorkerThatStopsHeartbeatingIsDead(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      Cluster cluster = Cluster.join(db, time, new VirtualTime(), "engine", BEAT);
      WorkerRegistry observer = new WorkerRegistry(db, time);

      time.advance(BEAT.multipliedBy(3)); // its scheduler never runs: it hangs or died
      assertThat(observer.workers(BEAT.multipliedBy(3)).get(0).alive()).isTrue();
      time.advance(Duration.ofMillis(1));
      assertThat(observer.workers(BEAT.multipliedBy(3)).get(0).alive()).isFalse();
      assertThat(cluster.workerId()).isEqualTo(observer.workers(BEAT).get(0).id());
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aHeartbeatMustBePositive(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      assertThatThrownBy(() -> Cluster.join(db, time, time, "engine", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cluster heartbeatEvery must be positive, was PT0S");
    }
  }
}
