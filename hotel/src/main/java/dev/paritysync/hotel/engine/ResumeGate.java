package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.breaker.StateChange;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.cluster.SharedCircuits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verify before resume: listens to the channels' push circuits; when one closes after it was open
 * at least the configured threshold, the channel is held (its lane neither batches nor claims)
 * while a {@link ResumeCheck} verifies the properties and dates the outage touched, then released —
 * whatever the check's outcome, and at the latest after {@link #MAX_HOLD}.
 *
 * <p>The dates touched are those of the channel's cells pending or in flight (a retrying batch's
 * cells are in flight) just after the circuit opened, and again when it closed: per property the
 * span from the earliest to the latest. Listener calls are quick (they run under the breaker's
 * lock); the database work runs on the scheduler. Thread-safe.
 */
final class ResumeGate implements Consumer<StateChange> {
  /** The longest a channel is held for a verification that does not end. */
  static final Duration MAX_HOLD = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(ResumeGate.class);

  private final Database db;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Ledger ledger;
  private final String endpoint;
  private final Predicate<String> readable;
  private final Map<String, Long> openedAt = new ConcurrentHashMap<>();
  private final Map<String, Map<String, ResumeCheck.DateRange>> touched = new ConcurrentHashMap<>();
  private final Set<String> holding = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Duration afterOpen;
  private volatile @Nullable ResumeCheck check;
  private volatile @Nullable SharedCircuits cluster;

  ResumeGate(
      Database db,
      Clock clock,
      Scheduler scheduler,
      Ledger ledger,
      String endpoint,
      Predicate<String> readable) {
    this.db = db;
    this.clock = clock;
    this.scheduler = scheduler;
    this.ledger = ledger;
    this.endpoint = endpoint;
    this.readable = readable;
  }

  void configure(Duration afterOpen, ResumeCheck check) {
    this.afterOpen = afterOpen;
    this.check = check;
  }

  /**
   * In a cluster: this process's breakers no longer decide (their transitions are ignored); the
   * worker whose probe closes the cluster's circuit calls {@link #clusterClosed}, and the hold is
   * written to {@code circuits} so that every worker holds the channel's pushes.
   */
  void shareWith(SharedCircuits circuits) {
    this.cluster = circuits;
  }

  /**
   * In a cluster: this worker's probe closed the cluster's circuit of {@code channel} after it had
   * been open for {@code open}. Verifies once for the cluster, when the outage was long enough,
   * holding the channel's pushes on every worker meanwhile.
   */
  void clusterClosed(String channel, Duration open) {
    SharedCircuits circuits = cluster;
    if (check == null || circuits == null || open.compareTo(afterOpen) < 0) {
      return;
    }
    holding.add(channel);
    circuits.hold(channel, endpoint, clock.instant().plus(MAX_HOLD));
    scheduler.schedule(Duration.ZERO, () -> verify(channel, open));
  }

  /** Whether {@code channel}'s pushes wait for a verification. */
  boolean holding(String channel) {
    return holding.contains(channel);
  }

  @Override
  public void accept(StateChange change) {
    if (!change.endpoint().equals(endpoint) || check == null || cluster != null) {
      return;
    }
    String channel = change.channel();
    if (change.from() == BreakerState.CLOSED && change.to() == BreakerState.OPEN) {
      openedAt.put(channel, clock.nanoTime());
      touched.remove(channel);
      scheduler.schedule(Duration.ZERO, () -> collect(channel));
    } else if (change.to() == BreakerState.CLOSED) {
      Long at = openedAt.remove(channel);
      if (at == null) {
        return;
      }
      Duration open = Duration.ofNanos(clock.nanoTime() - at);
      if (open.compareTo(afterOpen) < 0) {
        touched.remove(channel);
        return;
      }
      holding.add(channel);
      scheduler.schedule(Duration.ZERO, () -> verify(channel, open));
    }
  }

  private void verify(String channel, Duration open) {
    Map<String, ResumeCheck.DateRange> affected;
    try {
      collect(channel);
      affected = touched.remove(channel);
    } catch (RuntimeException e) {
      release(channel, false, null, "cannot read the affected cells: " + e);
      return;
    }
    if (affected == null || affected.isEmpty()) {
      release(channel, false, null, "no cells were pending or in flight during the outage");
      return;
    }
    if (!readable.test(channel)) {
      release(channel, false, null, "channel cannot be read: no snapshot API");
      return;
    }
    append(
        ledger
            .entry("circuit.verify")
            .withChannel(channel)
            .withAttribute("openSeconds", open.toSeconds())
            .withAttribute("affected", describe(affected))
            .build());
    scheduler.schedule(
        MAX_HOLD, () -> release(channel, false, null, "verification took longer than " + MAX_HOLD));
    CompletableFuture<String> result;
    ResumeCheck check = Objects.requireNonNull(this.check, "check");
    try {
      result = check.verify(channel, Map.copyOf(affected));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (r, failure) -> {
          if (failure == null) {
            release(channel, true, r, null);
          } else {
            Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            release(channel, false, null, String.valueOf(cause.getMessage()));
          }
        });
  }

  private void release(
      String channel, boolean verified, @Nullable String result, @Nullable String reason) {
    if (!holding.remove(channel)) {
      return; // released already (a late result after the time limit)
    }
    SharedCircuits circuits = cluster;
    if (circuits != null) {
      try {
        circuits.unhold(channel, endpoint);
      } catch (RuntimeException e) {
        log.error("could not release the cluster's hold of channel {}", channel, e);
      }
    }
    if (!verified) {
      log.warn("channel {} resumes unverified after a long outage: {}", channel, reason);
    }
    var entry =
        ledger.entry("circuit.resumed").withChannel(channel).withAttribute("verified", verified);
    if (result != null) {
      entry.withAttribute("result", result);
    }
    if (reason != null) {
      entry.withAttribute("reason", reason);
    }
    try {
      append(entry.build());
    } catch (RuntimeException e) {
      log.error("could not ledger the resumption of channel {}", channel, e);
    }
  }

  /** Adds the dates of {@code channel}'s cells pending or in flight now to its touched set. */
  private void collect(String channel) {
    Map<String, ResumeCheck.DateRange> now =
        db.read(
            c -> {
              Map<String, ResumeCheck.DateRange> out = new TreeMap<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT property, MIN(date), MAX(date) FROM ari_outbox WHERE channel = ?"
                          + " AND (pending_version IS NOT NULL OR inflight_version IS NOT NULL)"
                          + " GROUP BY property")) {
                ps.setString(1, channel);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.put(
                        rs.getString(1),
                        new ResumeCheck.DateRange(
                            LocalDate.parse(rs.getString(2)), LocalDate.parse(rs.getString(3))));
                  }
                }
              }
              return out;
            });
    touched.merge(
        channel,
        now,
        (a, b) -> {
          Map<String, ResumeCheck.DateRange> m = new TreeMap<>(a);
          b.forEach((p, r) -> m.merge(p, r, ResumeCheck.DateRange::span));
          return m;
        });
  }

  private static String describe(Map<String, ResumeCheck.DateRange> affected) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(affected)
        .forEach(
            (p, r) ->
                sb.append(sb.isEmpty() ? "" : " ")
                    .append(p)
                    .append(' ')
                    .append(r.from())
                    .append("..")
                    .append(r.to()));
    return sb.toString();
  }

  private void append(dev.paritysync.store.LedgerEntry entry) {
    db.inTransactionRun(
        c -> {
          ledger.append(c, entry);
        });
  }
}
