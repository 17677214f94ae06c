package dev.paritysync.app.admin;

import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The channels at a glance: circuit state, quota state, queue depths, last success and parity, for
 * the admin API's {@code /admin/v1/channels}. Counts come from the database; circuit, quota and
 * requests from this process's engine. Thread-safe.
 */
public final class ChannelAdmin {
  private final HotelEngine engine;
  private final Database db;

  /** Views of {@code engine}'s channels; {@code db} is the engine's database. */
  public ChannelAdmin(HotelEngine engine, Database db) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * One channel's state.
   *
   * @param name the channel
   * @param circuit {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}, in this process
   * @param quotas the configured windows per endpoint and the tokens left on keys in use
   * @param queues cells and items waiting, by kind
   * @param lastSuccess when the channel last acknowledged a batch (ISO-8601), or null when never
   * @param parity cells at parity over mapped cells
   * @param requests requests sent by this process
   */
  public record ChannelView(
      String name,
      String circuit,
      List<QuotaView> quotas,
      QueueDepths queues,
      @Nullable String lastSuccess,
      Parity parity,
      long requests) {}

  /**
   * One endpoint's quota.
   *
   * @param endpoint the endpoint kind ({@code ari}, {@code read}, {@code *} for any other)
   * @param limits the windows, such as {@code 10/1s}, all applying at once per property
   * @param keys the keys in use (one per property) with the tokens they have now
   */
  public record QuotaView(String endpoint, List<String> limits, List<KeyView> keys) {}

  /**
   * One quota key in use.
   *
   * @param property the property
   * @param available the tokens it could take now (the fewest over its windows); -1 when unlimited
   * @param capacity the smallest window's capacity; -1 when unlimited
   * @param pausedUntil when the channel's pause (429, Retry-After) ends, or null
   * @param windows each window's tokens used and left now, in configured order
   */
  public record KeyView(
      String property,
      long available,
      long capacity,
      @Nullable String pausedUntil,
      List<WindowView> windows) {}

  /**
   * One window of a quota key, as read now.
   *
   * @param limit the window as configured, such as {@code 10/1s}
   * @param used tokens taken in the window so far (its capacity less {@code left})
   * @param left tokens it could still take before it refills
   */
  public record WindowView(String limit, long used, long left) {}

  /**
   * Queue depths.
   *
   * @param pendingCells cells waiting to be batched
   * @param inFlightCells cells in a batch not yet ended
   * @param retryingBatches batches waiting for their next attempt
   * @param deadLetters open dead letters
   * @param reconciliation open reconciliation items
   */
  public record QueueDepths(
      long pendingCells,
      long inFlightCells,
      long retryingBatches,
      long deadLetters,
      long reconciliation) {}

  /**
   * Parity.
   *
   * @param cellsAtParity cells whose newest version the channel acknowledged
   * @param mappedCells cells the channel's mapping maps (its outbox's cells)
   * @param percent {@code cellsAtParity} in % of {@code mappedCells}, two decimals; 100 when none
   */
  public record Parity(long cellsAtParity, long mappedCells, double percent) {}

  /** The engine's database, which these views read: for the web UI's numbers over time. */
  public Database database() {
    return db;
  }

  /** The parity heat map of these channels, today read from {@code clock}. */
  public ParityMap parityMap(dev.paritysync.core.time.Clock clock) {
    return new ParityMap(engine, db, clock);
  }

  /** Every channel, in configuration order. */
  public List<ChannelView> all() {
    Map<String, HotelEngine.ChannelStatus> status = engine.status();
    List<ChannelView> out = new ArrayList<>();
    for (HotelEngine.ChannelStatus s : status.values()) {
      out.add(view(s));
    }
    return out;
  }

  /**
   * The channel named {@code name}.
   *
   * @throws AdminException (not found) when no channel has that name
   */
  public ChannelView channel(String name) {
    HotelEngine.ChannelStatus s = engine.status().get(name);
    if (s == null) {
      throw AdminException.notFound("no channel " + name + "; channels: " + engine.channels());
    }
    return view(s);
  }

  private ChannelView view(HotelEngine.ChannelStatus s) {
    String ch = s.channel();
    long mapped = db.read(c -> count(c, "SELECT COUNT(*) FROM ari_outbox WHERE channel = ?", ch));
    Optional<Long> last =
        db.read(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT MAX(at) FROM ledger WHERE channel = ?"
                          + " AND kind IN ('batch.acknowledged', 'batch.part_acknowledged')")) {
                ps.setString(1, ch);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  long at = rs.getLong(1);
                  return rs.wasNull() ? Optional.<Long>empty() : Optional.of(at);
                }
              }
            });
    double percent =
        mapped == 0 ? 100.0 : Math.round(s.cellsAtParity() * 10_000.0 / mapped) / 100.0;
    return new ChannelView(
        ch,
        s.circuit().name(),
        quotas(ch),
        new QueueDepths(
            s.pendingCells(),
            s.inFlightCells(),
            s.retryingBatches(),
            s.deadLetters(),
            s.reconciliation()),
        last.map(at -> Instant.ofEpochMilli(at).toString()).orElse(null),
        new Parity(s.cellsAtParity(), mapped, percent),
        s.requests());
  }

  private List<QuotaView> quotas(String channel) {
    QuotaGate quotas = engine.quotas();
    List<Quotas.KeyState> used = quotas.used(channel);
    List<QuotaView> out = new ArrayList<>();
    Map<String, List<QuotaLimit>> configured = quotas.configured(channel);
    configured.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              List<KeyView> keys = new ArrayList<>();
              for (Quotas.KeyState k : used) {
                String endpoint = k.key().endpoint();
                boolean mine =
                    endpoint.equals(e.getKey())
                        || (e.getKey().equals("*") && !configured.containsKey(endpoint));
                if (mine) {
                  keys.add(
                      new KeyView(
                          k.key().scope(),
                          k.available(),
                          k.limits().stream().mapToLong(QuotaLimit::capacity).min().orElse(-1),
                          k.pausedUntil() == null ? null : k.pausedUntil().toString(),
                          windows(k)));
                }
              }
              out.add(
                  new QuotaView(
                      e.getKey(), e.getValue().stream().map(ChannelAdmin::window).toList(), keys));
            });
    return out;
  }

  private static List<WindowView> windows(Quotas.KeyState k) {
    List<WindowView> out = new ArrayList<>(k.limits().size());
    for (int i = 0; i < k.limits().size(); i++) {
      QuotaLimit l = k.limits().get(i);
      long left = k.left().get(i);
      out.add(new WindowView(window(l), l.capacity() - left, left));
    }
    return out;
  }

  /** {@code 10/1s}, {@code 36500/72h}: the form the configuration takes. */
  static String window(QuotaLimit l) {
    Duration p = l.period();
    String period;
    if (p.toMillis() % 86_400_000 == 0) {
      period = p.toDays() + "d";
    } else if (p.toMillis() % 3_600_000 == 0) {
      period = p.toHours() + "h";
    } else if (p.toMillis() % 60_000 == 0) {
      period = p.toMinutes() + "m";
    } else if (p.toMillis() % 1000 == 0) {
      period = p.toSeconds() + "s";
    } else {
      period = p.toMillis() + "ms";
    }
    return l.capacity() + "/" + period;
  }

  private static long count(Connection c, String sql, String channel) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, channel);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
