package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.cluster.SharedCircuits.Circuit;
import dev.paritysync.store.cluster.SharedCircuits.State;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SharedCircuits} on each dialect, with two workers in two processes (two pools). */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class SharedCircuitsTest {
  private static final Duration LEASE = Duration.ofSeconds(10);

  @Parameter Dialect dialect;
  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  private TestDatabases dbs;
  private SharedCircuits w1;
  private SharedCircuits w2;

  @BeforeEach
  void open() {
    dbs = TestDatabases.fresh(dialect, dir);
    w1 = new SharedCircuits(dbs.open(), time, "w1");
    w2 = new SharedCircuits(dbs.open(), time, "w2");
  }

  @AfterEach
  void close() {
    if (dbs != null) {
      dbs.close();
    }
  }

  @Test
  void aCircuitWithoutARowIsClosedAndOffersNoProbe() {
    assertThat(w1.view("booking", "ari"))
        .isEqualTo(new Circuit("booking", "ari", State.CLOSED, null, null, null, null, null));
    assertThat(w1.tryProbe("booking", "ari", LEASE)).isFalse();
    assertThat(w1.close("booking", "ari")).isEmpty();
    assertThat(w1.all()).isEmpty();
  }

  @Test
  void openThenOneProbeAcrossWorkersThenCloseReturnsOpenedAtExactlyOnce() {
    Instant openedAt = time.instant();
    w1.open("booking", "ari", openedAt.plusSeconds(30));
    Circuit open = w2.view("booking", "ari");
    assertThat(open.state()).isEqualTo(State.OPEN);
    assertThat(open.openedAt()).isEqualTo(openedAt);
    assertThat(open.openUntil()).isEqualTo(openedAt.plusSeconds(30));

    time.advance(Duration.ofSeconds(29));
    assertThat(w1.tryProbe("booking", "ari", LEASE)).as("still open").isFalse();
    assertThat(w2.tryProbe("booking", "ari", LEASE)).isFalse();
    time.advance(Duration.ofSeconds(1));
    assertThat(w2.tryProbe("booking", "ari", LEASE)).as("the first asker probes").isTrue();
    assertThat(w1.tryProbe("booking", "ari", LEASE)).as("one probe at a time").isFalse();
    assertThat(w2.tryProbe("booking", "ari", LEASE)).as("the owner may retake it").isTrue();
    Circuit half = w1.view("booking", "ari");
    assertThat(half.state()).isEqualTo(State.HALF_OPEN);
    assertThat(half.probeOwner()).isEqualTo("w2");
    assertThat(half.probeUntil()).isEqualTo(time.instant().plus(LEASE));
    assertThat(half.openedAt()).isEqualTo(openedAt);

    time.advance(LEASE.minusMillis(1));
    assertThat(w1.tryProbe("booking", "ari", LEASE)).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(w1.tryProbe("booking", "ari", LEASE)).as("the owner's lease ran out").isTrue();
    assertThat(w2.tryProbe("booking", "ari", LEASE)).isFalse();

    assertThat(w1.close("booking", "ari")).contains(openedAt);
    assertThat(w2.close("booking", "ari")).as("already closed").isEmpty();
    assertThat(w2.view("booking", "ari"))
        .isEqualTo(new Circuit("booking", "ari", State.CLOSED, null, null, null, null, null));
    assertThat(w1.tryProbe("booking", "ari", LEASE)).isFalse();

    // the next open period has its own instant
    time.advance(Duration.ofMinutes(1));
    w2.open("booking", "ari", time.instant().plusSeconds(5));
    assertThat(w1.close("booking", "ari")).contains(time.instant());
  }

  @Test
  void openAgainKeepsTheOpenedAtExtendsNeverShortensAndClearsTheProbe() {
    Instant t0 = time.instant();
    w1.open("booking", "ari", t0.plusSeconds(30));
    time.advance(Duration.ofSeconds(5));
    w2.open("booking", "ari", t0.plusSeconds(60));
    w1.open("booking", "ari", t0.plusSeconds(40));
    Circuit c = w1.view("booking", "ari");
    assertThat(c.openedAt()).isEqualTo(t0);
    assertThat(c.openUntil()).isEqualTo(t0.plusSeconds(60));

    time.advance(Duration.ofSeconds(55));
    assertThat(w2.tryProbe("booking", "ari", LEASE)).isTrue();
    // the probe failed: its breaker opens again, for the same open period
    w2.open("booking", "ari", time.instant().plusSeconds(30));
    c = w1.view("booking", "ari");
    assertThat(c.state()).isEqualTo(State.OPEN);
    assertThat(c.openedAt()).isEqualTo(t0);
    assertThat(c.openUntil()).isEqualTo(time.instant().plusSeconds(30));
    assertThat(c.probeOwner()).isNull();
    assertThat(c.probeUntil()).isNull();
    assertThat(w2.tryProbe("booking", "ari", LEASE)).isFalse();
    assertThat(w2.view("booking", "other").state()).as("per endpoint").isEqualTo(State.CLOSED);
  }

  @Test
  void holdStopsPushesUntilTheInstantOrUnhold() {
    Instant until = time.instant().plusSeconds(60);
    w1.hold("booking", "ari", until);
    Circuit held = w2.view("booking", "ari");
    assertThat(held.state()).isEqualTo(State.CLOSED);
    assertThat(held.heldUntil()).isEqualTo(until);
    assertThat(held.held(time.instant())).isTrue();
    assertThat(held.held(until.minusMillis(1))).isTrue();
    assertThat(held.held(until)).isFalse();

    w2.open("booking", "ari", time.instant().plusSeconds(5));
    assertThat(w1.view("booking", "ari").heldUntil()).as("opening keeps the hold").isEqualTo(until);
    w1.hold("booking", "ari", until.plusSeconds(30));
    assertThat(w1.view("booking", "ari").state())
        .as("holding keeps the state")
        .isEqualTo(State.OPEN);
    assertThat(w1.close("booking", "ari")).isPresent();
    assertThat(w2.view("booking", "ari").heldUntil()).isEqualTo(until.plusSeconds(30));

    w2.unhold("booking", "ari");
    assertThat(w1.view("booking", "ari").heldUntil()).isNull();
    assertThat(w1.view("booking", "ari").held(time.instant())).isFalse();
    w2.unhold("expedia", "ari"); // no row: nothing to do
    assertThat(w1.all()).extracting(Circuit::channel).containsExactly("booking");
  }

  @Test
  void allListsEveryCircuitByChannelThenEndpoint() {
    w1.open("expedia", "ari", time.instant().plusSeconds(5));
    w2.hold("booking", "reservations", time.instant().plusSeconds(5));
    w1.open("booking", "ari", time.instant().plusSeconds(5));
    assertThat(w2.all())
        .extracting(c -> c.channel() + "/" + c.endpoint() + " " + c.state())
        .containsExactly("booking/ari OPEN", "booking/reservations CLOSED", "expedia/ari OPEN");
  }

  @Test
  void errorsNameTheCulprit() {
    assertThatThrownBy(() -> w1.tryProbe("booking", "ari", Duration.ZERO))
        .hasMessage("probe lease for channel 'booking' endpoint 'ari' must be positive, was PT0S");
  }

  /** Six workers in two processes race: one gets the probe, one closer gets the instant. */
  @Test
  void underConcurrencyOneProbesAndOneCloserGetsTheInstant() throws Exception {
    Instant openedAt = time.instant();
    w1.open("booking", "ari", openedAt.plusSeconds(1));
    time.advance(Duration.ofSeconds(1));
    List<Database> processes = List.of(dbs.open(), dbs.open());
    List<SharedCircuits> workers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      workers.add(new SharedCircuits(processes.get(i % 2), time, "racer-" + i));
    }

    List<Boolean> probes = race(workers, w -> w.tryProbe("booking", "ari", LEASE));
    assertThat(probes).containsOnlyOnce(true);
    String owner = "racer-" + probes.indexOf(true);
    assertThat(w1.view("booking", "ari").probeOwner()).isEqualTo(owner);

    List<Optional<Instant>> closes = race(workers, w -> w.close("booking", "ari"));
    assertThat(closes.stream().filter(Optional::isPresent).toList())
        .containsExactly(Optional.of(openedAt));
  }

  private static <T> List<T> race(List<SharedCircuits> workers, Function<SharedCircuits, T> call)
      throws Exception {
    int threads = workers.size();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SharedCircuits w = workers.get(t);
        Callable<T> task =
            () -> {
              start.await(30, TimeUnit.SECONDS);
              return call.apply(w);
            };
        futures.add(pool.submit(task));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
