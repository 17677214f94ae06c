package dev.paritysync.store.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The circuit of each (channel, endpoint) as the whole cluster sees it, in table {@code
 * cluster_circuits}: once any worker's breaker opens, the circuit is open for every worker until
 * {@code open_until}; then one worker at a time holds the probe ({@link #tryProbe}), and the
 * probe's success closes it for all ({@link #close}, whose opened-at instant exactly one caller per
 * open period receives). Independently, {@link #hold} stops a channel's pushes on every worker
 * until an instant (verify before resume).
 *
 * <p>Every change runs in one transaction that locks the row ({@code SELECT ... FOR UPDATE} on
 * PostgreSQL, after {@code INSERT ... ON CONFLICT DO NOTHING} where the row may be missing;
 * SQLite's write transaction already serialises) and records this worker in {@code updated_by}.
 * Instants are the injected clock's wall time in whole milliseconds (deadlines rounded up). A
 * missing row is a closed circuit that is not held.
 *
 * <p>Thread-safe; each call is one short transaction or read.
 */
public final class SharedCircuits {
  private static final String COLUMNS =
      "channel, endpoint, state, opened_at, open_until, probe_owner, probe_until, held_until";

  private final Database db;
  private final Clock clock;
  private final String workerId;

  /** The circuits as worker {@code workerId} changes them (its id goes into {@code updated_by}). */
  public SharedCircuits(Database db, Clock clock, String workerId) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.workerId = Objects.requireNonNull(workerId, "workerId");
  }

  /**
   * The circuit of (channel, endpoint) now: {@link State#CLOSED} with null instants and owner when
   * it has no row.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public Circuit view(String channel, String endpoint) {
    requireKey(channel, endpoint);
    return db.read(c -> Optional.ofNullable(select(c, channel, endpoint, "")))
        .orElseGet(
            () -> new Circuit(channel, endpoint, State.CLOSED, null, null, null, null, null));
  }

  /**
   * A worker's breaker opened: the circuit becomes open for every worker. {@code opened_at} is kept
   * when the circuit was already open or half-open (one open period), else set to now; {@code
   * open_until} becomes the later of the current one (when not closed) and {@code until}; the probe
   * is cleared.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public void open(String channel, String endpoint, Instant until) {
    requireKey(channel, endpoint);
    long untilMillis = RowLocks.ceilMillis(Objects.requireNonNull(until, "until"));
    db.inTransactionRun(
        c -> {
          long now = clock.millis();
          insertClosedIfMissing(c, channel, endpoint, now);
          Circuit current =
              Objects.requireNonNull(
                  select(c, channel, endpoint, RowLocks.forUpdate(db)), "the row inserted above");
          boolean wasOpen = current.state() != State.CLOSED;
          long openedAt =
              wasOpen && current.openedAt() != null ? current.openedAt().toEpochMilli() : now;
          long openUntil =
              wasOpen && current.openUntil() != null
                  ? Math.max(current.openUntil().toEpochMilli(), untilMillis)
                  : untilMillis;
          update(c, channel, endpoint, State.OPEN, openedAt, openUntil, null, null, now);
        });
  }

  /**
   * Whether this worker may send the one probe now. An open circuit whose {@code open_until} has
   * come becomes half-open with this worker as probe owner until now + {@code lease}; a half-open
   * circuit is (re)taken when this worker already owns the probe or the owner's lease has run out.
   * Otherwise false: closed, still open, or another worker's probe is under way.
   *
   * @throws IllegalArgumentException when {@code lease} is not positive
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public boolean tryProbe(String channel, String endpoint, Duration lease) {
    requireKey(channel, endpoint);
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException(
          "probe lease for channel '"
              + channel
              + "' endpoint '"
              + endpoint
              + "' must be positive, was "
              + lease);
    }
    return db.inTransaction(
        c -> {
          Circuit current = select(c, channel, endpoint, RowLocks.forUpdate(db));
          if (current == null) {
            return false;
          }
          long now = clock.millis();
          boolean mayProbe =
              switch (current.state()) {
                case CLOSED -> false;
                case OPEN ->
                    current.openUntil() == null || now >= current.openUntil().toEpochMilli();
                case HALF_OPEN ->
                    workerId.equals(current.probeOwner())
                        || current.probeUntil() == null
                        || current.probeUntil().toEpochMilli() <= now;
              };
          if (!mayProbe) {
            return false;
          }
          update(
              c,
              channel,
              endpoint,
              State.HALF_OPEN,
              millisOrNull(current.openedAt()),
              millisOrNull(current.openUntil()),
              workerId,
              RowLocks.ceilMillis(Instant.ofEpochMilli(now).plus(lease)),
              now);
          return true;
        });
  }

  /**
   * The probe succeeded: closes the circuit for every worker if it is not closed, and returns the
   * instant it opened. Empty when it is already closed (or has no row), so exactly one caller per
   * open period gets the instant. The hold, if any, stays.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public Optional<Instant> close(String channel, String endpoint) {
    requireKey(channel, endpoint);
    return db.inTransaction(
        c -> {
          Circuit current = select(c, channel, endpoint, RowLocks.forUpdate(db));
          if (current == null || current.state() == State.CLOSED) {
            return Optional.empty();
          }
          long now = clock.millis();
          update(c, channel, endpoint, State.CLOSED, null, null, null, null, now);
          return Optional.of(
              current.openedAt() != null ? current.openedAt() : Instant.ofEpochMilli(now));
        });
  }

  /**
   * Holds the channel's pushes on every worker until {@code until} (replacing any earlier hold); a
   * missing row is created closed.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public void hold(String channel, String endpoint, Instant until) {
    requireKey(channel, endpoint);
    long untilMillis = RowLocks.ceilMillis(Objects.requireNonNull(until, "until"));
    db.inTransactionRun(
        c -> {
          long now = clock.millis();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO cluster_circuits"
                      + " (channel, endpoint, state, held_until, updated_at, updated_by)"
                      + " VALUES (?, ?, 'closed', ?, ?, ?) ON CONFLICT (channel, endpoint)"
                      + " DO UPDATE SET held_until = excluded.held_until,"
                      + " updated_at = excluded.updated_at, updated_by = excluded.updated_by")) {
            ps.setString(1, channel);
            ps.setString(2, endpoint);
            ps.setLong(3, untilMillis);
            ps.setLong(4, now);
            ps.setString(5, workerId);
            ps.executeUpdate();
          }
        });
  }

  /**
   * Ends the hold of (channel, endpoint), if any.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public void unhold(String channel, String endpoint) {
    requireKey(channel, endpoint);
    db.inTransactionRun(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE cluster_circuits SET held_until = NULL, updated_at = ?, updated_by = ?"
                      + " WHERE channel = ? AND endpoint = ? AND held_until IS NOT NULL")) {
            ps.setLong(1, clock.millis());
            ps.setString(2, workerId);
            ps.setString(3, channel);
            ps.setString(4, endpoint);
            ps.executeUpdate();
          }
        });
  }

  /**
   * Every circuit that has a row, by channel then endpoint.
   *
   * @throws dev.paritysync.store.StoreException when the database fails
   */
  public List<Circuit> all() {
    List<Circuit> out =
        db.read(
            c -> {
              List<Circuit> circuits = new ArrayList<>();
              try (PreparedStatement ps =
                      c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_circuits");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  circuits.add(circuit(rs));
                }
              }
              return circuits;
            });
    out.sort(Comparator.comparing(Circuit::channel).thenComparing(Circuit::endpoint));
    return out;
  }

  /**
   * The state of a circuit; stored lower-case ({@code closed}, {@code open}, {@code half_open}).
   */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One circuit as read. Immutable.
   *
   * @param channel the channel
   * @param endpoint the endpoint kind
   * @param state its state
   * @param openedAt when the current open period began; null when closed
   * @param openUntil when a probe may first be sent; null when closed
   * @param probeOwner the worker holding the probe; null unless half-open
   * @param probeUntil when that worker's probe lease ends; null unless half-open
   * @param heldUntil until when pushes are held; null when not held
   */
  public record Circuit(
      String channel,
      String endpoint,
      State state,
      @Nullable Instant openedAt,
      @Nullable Instant openUntil,
      @Nullable String probeOwner,
      @Nullable Instant probeUntil,
      @Nullable Instant heldUntil) {
    public Circuit {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(state, "state");
    }

    /** Whether the channel's pushes are held at {@code now}. */
    public boolean held(Instant now) {
      return heldUntil != null && now.isBefore(heldUntil);
    }
  }

  private void insertClosedIfMissing(Connection c, String channel, String endpoint, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO cluster_circuits (channel, endpoint, state, updated_at, updated_by)"
                + " VALUES (?, ?, 'closed', ?, ?) ON CONFLICT (channel, endpoint) DO NOTHING")) {
      ps.setString(1, channel);
      ps.setString(2, endpoint);
      ps.setLong(3, now);
      ps.setString(4, workerId);
      ps.executeUpdate();
    }
  }

  private void update(
      Connection c,
      String channel,
      String endpoint,
      State state,
      @Nullable Long openedAt,
      @Nullable Long openUntil,
      @Nullable String probeOwner,
      @Nullable Long probeUntil,
      long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE cluster_circuits SET state = ?, opened_at = ?, open_until = ?,"
                + " probe_owner = ?, probe_until = ?, updated_at = ?, updated_by = ?"
                + " WHERE channel = ? AND endpoint = ?")) {
      ps.setString(1, state.column());
      setNullableLong(ps, 2, openedAt);
      setNullableLong(ps, 3, openUntil);
      ps.setString(4, probeOwner);
      setNullableLong(ps, 5, probeUntil);
      ps.setLong(6, now);
      ps.setString(7, workerId);
      ps.setString(8, channel);
      ps.setString(9, endpoint);
      ps.executeUpdate();
    }
  }

  private static @Nullable Circuit select(
      Connection c, String channel, String endpoint, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM cluster_circuits WHERE channel = ? AND endpoint = ?"
                + lock)) {
      ps.setString(1, channel);
      ps.setString(2, endpoint);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? circuit(rs) : null;
      }
    }
  }

  private static Circuit circuit(ResultSet rs) throws SQLException {
    String channel = rs.getString("channel");
    String endpoint = rs.getString("endpoint");
    String state = rs.getString("state");
    State parsed =
        switch (state) {
          case "closed" -> State.CLOSED;
          case "open" -> State.OPEN;
          case "half_open" -> State.HALF_OPEN;
          default ->
              throw new IllegalStateException(
                  "cluster_circuits row for channel '"
                      + channel
                      + "' endpoint '"
                      + endpoint
                      + "' has unknown state '"
                      + state
                      + "'");
        };
    return new Circuit(
        channel,
        endpoint,
        parsed,
        RowLocks.nullableInstant(rs, "opened_at"),
        RowLocks.nullableInstant(rs, "open_until"),
        rs.getString("probe_owner"),
        RowLocks.nullableInstant(rs, "probe_until"),
        RowLocks.nullableInstant(rs, "held_until"));
  }

  private static void setNullableLong(PreparedStatement ps, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static @Nullable Long millisOrNull(@Nullable Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static void requireKey(String channel, String endpoint) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
