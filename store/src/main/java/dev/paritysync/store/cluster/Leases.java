package dev.paritysync.store.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Named leases in table {@code cluster_leases}: a singleton (a channel's poller, the reconciliation
 * timetable, pruning) runs on the worker that holds its lease, renews it while it lives, and
 * another worker takes it once it expires. A lease is expired when its {@code expiresAt} is not
 * after now.
 *
 * <p>Taking a lease is atomic across processes: an {@code INSERT ... ON CONFLICT DO NOTHING} for a
 * new name, else a conditional {@code UPDATE} that succeeds only while the lease is free, expired
 * or already the caller's, so of two workers racing for one lease exactly one holds it.
 *
 * <p>Thread-safe.
 */
public final class Leases {
  static final int MAX_NAME_LENGTH = 200;

  private final Database db;
  private final Clock clock;

  /** Leases in {@code db}, on {@code clock}'s wall time. */
  public Leases(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Takes, or renews, lease {@code name} for {@code owner} until now + {@code ttl} when it is free,
   * expired or already {@code owner}'s; returns whether {@code owner} holds it now. Renewing keeps
   * the time it was acquired.
   *
   * @throws IllegalArgumentException naming the argument when a name is blank or too long (name
   *     200, owner 120 characters) or {@code ttl} is not positive
   */
  public boolean tryHold(String name, String owner, Duration ttl) {
    ClusterRows.checkName("lease name", name, MAX_NAME_LENGTH);
    ClusterRows.checkName("lease owner", owner, WorkerRegistry.MAX_ID_LENGTH);
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease '" + name + "' needs a positive ttl, was " + ttl);
    }
    long now = clock.millis();
    long until = now + ttl.toMillis();
    return db.inTransaction(
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO cluster_leases (name, owner, acquired_at, expires_at)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.setString(2, owner);
            insert.setLong(3, now);
            insert.setLong(4, until);
            if (insert.executeUpdate() == 1) {
              return true;
            }
          }
          try (PreparedStatement take =
              c.prepareStatement(
                  "UPDATE cluster_leases SET"
                      + " acquired_at = CASE WHEN owner = ? AND expires_at > ?"
                      + " THEN acquired_at ELSE ? END,"
                      + " owner = ?, expires_at = ?"
                      + " WHERE name = ? AND (owner = ? OR expires_at <= ?)")) {
            take.setString(1, owner);
            take.setLong(2, now);
            take.setLong(3, now);
            take.setString(4, owner);
            take.setLong(5, until);
            take.setString(6, name);
            take.setString(7, owner);
            take.setLong(8, now);
            return take.executeUpdate() == 1;
          }
        });
  }

  /** Releases lease {@code name} if {@code owner} holds it; otherwise does nothing. */
  public void release(String name, String owner) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    delete("DELETE FROM cluster_leases WHERE name = ? AND owner = ?", name, owner);
  }

  /** Releases every lease of {@code owner} (a worker stopping); returns how many. */
  public int releaseAll(String owner) {
    Objects.requireNonNull(owner, "owner");
    return delete("DELETE FROM cluster_leases WHERE owner = ?", owner);
  }

  private int delete(String sql, String... args) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
          }
        });
  }

  /** The unexpired holder of lease {@code name}, or empty when it is free or expired. */
  public Optional<Lease> holder(String name) {
    Objects.requireNonNull(name, "name");
    List<Lease> found = select(" AND name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every unexpired lease, by name. */
  public List<Lease> all() {
    return select("", null);
  }

  private List<Lease> select(String where, @Nullable String name) {
    long now = clock.millis();
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, owner, acquired_at, expires_at FROM cluster_leases"
                      + " WHERE expires_at > ?"
                      + where
                      + " ORDER BY name")) {
            ps.setLong(1, now);
            if (name != null) {
              ps.setString(2, name);
            }
            return leases(ps);
          }
        });
  }

  private static List<Lease> leases(PreparedStatement ps) throws SQLException {
    List<Lease> list = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        list.add(
            new Lease(
                rs.getString("name"),
                rs.getString("owner"),
                Instant.ofEpochMilli(rs.getLong("acquired_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at"))));
      }
    }
    return list;
  }

  /** Lease {@code name} held by {@code owner} from {@code acquiredAt} until {@code expiresAt}. */
  public record Lease(String name, String owner, Instant acquiredAt, Instant expiresAt) {}
}
