package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.store.Dialect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SharedQuotas} on each dialect, where it keeps its windows in step with the channel's own:
 * the guard after a window's first take, the anchoring on the first answer, requests in flight
 * across a boundary, takes never released, and the clock read under the row lock. The local {@link
 * Quotas} has no counterpart for these; {@link SharedQuotasTest} compares the rest with it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class SharedQuotasChannelWindowTest extends SharedQuotasFixture {
  /**
   * The channel counts its window from the first request's arrival, which lies before that
   * request's answer: the first answer moves the window's start there, for every process, however
   * long the transit (here 1.5 s on a 2 s window, far past the 0.2 s guard).
   */
  @Test
  void theFirstAnswerAnchorsTheWindowSoNoTransitLetsItRefillBeforeTheChannels() {
    UnaryOperator<Quotas.Builder> oneIn2s =
        b -> b.withLimits("booking", "ari", List.of(QuotaLimit.parse("1/2s")));
    SharedQuotas gate = new SharedQuotas(db, time, oneIn2s.apply(Quotas.builder(time)).build());
    SharedQuotas other =
        new SharedQuotas(dbs.open(), time, oneIn2s.apply(Quotas.builder(time)).build());
    assertThat(gate.tryTake(hotelA, 1)).isZero();
    assertThat(windowsOf(hotelA)).endsWith(":0:200");
    assertThat(other.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(2_200));
    time.advance(Duration.ofMillis(1_500));
    gate.released(hotelA, time.instant(), true);
    assertThat(windowsOf(hotelA)).as("anchored; phase 1.5 s from the take").endsWith(":1:1500");
    assertThat(other.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(2));
    assertThat(other.tryTake(hotelA, 1)).isZero();
    // anchored once: a later answer moves nothing, and the phase holds
    time.advance(Duration.ofMillis(500));
    other.released(hotelA, time.instant(), true);
    assertThat(gate.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(1_500));
    // an answer inside the guard never moves a start earlier
    assertThat(gate.tryTake(hotelB, 1)).isZero();
    time.advance(Duration.ofMillis(50));
    gate.released(hotelB, time.instant(), true);
    assertThat(gate.tryTake(hotelB, 1)).isEqualTo(Duration.ofMillis(2_150));
  }

  /**
   * A take that waited for another worker's row lock read the clock before the wait: older than the
   * window start that worker had just written, it looked like wall time stepping back and restarted
   * the window earlier than the channel's (the cluster bench's rare 429). The clock is now read
   * once the row is the take's own.
   */
  @Test
  void aTakeReadsTheClockOnlyOnceTheRowIsItsOwn() {
    Quotas limits =
        Quotas.builder(time)
            .withLimits("booking", "ari", List.of(QuotaLimit.parse("1/2s")))
            .build();
    SharedQuotas first = new SharedQuotas(db, time, limits);
    long[] lagNext = {0};
    dev.paritysync.core.time.Clock lagging =
        new dev.paritysync.core.time.Clock() {
          @Override
          public Instant instant() {
            Instant now = time.instant().minusMillis(lagNext[0]);
            lagNext[0] = 0;
            return now;
          }

          @Override
          public long nanoTime() {
            return time.nanoTime();
          }
        };
    SharedQuotas waited = new SharedQuotas(dbs.open(), lagging, limits);
    assertThat(first.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofMillis(1_500));
    first.released(hotelA, time.instant(), true); // the window now runs 1.5 s .. 3.5 s
    time.advance(Duration.ofMillis(100));
    lagNext[0] = 1_000; // its first reading is from before a one-second wait for the lock
    assertThat(waited.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(1_900));
    time.advance(Duration.ofMillis(1_300));
    assertThat(waited.tryTake(hotelA, 1))
        .as("the window still ends at 3.5 s, not restarted from the stale reading")
        .isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void rowsWrittenBeforeAnchoringReadAsAnchored() {
    SharedQuotas gate =
        new SharedQuotas(
            db,
            time,
            Quotas.builder(time)
                .withLimits("booking", "ari", List.of(QuotaLimit.parse("1/2s")))
                .build());
    long now = time.instant().toEpochMilli();
    db.inTransaction(
        c ->
            c.createStatement()
                .executeUpdate(
                    "INSERT INTO cluster_quotas (channel, scope, endpoint, windows, updated_at)"
                        + " VALUES ('booking', 'hotel-a', 'ari', '0:1:2000:"
                        + (now - 500)
                        + "', 0)"));
    assertThat(gate.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(1_500));
    time.advance(Duration.ofMillis(1_500));
    assertThat(gate.tryTake(hotelA, 1)).isZero();
    gate.released(hotelA, time.instant().plusMillis(700), true);
    assertThat(windowsOf(hotelA)).isEqualTo("0:1:2000:" + (now + 1_500) + ":1:200");
  }

  /**
   * The channel's window counts a request by its arrival, anywhere between our take and the
   * request's end: one taken late in our window and still open at its boundary, or ended less than
   * the phase before it, may land in the channel's next window — so ours refills without its token.
   * Across a boundary the channel never receives more than its capacity (the cluster bench's 429 at
   * a window's edge).
   */
  @Test
  void aRequestInFlightAcrossTheBoundaryCountsInTheNextWindowToo() {
    SharedQuotas gate =
        new SharedQuotas(
            db,
            time,
            Quotas.builder(time)
                .withLimits("booking", "ari", List.of(QuotaLimit.parse("2/2s")))
                .build());
    assertThat(gate.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofMillis(100));
    gate.released(hotelA, time.instant(), true); // anchored: the window runs 0.2 s .. 2.2 s
    assertThat(windowsOf(hotelA)).endsWith(":1:200");
    time.advance(Duration.ofMillis(2_000)); // 2.1 s: late in the window
    assertThat(gate.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofMillis(150)); // 2.25 s: the next window, the request still open
    assertThat(gate.tryTake(hotelA, 1)).as("one token left of two").isZero();
    assertThat(gate.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(1_950));
    time.advance(Duration.ofMillis(50));
    gate.released(hotelA, time.instant(), true);
    gate.released(hotelA, time.instant(), true);
    // ended 0.1 s before the boundary at 4.2 s (phase 0.2 s): it may have arrived after the
    // channel's, so it counts there too; one ended 0.3 s before does not
    time.advance(Duration.ofMillis(1_600)); // 3.9 s
    assertThat(gate.tryTake(hotelA, 1)).isEqualTo(Duration.ofMillis(300));
    time.advance(Duration.ofMillis(200)); // 4.1 s
    // nothing open: a take now refused; the one ended at 4.1 s carries
    assertThat(used(gate)).isZero();
    time.advance(Duration.ofMillis(100)); // 4.2 s: refill
    assertThat(used(gate)).as("capacity 2 less nothing open or ended near 4.2 s").isEqualTo(2);
    assertThat(gate.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofMillis(1_950)); // 6.15 s
    gate.released(hotelA, time.instant(), true); // ended 50 ms before the boundary at 6.2 s
    time.advance(Duration.ofMillis(50));
    assertThat(gate.tryTake(hotelA, 2)).as("one token carried").isEqualTo(Duration.ofSeconds(2));
    assertThat(gate.tryTake(hotelA, 1)).isZero();
  }

  /**
   * A take whose release never comes (its process died) counts as in flight for {@code
   * maxInFlight}, then as ended then: the key is not blocked for good.
   */
  @Test
  void aTakeNeverReleasedExpires() {
    SharedQuotas gate =
        new SharedQuotas(
            db,
            time,
            Quotas.builder(time)
                .withLimits("booking", "ari", List.of(QuotaLimit.parse("1/2s")))
                .build(),
            0,
            Duration.ofSeconds(5));
    assertThat(gate.tryTake(hotelA, 1)).isZero();
    time.advance(Duration.ofSeconds(2));
    assertThat(gate.tryTake(hotelA, 1))
        .as("still in flight at 2 s")
        .isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(4)); // 6 s: expired at 5 s, long before the boundary
    assertThat(gate.tryTake(hotelA, 1)).isZero();
  }

  private static long used(SharedQuotas gate) {
    return gate.used("booking").get(0).available();
  }

  private String windowsOf(QuotaKey key) {
    return db.read(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "SELECT windows FROM cluster_quotas WHERE channel = ? AND scope = ?"
                      + " AND endpoint = ?")) {
            ps.setString(1, key.channel());
            ps.setString(2, key.scope());
            ps.setString(3, key.endpoint());
            try (var rs = ps.executeQuery()) {
              assertThat(rs.next()).as("a row for %s", key).isTrue();
              return rs.getString(1);
            }
          }
        });
  }

  @Test
  void aWindowStartsAGuardAfterItsFirstTakeSoItNeverRefillsBeforeTheChannels() {
    // 10 a minute: the window starts a second after the first take (a tenth of a minute is more);
    // a channel whose own window began when the first request arrived, up to a second later, has
    // refilled by the time ours does.
    SharedQuotas guarded =
        new SharedQuotas(
            db,
            time,
            Quotas.builder(time)
                .withLimits("booking", "ari", List.of(QuotaLimit.parse("10/1m")))
                .build());
    assertThat(guarded.tryTake(hotelA, 10)).isZero();
    for (int i = 0; i < 10; i++) {
      guarded.released(hotelA, time.instant(), false);
    }
    assertThat(guarded.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(61));
    time.advance(Duration.ofSeconds(60));
    assertThat(guarded.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(1));
    assertThat(guarded.tryTake(hotelA, 10)).isZero();
    // the phase holds: the next window again a minute later, capacity per period unchanged
    assertThat(guarded.tryTake(hotelA, 1)).isEqualTo(Duration.ofSeconds(60));
    // a one-second window gets a tenth of a second
    SharedQuotas fast =
        new SharedQuotas(
            db,
            time,
            Quotas.builder(time)
                .withLimits("booking", "read", List.of(QuotaLimit.parse("2/1s")))
                .build());
    QuotaKey read = new QuotaKey("booking", "P1", "read");
    assertThat(fast.tryTake(read, 2)).isZero();
    assertThat(fast.tryTake(read, 1)).isEqualTo(Duration.ofMillis(1_100));
  }
}
