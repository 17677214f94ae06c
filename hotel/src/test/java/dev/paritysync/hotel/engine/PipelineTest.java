package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.paritysync.core.http.Request;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.LedgerEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's delivery loop keeps every slot busy ({@link DeliveryWorker#deliver}): a slow answer
 * holds its own slot only, and each answer is recorded — its announced wait learned — before its
 * slot sends again.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class PipelineTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private List<String> batches(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      h.accept(
          Change.builder(
                  "P1", "DBL", Engines.TODAY.plusDays(1 + 2 * i), Engines.TODAY.plusDays(1 + 2 * i))
              .withRatePlan("BAR")
              .withRate(Rate.of("1" + (10 + i) + ".00", "EUR"))
              .build());
      ids.addAll(h.batcher.formBatches());
    }
    assertThat(ids).hasSize(n);
    return ids;
  }

  @Test
  void aSlowAnswerHoldsOnlyItsOwnSlot() {
    h = new Harness(backend, dir, SimConfig.healthy(1));
    // The first request's credentials (so the request itself) are held until six more requests
    // have gone out: a loop that waits for every answer of a round before claiming again would
    // never send them, and this test would time out.
    HoldFirst held = new HoldFirst(6);
    DeliveryWorker worker =
        h.builder("w1", h.quotas).withConcurrency(4).withAuthenticator(held).build();
    List<String> ids = batches(12);

    int sent =
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> worker.deliver(100, () -> true));

    assertThat(sent).isEqualTo(12);
    for (String id : ids) {
      assertThat(h.sim.applications(id)).as(id).isEqualTo(1);
    }
    assertThat(held.calls.get()).isEqualTo(12);
    assertThat(h.sim.stats().requests()).isEqualTo(12);
  }

  @Test
  void anAnnouncedWaitIsLearnedBeforeTheSlotSendsAgain() {
    // 2 requests a minute, said only in the headers: the second answer is a 200 with
    // X-RateLimit-Remaining: 0 and a reset. With one slot kept busy, the third batch must be
    // deferred by the pause that answer taught, not sent into the channel's spent window.
    h =
        new Harness(
            backend, dir, SimConfig.healthy(1).toBuilder().withQuota("ari", "2/1m").build());
    DeliveryWorker worker = h.builder("w1", h.quotas).withConcurrency(1).build();
    List<String> ids = batches(5);

    assertThat(worker.deliver(100, () -> true)).isEqualTo(2);

    assertThat(h.sim.stats().requests()).isEqualTo(2);
    assertThat(h.sim.stats().requestsDuringAnnouncedWait()).isZero();
    assertThat(h.sim.stats().throttled()).isZero();
    List<LedgerEntry> third = h.db.read(c -> h.ledger.bySubject(c, ids.get(2)));
    assertThat(third)
        .filteredOn(e -> e.kind().equals("batch.deferred"))
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("gate", "quota"));
  }

  @Test
  void runOnceSendsOneRoundOnly() {
    h = new Harness(backend, dir, SimConfig.healthy(1));
    DeliveryWorker worker = h.builder("w1", h.quotas).withConcurrency(4).build();
    batches(10);

    assertThat(worker.runOnce()).isEqualTo(4);
    assertThat(worker.deliver(100, () -> false)).isEqualTo(4);
    assertThat(worker.deliver(1, () -> true)).isEqualTo(2);
    assertThat(h.sim.stats().requests()).isEqualTo(10);
  }

  /** Holds the first request until {@code after} more have been authorized. */
  private static final class HoldFirst implements Authenticator {
    private final int after;
    private final AtomicInteger calls = new AtomicInteger();
    private final CompletableFuture<Authorized> first = new CompletableFuture<>();

    HoldFirst(int after) {
      this.after = after;
    }

    @Override
    public CompletableFuture<Authorized> authorize(Request request) {
      int n = calls.incrementAndGet();
      if (n == 1) {
        return first.thenApply(x -> new Authorized(request, null));
      }
      if (n == 1 + after) {
        first.complete(null);
      }
      return CompletableFuture.completedFuture(new Authorized(request, null));
    }

    @Override
    public void rejected(Authorized authorized) {}
  }
}
