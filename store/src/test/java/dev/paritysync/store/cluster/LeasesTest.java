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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LeasesTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void twoProcessesRacingForALeaseExactlyOneHoldsIt(Dialect dialect) throws Exception {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Leases first = new Leases(dbs.open(), time);
      Leases second = new Leases(dbs.open(), time);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          String name = "poller:channel-" + round;
          CountDownLatch start = new CountDownLatch(1);
          Future<Boolean> a = pool.submit(race(start, () -> first.tryHold(name, "worker-a", TTL)));
          Future<Boolean> b = pool.submit(race(start, () -> second.tryHold(name, "worker-b", TTL)));
          start.countDown();
          boolean aHolds = a.get(30, TimeUnit.SECONDS);
          boolean bHolds = b.get(30, TimeUnit.SECONDS);

          assertThat(aHolds ^ bHolds).as("exactly one holds %s", name).isTrue();
          assertThat(first.holder(name).orElseThrow().owner())
              .isEqualTo(aHolds ? "worker-a" : "worker-b");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static Callable<Boolean> race(CountDownLatch start, Callable<Boolean> take) {
    return () -> {
      start.await(30, TimeUnit.SECONDS);
      return take.call();
    };
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anExpiredLeaseIsTakenOverByTheOtherProcess(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Leases a = new Leases(dbs.open(), time);
      Leases b = new Leases(dbs.open(), time);
      Instant start = time.instant();
      assertThat(a.tryHold("timetable", "worker-a", TTL)).isTrue();

      time.advance(Duration.ofSeconds(29));
      assertThat(b.tryHold("timetable", "worker-b", TTL)).isFalse();
      assertThat(a.tryHold("timetable", "worker-a", TTL)).as("renewed").isTrue();
      assertThat(b.holder("timetable").orElseThrow())
          .isEqualTo(
              new Leases.Lease("timetable", "worker-a", start, start.plusSeconds(29).plus(TTL)));

      time.advance(TTL.minusMillis(1));
      assertThat(b.tryHold("timetable", "worker-b", TTL)).isFalse();
      time.advance(Duration.ofMillis(1)); // worker-a died: its lease expires
      assertThat(a.holder("timetable")).isEmpty();
      assertThat(b.tryHold("timetable", "worker-b", TTL)).isTrue();

      Leases.Lease taken = a.holder("timetable").orElseThrow();
      assertThat(taken.owner()).isEqualTo("worker-b");
      assertThat(taken.acquiredAt()).isEqualTo(time.instant());
      assertThat(a.tryHold("timetable", "worker-a", TTL)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void releaseOnlyByTheHolderAndReleaseAllByOwner(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Leases leases = new Leases(dbs.open(), time);
      assertThat(leases.tryHold("poller:b", "worker-a", TTL)).isTrue();
      assertThat(leases.tryHold("poller:a", "worker-a", TTL)).isTrue();
      assertThat(leases.tryHold("prune", "worker-b", TTL)).isTrue();

      leases.release("prune", "worker-a");
      assertThat(leases.holder("prune")).map(Leases.Lease::owner).contains("worker-b");
      leases.release("prune", "worker-b");
      assertThat(leases.holder("prune")).isEmpty();
      assertThat(leases.tryHold("prune", "worker-a", TTL)).isTrue();

      assertThat(leases.all())
          .extracting(Leases.Lease::name)
          .containsExactly("poller:a", "poller:b", "prune");
      assertThat(leases.releaseAll("worker-a")).isEqualTo(3);
      assertThat(leases.all()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void allListsOnlyUnexpiredLeases(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Leases leases = new Leases(dbs.open(), time);
      leases.tryHold("short", "worker-a", Duration.ofSeconds(5));
      leases.tryHold("long", "worker-a", Duration.ofSeconds(50));
      time.advance(Duration.ofSeconds(5));

      List<String> names = new ArrayList<>();
      leases.all().forEach(l -> names.add(l.name()));
      assertThat(names).containsExactly("long");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void argumentsAreNamedWhenWrong(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      Leases leases = new Leases(db, time);
      assertThatThrownBy(() -> leases.tryHold("poller", "worker-a", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("lease 'poller' needs a positive ttl, was PT0S");
      assertThatThrownBy(() -> leases.tryHold(" ", "worker-a", TTL))
          .hasMessage("lease name must not be blank, was ' '");
      assertThatThrownBy(() -> leases.tryHold("poller", "w".repeat(121), TTL))
          .hasMessageStartingWith("lease owner 'www")
          .hasMessageEndingWith("' is 121 characters; at most 120");
    }
  }
}
