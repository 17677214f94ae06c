package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The batcher's hold: while a property's batch waits unsent (here for a quota token), no new batch
 * is formed for that property; the cells changed meanwhile go together in the next one.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class HoldTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static Change rate(String property, int day, String amount) {
    return Change.builder(property, "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  @Test
  void underABindingQuotaChangesCoalesceIntoFullRequestsNotOneFragmentPerStep() {
    h = new Harness(backend, dir, Harness.healthy());
    Batcher holding =
        new Batcher(h.db, h.queue, h.ledger, h.time, "a", ChannelLimits.DEFAULTS, h.adapter);
    Quotas quotas =
        Quotas.builder(h.time).withLimits("a", "ari", List.of(QuotaLimit.parse("1/1m"))).build();
    DeliveryWorker worker = h.worker("w1", quotas);

    // the first change goes at once and spends the minute's token
    h.accept(rate("P1", 1, "100.00"));
    assertThat(holding.formBatches()).hasSize(1);
    assertThat(worker.runOnce()).isEqualTo(1);
    // ten more changes, one per loop step: one batch is formed and waits for the next token; the
    // other nine cells stay pending instead of becoming nine batches of one cell each
    for (int day = 2; day <= 11; day++) {
      h.accept(rate("P1", day, "1" + day + "0.00"));
      holding.formBatches();
      worker.runOnce();
      h.time.advance(Duration.ofSeconds(1));
    }
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM work_items WHERE queue = ? AND state = 'ready'",
                Batcher.queueName("a")))
        .isEqualTo(1);
    assertThat(
            Engines.count(
                h.db, "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"))
        .isEqualTo(9);
    // another property is not held back by P1's waiting batch
    h.accept(rate("P2", 1, "90.00"));
    assertThat(holding.formBatches()).hasSize(1);

    // as the minutes pass: P1's waiting batch goes, then the nine cells in one request
    for (int i = 0; i < 5; i++) {
      h.time.advance(Duration.ofMinutes(1));
      holding.formBatches();
      worker.runOnce();
    }
    assertThat(Engines.count(h.db, "SELECT COUNT(*) FROM ari_outbox WHERE acked_version IS NULL"))
        .isZero();
    // P1: 1 + 1 + 1 requests (the nine went together); P2: 1
    assertThat(h.sim.stats().requests()).isEqualTo(4);
    assertThat(h.sim.stats().throttled()).isZero();
  }
}
