package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.hotel.channel.ChannelPriority;
import dev.paritysync.hotel.channel.PriorityClass;
import dev.paritysync.sim.CellKey;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Priority lanes under a binding quota (one request a minute), against the simulator over loopback,
 * on virtual time: a stop-sell goes before a backlog of rates, and the rates still go within {@code
 * maxWait} while closes keep arriving.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class PriorityLanesTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;
  Batcher batcher;
  DeliveryWorker worker;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private void start(ChannelPriority priority) {
    h = new Harness(backend, dir, Harness.healthy());
    // one range per request, so a backlog of rates is several batches waiting for tokens
    batcher =
        new Batcher(
                h.db,
                h.queue,
                h.ledger,
                h.time,
                "a",
                new ChannelLimits(1, 1_000_000, false),
                h.adapter)
            .withPriority(priority);
    Quotas quotas =
        Quotas.builder(h.time).withLimits("a", "ari", List.of(QuotaLimit.parse("1/1m"))).build();
    worker = h.builder("w1", quotas).withPriority(priority).build();
  }

  private static Change rate(int day, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount, "EUR"))
        .build();
  }

  private static Change stopSell(int day) {
    return Change.builder("P1", "SGL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withAvailability(0)
        .build();
  }

  /** One loop step as the engine runs it, then a minute of virtual time. */
  private void step() {
    batcher.formBatches();
    worker.runOnce();
    h.time.advance(Duration.ofMinutes(1));
  }

  /** The lanes of the acknowledged batches, in the order the channel acknowledged them. */
  private List<String> acknowledgedLanes() {
    return h.db.read(
        c -> {
          List<String> lanes = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT b.lane FROM ledger l JOIN ari_batches b ON b.id = l.subject"
                      + " WHERE l.kind = 'batch.acknowledged' ORDER BY l.at, l.id")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                lanes.add(rs.getString(1));
              }
            }
          }
          return lanes;
        });
  }

  private List<String> acknowledgedAttribute(String name) {
    return h.db.read(
        c -> {
          List<String> values = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT attributes FROM ledger WHERE kind = 'batch.acknowledged'"
                      + " ORDER BY at, id")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String json = rs.getString(1);
                int at = json.indexOf("\"" + name + "\":");
                values.add(at < 0 ? null : json.substring(at + name.length() + 3).split("[,}]")[0]);
              }
            }
          }
          return values;
        });
  }

  @Test
  void aStopSellIngestedAfterABacklogOfRatesGoesBeforeThem() {
    start(ChannelPriority.DEFAULT);
    h.accept(rate(1, "101.00"), rate(2, "102.00"), rate(3, "103.00"), rate(4, "104.00"));
    step(); // the first rate spends the minute's token; three wait
    h.accept(stopSell(2));
    for (int i = 0; i < 10; i++) {
      step();
    }

    assertThat(acknowledgedLanes()).containsExactly("rate", "close", "rate", "rate", "rate");
    // the rates that waited say behind which lane, and for how long (at least the close's minute)
    List<String> behind = acknowledgedAttribute("waitedBehind");
    assertThat(behind).containsExactly(null, null, "\"close\"", "\"close\"", "\"close\"");
    assertThat(acknowledgedAttribute("waitedBehindMillis").subList(2, 5))
        .allSatisfy(ms -> assertThat(Long.parseLong(ms)).isGreaterThanOrEqualTo(0));
    assertThat(Engines.count(h.db, "SELECT COUNT(*) FROM ari_outbox WHERE acked_version IS NULL"))
        .isZero();
  }

  @Test
  void withPriorityOffTheStopSellWaitsItsTurn() {
    start(ChannelPriority.OFF);
    h.accept(rate(1, "101.00"), rate(2, "102.00"), rate(3, "103.00"), rate(4, "104.00"));
    step();
    h.accept(stopSell(2));
    for (int i = 0; i < 10; i++) {
      step();
    }

    // first in, first out: no lanes recorded, and the stop-sell is the last request
    assertThat(acknowledgedLanes()).hasSize(5).containsOnlyNulls();
    assertThat(Engines.count(h.db, "SELECT COUNT(*) FROM ari_outbox WHERE acked_version IS NULL"))
        .isZero();
  }

  @Test
  void ratesGoWithinMaxWaitWhileClosesKeepArriving() {
    start(new ChannelPriority(true, ChannelPriority.DEFAULT.order(), Duration.ofMinutes(5)));
    long t0 = h.time.millis();
    h.accept(rate(1, "101.00"));
    // a new stop-sell every minute: without the bound, the rate would never get a token
    for (int minute = 0; minute < 12; minute++) {
      h.accept(stopSell(minute + 1));
      step();
    }

    List<String> lanes = acknowledgedLanes();
    int rateAt = lanes.indexOf("rate");
    assertThat(rateAt).as("the rate went, between closes: %s", lanes).isPositive();
    assertThat(lanes.subList(0, rateAt)).containsOnly("close");
    assertThat(lanes.subList(rateAt + 1, lanes.size())).containsOnly("close").isNotEmpty();
    long rateAckedAt =
        Engines.count(
            h.db,
            "SELECT l.at FROM ledger l JOIN ari_batches b ON b.id = l.subject"
                + " WHERE l.kind = 'batch.acknowledged' AND b.lane = 'rate'");
    assertThat(rateAckedAt - t0)
        .as("sent once it had waited maxWait, at the next token")
        .isBetween(Duration.ofMinutes(5).toMillis(), Duration.ofMinutes(7).toMillis());
  }

  @Test
  void aCellThatBecomesACloseWhileItsRateBatchWaitsGoesOnceNewestInTheCloseLane() {
    start(ChannelPriority.DEFAULT);
    h.accept(rate(1, "101.00"), rate(2, "102.00"));
    step(); // day 1 goes, day 2 waits in a rate batch
    // the same cell (DBL/BAR day 2) is now closed: its rate batch gives way, and the cell goes
    // once, in the close lane, with the newest values
    h.accept(
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(2), Engines.TODAY.plusDays(2))
            .withRatePlan("BAR")
            .withRate(Rate.of("99.00", "EUR"))
            .withRestrictions(Restrictions.none().withClosed(true))
            .build());
    for (int i = 0; i < 5; i++) {
      step();
    }

    assertThat(acknowledgedLanes()).containsExactly("rate", "close");
    assertThat(Engines.count(h.db, "SELECT COUNT(*) FROM ledger WHERE kind = 'batch.superseded'"))
        .isEqualTo(1);
    assertThat(
            h.sim
                .state("P1")
                .get(new CellKey("D1", "R1", Engines.TODAY.plusDays(2)))
                .rate()
                .toPlainString())
        .isEqualTo("99.00");
    assertThat(PriorityClass.CLOSE.bit()).isEqualTo(1);
  }
}
