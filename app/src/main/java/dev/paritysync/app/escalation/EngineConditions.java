package dev.paritysync.app.escalation;

import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportStore;
import dev.paritysync.store.Database;
import dev.paritysync.store.cluster.Cluster;
import dev.paritysync.store.cluster.SharedCircuits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The three conditions of {@link EscalationConfig}, read from the engine's database:
 *
 * <ul>
 *   <li>reconciliation drift: per channel, the drifted cells of the groups of reports held for
 *       review (their drift was over the auto-correct thresholds), since the oldest such report;
 *   <li>circuit open: in a shared cluster the cluster's circuits ({@code opened_at}); one process
 *       alone has its circuits in memory, so the first evaluation that sees a channel's circuit not
 *       closed dates its opening (within one period; a restart closes them anyway);
 *   <li>dead letters: per channel, open dead letters, since the oldest.
 * </ul>
 *
 * Not thread-safe: the evaluator calls it from one run at a time.
 */
final class EngineConditions implements Conditions {
  private static final String DEAD_LETTERS =
      "SELECT channel, COUNT(*), MIN(created_at) FROM queue_items"
          + " WHERE queue = 'dead_letter' AND state = 'open' GROUP BY channel";

  private final EscalationConfig cfg;
  private final Database db;
  private final OpenCircuits circuits;
  private final ReportStore reports;

  EngineConditions(EscalationConfig cfg, Database db, OpenCircuits circuits) {
    this.cfg = cfg;
    this.db = db;
    this.circuits = circuits;
    this.reports = new ReportStore(db);
  }

  /** When each channel whose circuit is not closed opened. */
  @FunctionalInterface
  interface OpenCircuits {
    /** Per channel whose circuit is open or half-open at {@code now}, when it opened. */
    Map<String, Instant> openedAt(Instant now);
  }

  /**
   * The circuits of {@code engine}: the cluster's when {@code cluster} is shared, else the engine's
   * own, dated by the first evaluation that sees each open.
   */
  static OpenCircuits circuitsOf(HotelEngine engine, @Nullable Cluster cluster) {
    if (cluster != null && cluster.shared()) {
      return shared(cluster.circuits());
    }
    Map<String, Instant> seenOpen = new HashMap<>();
    return now -> {
      Map<String, HotelEngine.ChannelStatus> status = engine.status();
      seenOpen.keySet().retainAll(status.keySet());
      Map<String, Instant> open = new TreeMap<>();
      status.forEach(
          (channel, s) -> {
            if (s.circuit() == BreakerState.CLOSED) {
              seenOpen.remove(channel);
            } else {
              open.put(channel, seenOpen.computeIfAbsent(channel, c -> now));
            }
          });
      return open;
    };
  }

  /** The circuits of a cluster: per channel, the earliest {@code opened_at} of an open one. */
  static OpenCircuits shared(SharedCircuits circuits) {
    return now -> {
      Map<String, Instant> open = new TreeMap<>();
      for (SharedCircuits.Circuit c : circuits.all()) {
        if (c.state() != SharedCircuits.State.CLOSED && c.openedAt() != null) {
          open.merge(c.channel(), c.openedAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
      }
      return open;
    };
  }

  @Override
  public List<Observation> observe(Instant now) {
    List<Observation> out = new ArrayList<>();
    Integer driftCells = cfg.driftCells();
    if (driftCells != null) {
      drift(driftCells, out);
    }
    Duration circuitOpenFor = cfg.circuitOpenFor();
    if (circuitOpenFor != null) {
      circuits(now, circuitOpenFor, out);
    }
    Integer deadLetters = cfg.deadLetters();
    if (deadLetters != null) {
      deadLetters(deadLetters, out);
    }
    return out;
  }

  private void drift(int threshold, List<Observation> out) {
    Map<String, Long> cells = new TreeMap<>();
    Map<String, Instant> since = new HashMap<>();
    for (String id : reports.awaitingReview()) {
      ReconciliationReport report = reports.find(id).orElse(null);
      if (report == null) {
        continue; // approved between the two reads
      }
      for (ReconciliationReport.Group g : report.groups()) {
        if (g.status() == ReconciliationReport.Status.REVIEW) {
          cells.merge(g.channel(), (long) g.drifted(), Long::sum);
          since.merge(g.channel(), report.createdAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
      }
    }
    cells.forEach(
        (channel, n) -> {
          Instant from = since.get(channel);
          if (n >= threshold && from != null) {
            out.add(new Observation(Observation.DRIFT, channel, n, threshold, from));
          }
        });
  }

  private void circuits(Instant now, Duration limit, List<Observation> out) {
    Map<String, Instant> openedAt = circuits.openedAt(now);
    openedAt.forEach(
        (channel, at) -> {
          Duration open = Duration.between(at, now);
          if (open.compareTo(limit) >= 0) {
            out.add(
                new Observation(
                    Observation.CIRCUIT_OPEN, channel, open.toSeconds(), limit.toSeconds(), at));
          }
        });
  }

  private void deadLetters(int threshold, List<Observation> out) {
    out.addAll(
        db.read(
            c -> {
              List<Observation> rows = new ArrayList<>();
              try (PreparedStatement ps = c.prepareStatement(DEAD_LETTERS);
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  long n = rs.getLong(2);
                  if (n >= threshold) {
                    rows.add(
                        new Observation(
                            Observation.DEAD_LETTERS,
                            rs.getString(1),
                            n,
                            threshold,
                            Instant.ofEpochMilli(rs.getLong(3))));
                  }
                }
              }
              return rows;
            }));
  }
}
