package dev.paritysync.store.cluster;

import dev.paritysync.core.quota.QuotaFlights;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.QuotaWindows;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@link QuotaGate} of a cluster: the same buckets and pauses as {@link Quotas}, kept in table
 * {@code cluster_quotas} so that every process sharing the database takes from one bucket per
 * {@link QuotaKey} and honours the same pauses.
 *
 * <p><b>Semantics</b> equal those of {@link Quotas}: every window refills <em>intervally</em> (all
 * its capacity comes back at once, one period after the window started and every period after
 * that); a key's windows start full when its row is created; a take takes from every window or from
 * none and, when refused, returns the longest wait; a pause refuses the whole key, and a later
 * pause extends an earlier one but never shortens it. Windows are counted in the wall-clock
 * milliseconds of the injected clock's {@link Clock#instant()} (not its monotonic time as in {@link
 * Quotas}), since processes share no monotonic origin; if wall time steps back, a window restarts
 * at the earlier instant with the tokens it has, so a step back never grants tokens.
 *
 * <p><b>One difference:</b> our windows follow the channel's phase. A channel counts its window
 * from the arrival of the first request, somewhere between our take and its answer; a new window
 * starts provisionally a tenth of its period (at most a second) after the take that opens it, and
 * the first answer to a request of the key ({@link #released}) moves the start to that answer if it
 * is later. So our refill never precedes the channel's, whatever the first request's transit was,
 * and a request sent the instant our window refills cannot meet the channel's spent window — which
 * matters when the answer that said {@code Remaining: 0} was lost or came late. The phase shifts
 * once per window's life; the capacity per period does not.
 *
 * <p><b>Requests in flight count twice.</b> A request taken late in our window may arrive in the
 * channel's next one. Every take is therefore matched by a {@link #released release} when the
 * request ends, and a window refills with its capacity less the requests open at its boundary or
 * ended within the window's phase before it ({@link QuotaFlights}); across the cluster the
 * channel's window then receives at most its capacity. A take never released (its process died) is
 * dropped after {@code maxInFlight} (by default {@link #MAX_IN_FLIGHT}).
 *
 * <p><b>Storage.</b> One row per key (channel, scope, endpoint); column {@code windows} holds the
 * windows ({@link QuotaWindows}), in configured order, so {@link #used} needs no configuration;
 * column {@code flights} the requests in flight ({@link QuotaFlights}). A take inserts the row if
 * missing ({@code INSERT ... ON CONFLICT DO NOTHING}), then locks it ({@code SELECT ... FOR UPDATE}
 * on PostgreSQL; SQLite's write transaction already serialises) and updates it in the same
 * transaction: across the cluster at most a window's capacity is taken within one window. When the
 * configured windows change, windows still configured keep their state and new ones start full.
 * Keys without configured limits have a row only once paused.
 *
 * <p>Thread-safe; each call is one short transaction or read.
 */
public final class SharedQuotas implements QuotaGate {
  private final Database db;
  private final Clock clock;
  private final Quotas limits;
  private final long maxGuardMillis;
  private final long maxInFlightMillis;

  /**
   * How long a take with no release counts as in flight, by default: twice the transport's default
   * request timeout, so a request that can still be on the wire is never forgotten.
   */
  public static final Duration MAX_IN_FLIGHT = Duration.ofSeconds(60);

  // Keys whose row this process last saw with an unanchored window: only their answers need a
  // write, so an anchored key's answers cost nothing. Another process's answer may anchor one
  // first; then this process's write finds nothing to change.
  private final Set<QuotaKey> unanchored = ConcurrentHashMap.newKeySet();

  /**
   * A gate over {@code db}'s {@code cluster_quotas}.
   *
   * @param limits the local {@link Quotas} built from configuration; only its {@link
   *     Quotas#limitsFor} and {@link Quotas#configured} are used (an empty one serves readers such
   *     as the CLI, since {@link #used} reads the rows alone)
   */
  public SharedQuotas(Database db, Clock clock, Quotas limits) {
    this(db, clock, limits, QuotaWindows.MAX_GUARD_MILLIS, MAX_IN_FLIGHT);
  }

  /**
   * As {@link #SharedQuotas(Database, Clock, Quotas)}, a new window starting at most {@code
   * maxGuardMillis} after the take that opened it (0: at that take, exactly as the local {@link
   * Quotas}; tests compare the two that way).
   */
  SharedQuotas(Database db, Clock clock, Quotas limits, long maxGuardMillis) {
    this(db, clock, limits, maxGuardMillis, MAX_IN_FLIGHT);
  }

  /**
   * As {@link #SharedQuotas(Database, Clock, Quotas, long)}, a take never released counting as in
   * flight for {@code maxInFlight}.
   */
  SharedQuotas(Database db, Clock clock, Quotas limits, long maxGuardMillis, Duration maxInFlight) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.maxGuardMillis = maxGuardMillis;
    this.maxInFlightMillis = maxInFlight.toMillis();
  }

  /**
   * Takes {@code tokens} if every window allows it and the key is not paused, and returns {@link
   * Duration#ZERO}. Otherwise takes nothing and returns how long until it could: the longest of the
   * windows' refill waits and the pause. Keys with no configured limits always allow, except while
   * paused (then only a read, no write).
   *
   * @throws IllegalArgumentException when {@code tokens} is below 1 or exceeds a window's capacity
   *     (it could never be taken), naming the key and the window
   * @throws IllegalStateException when the key's row holds malformed windows, naming the key
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  @Override
  public Duration tryTake(QuotaKey key, long tokens) {
    Objects.requireNonNull(key, "key");
    if (tokens < 1) {
      throw new IllegalArgumentException("tokens must be at least 1, was " + tokens);
    }
    List<QuotaLimit> configured = limits.limitsFor(key);
    for (QuotaLimit l : configured) {
      if (tokens > l.capacity()) {
        throw new IllegalArgumentException(
            tokens + " tokens exceed the capacity of window " + l + " for " + key);
      }
    }
    if (configured.isEmpty()) {
      return pauseRemaining(key);
    }
    return db.inTransaction(
        c -> {
          long created = clock.millis();
          insertIfMissing(
              c, key, QuotaWindows.full(configured, created, maxGuardMillis).encode(), created);
          Row row =
              Objects.requireNonNull(
                  select(c, key, RowLocks.forUpdate(db)), "the row inserted above");
          // The time once the row is ours: read before a wait for another worker's lock, it could
          // be older than the window start that worker wrote — and look like a clock stepped back,
          // which restarts the window earlier than the channel's.
          long now = clock.millis();
          QuotaFlights flights = QuotaFlights.decode(row.flights, where(key));
          QuotaWindows windows =
              QuotaWindows.decode(row.windows, where(key))
                  .reconcile(configured, now, maxGuardMillis);
          windows.refill(now, maxGuardMillis, maxInFlightMillis, flights);
          long wait = Math.max(remaining(row.pausedUntil, now), windows.waitFor(tokens, now));
          if (wait > 0) {
            return Duration.ofMillis(wait);
          }
          windows.take(tokens, now, flights);
          if (!windows.anchored()) {
            unanchored.add(key);
          }
          update(c, key, windows, flights, now);
          return Duration.ZERO;
        });
  }

  /**
   * A request of {@code key} that took a token here ended at {@code at}: it leaves the key's
   * flights (see the class comment), and when {@code answered}, the key's windows not yet anchored
   * start no sooner than {@code at}, for every process. One short write for a key with configured
   * limits; nothing for one without.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  @Override
  public void released(QuotaKey key, Instant at, boolean answered) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    if (limits.limitsFor(key).isEmpty()) {
      return;
    }
    long end = at.toEpochMilli();
    boolean anchoring = answered && unanchored.remove(key);
    try {
      db.inTransactionRun(
          c -> {
            Row row = select(c, key, RowLocks.forUpdate(db));
            if (row != null) {
              QuotaWindows windows = QuotaWindows.decode(row.windows, where(key));
              QuotaFlights flights = QuotaFlights.decode(row.flights, where(key));
              if (windows.release(end, anchoring, flights)) {
                update(c, key, windows, flights, clock.millis());
              }
            }
          });
    } catch (RuntimeException e) {
      if (anchoring) {
        unanchored.add(key); // the next answer tries again
      }
      throw e;
    }
  }

  /**
   * Pauses the whole key until {@code until}, in the wall time of the injected clock, for every
   * process of the cluster. A later pause extends the current one; an earlier one never shortens
   * it. Stored in whole milliseconds, rounded up.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  @Override
  public void pauseUntil(QuotaKey key, Instant until) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(until, "until");
    long untilMillis = RowLocks.ceilMillis(until);
    List<QuotaLimit> configured = limits.limitsFor(key);
    db.inTransactionRun(
        c -> {
          long now = clock.millis();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO cluster_quotas"
                      + " (channel, scope, endpoint, windows, paused_until, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (channel, scope, endpoint) DO UPDATE SET"
                      + " paused_until = CASE WHEN cluster_quotas.paused_until IS NULL"
                      + " OR cluster_quotas.paused_until < excluded.paused_until"
                      + " THEN excluded.paused_until ELSE cluster_quotas.paused_until END,"
                      + " updated_at = excluded.updated_at")) {
            bindKey(ps, 1, key);
            ps.setString(4, QuotaWindows.full(configured, now, maxGuardMillis).encode());
            ps.setLong(5, untilMillis);
            ps.setLong(6, now);
            ps.executeUpdate();
          }
        });
  }

  /**
   * The instant the key's pause ends, when it is paused now.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  @Override
  public Optional<Instant> pausedUntil(QuotaKey key) {
    Objects.requireNonNull(key, "key");
    long now = clock.millis();
    Long until =
        db.read(c -> Optional.ofNullable(select(c, key, ""))).map(Row::pausedUntil).orElse(null);
    return until == null || remaining(until, now) == 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(until));
  }

  /**
   * How long the key stays paused; {@link Duration#ZERO} when it is not.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  @Override
  public Duration pauseRemaining(QuotaKey key) {
    Objects.requireNonNull(key, "key");
    long now = clock.millis();
    Optional<Row> row = db.read(c -> Optional.ofNullable(select(c, key, "")));
    return row.isEmpty() ? Duration.ZERO : Duration.ofMillis(remaining(row.get().pausedUntil, now));
  }

  /**
   * The windows configured for {@code channel} in the local {@link Quotas}, by endpoint ({@code
   * "*"}: any endpoint without its own); empty when the channel is unlimited. Read-only.
   */
  @Override
  public Map<String, List<QuotaLimit>> configured(String channel) {
    return limits.configured(channel);
  }

  /**
   * The keys of {@code channel} that have a row (taken from by any process, or paused), each with
   * the tokens it has now and its pause, sorted by endpoint then scope. Reads only; takes no token;
   * needs no configuration (capacity and period are in the rows).
   *
   * @throws IllegalStateException when a row holds malformed windows, naming its key
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  @Override
  public List<Quotas.KeyState> used(String channel) {
    Objects.requireNonNull(channel, "channel");
    return states(" WHERE channel = ?", channel);
  }

  /**
   * Like {@link #used(String)}, for every channel: sorted by channel, endpoint, then scope.
   *
   * @throws IllegalStateException when a row holds malformed windows, naming its key
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public List<Quotas.KeyState> usedAll() {
    return states("", null);
  }

  /** The windows that apply to {@code key} in the local {@link Quotas}; empty when unlimited. */
  @Override
  public List<QuotaLimit> limitsFor(QuotaKey key) {
    return limits.limitsFor(key);
  }

  private List<Quotas.KeyState> states(String where, @Nullable String channel) {
    long now = clock.millis();
    List<Quotas.KeyState> out =
        db.read(
            c -> {
              List<Quotas.KeyState> states = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT channel, scope, endpoint, windows, flights, paused_until FROM cluster_quotas"
                          + where)) {
                if (channel != null) {
                  ps.setString(1, channel);
                }
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    QuotaKey key =
                        new QuotaKey(
                            rs.getString("channel"),
                            rs.getString("scope"),
                            rs.getString("endpoint"));
                    Long paused = RowLocks.nullableLong(rs, "paused_until");
                    QuotaWindows windows = QuotaWindows.decode(rs.getString("windows"), where(key));
                    QuotaFlights flights = QuotaFlights.decode(rs.getString("flights"), where(key));
                    windows.refill(now, maxGuardMillis, maxInFlightMillis, flights);
                    states.add(
                        new Quotas.KeyState(
                            key,
                            windows.limits(where(key)),
                            windows.available(),
                            windows.left(),
                            paused == null || remaining(paused, now) == 0
                                ? null
                                : Instant.ofEpochMilli(paused)));
                  }
                }
              }
              return states;
            });
    out.sort(
        Comparator.comparing((Quotas.KeyState k) -> k.key().channel())
            .thenComparing(k -> k.key().endpoint())
            .thenComparing(k -> k.key().scope()));
    return out;
  }

  private static void insertIfMissing(Connection c, QuotaKey key, String windows, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO cluster_quotas (channel, scope, endpoint, windows, paused_until,"
                + " updated_at) VALUES (?, ?, ?, ?, NULL, ?)"
                + " ON CONFLICT (channel, scope, endpoint) DO NOTHING")) {
      bindKey(ps, 1, key);
      ps.setString(4, windows);
      ps.setLong(5, now);
      ps.executeUpdate();
    }
  }

  private static void update(
      Connection c, QuotaKey key, QuotaWindows windows, QuotaFlights flights, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE cluster_quotas SET windows = ?, flights = ?, updated_at = ?"
                + " WHERE channel = ? AND scope = ? AND endpoint = ?")) {
      ps.setString(1, windows.encode());
      ps.setString(2, flights.encode());
      ps.setLong(3, now);
      bindKey(ps, 4, key);
      ps.executeUpdate();
    }
  }

  private static @Nullable Row select(Connection c, QuotaKey key, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT windows, flights, paused_until FROM cluster_quotas"
                + " WHERE channel = ? AND scope = ? AND endpoint = ?"
                + lock)) {
      bindKey(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new Row(
                rs.getString("windows"),
                rs.getString("flights"),
                RowLocks.nullableLong(rs, "paused_until"))
            : null;
      }
    }
  }

  private static String where(QuotaKey key) {
    return "cluster_quotas row for " + key;
  }

  private static void bindKey(PreparedStatement ps, int first, QuotaKey key) throws SQLException {
    ps.setString(first, key.channel());
    ps.setString(first + 1, key.scope());
    ps.setString(first + 2, key.endpoint());
  }

  /** Milliseconds from {@code now} until {@code until}; 0 when null or past. */
  private static long remaining(@Nullable Long until, long now) {
    return until == null || until <= now ? 0 : Math.subtractExact(until, now);
  }

  private record Row(String windows, String flights, @Nullable Long pausedUntil) {}
}
