package dev.paritysync.store.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The engine processes registered in table {@code cluster_workers}: each registers at start,
 * heartbeats while it runs and marks itself stopped on an orderly stop; a worker whose heartbeat is
 * too old is dead. {@link Cluster} does this for its process; this class also lists and prunes.
 *
 * <p>Thread-safe: every method is one statement or one transaction on the shared {@link Database}.
 */
public final class WorkerRegistry {
  static final int MAX_ID_LENGTH = 120;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Clock clock;

  /** A registry in {@code db}, reading time from {@code clock}. */
  public WorkerRegistry(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A new worker id: {@code prefix} (blank → {@code paritysync}) + "-" + this host + "-" + this
   * process's pid + "-" + 6 random {@code [a-z0-9]} characters, at most 120 characters (the prefix
   * and host are shortened to fit). Thread-safe.
   */
  public static String newWorkerId(String prefix) {
    String p = prefix == null || prefix.isBlank() ? "paritysync" : prefix.strip();
    String pid = Long.toString(ProcessHandle.current().pid());
    StringBuilder suffix = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    String host = hostName();
    int room = MAX_ID_LENGTH - pid.length() - suffix.length() - 3;
    if (p.length() + host.length() > room) {
      host = host.substring(0, Math.min(host.length(), Math.max(room / 2, room - p.length())));
      p = p.substring(0, Math.min(p.length(), room - host.length()));
    }
    return p + "-" + host + "-" + pid + "-" + suffix;
  }

  /** This machine's host name, or {@code localhost} when it cannot be resolved. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /**
   * Registers worker {@code id} (or registers it again): started and heartbeat now, not stopped.
   *
   * @throws IllegalArgumentException when {@code id} is blank or longer than 120 characters
   */
  public void register(String id, String host, long pid) {
    ClusterRows.checkName("worker id", id, MAX_ID_LENGTH);
    Objects.requireNonNull(host, "host");
    long now = clock.millis();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO cluster_workers (id, host, pid, started_at, heartbeat_at, stopped_at)"
                      + " VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET"
                      + " host = excluded.host, pid = excluded.pid,"
                      + " started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,"
                      + " stopped_at = NULL")) {
            ps.setString(1, id);
            ps.setString(2, host);
            ps.setLong(3, pid);
            ps.setLong(4, now);
            ps.setLong(5, now);
            return ps.executeUpdate();
          }
        });
  }

  /** Sets worker {@code id}'s heartbeat to now; a worker that is not registered stays so. */
  public void heartbeat(String id) {
    set("heartbeat_at", id);
  }

  /** Marks worker {@code id} stopped now. */
  public void stopped(String id) {
    set("stopped_at", id);
  }

  private void set(String column, String id) {
    Objects.requireNonNull(id, "id");
    long now = clock.millis();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE cluster_workers SET " + column + " = ? WHERE id = ?")) {
            ps.setLong(1, now);
            ps.setString(2, id);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Every registered worker, alive ones first, then by start, newest first. A worker is alive when
   * it has not stopped and its heartbeat is at most {@code aliveWithin} old. {@link
   * Worker#batchesHeld()} counts the work items leased, unexpired, to the worker id itself or to
   * one of its slots ({@code <id>/...}).
   */
  public List<Worker> workers(Duration aliveWithin) {
    Objects.requireNonNull(aliveWithin, "aliveWithin");
    Instant now = clock.instant();
    long nowMillis = now.toEpochMilli();
    List<Worker> workers =
        db.read(
            c -> {
              List<Worker> list = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT w.id, w.host, w.pid, w.started_at, w.heartbeat_at, w.stopped_at,"
                          + " (SELECT COUNT(*) FROM work_items i WHERE i.state = 'leased'"
                          + " AND i.lease_expires_at > ? AND (i.lease_owner = w.id"
                          + " OR SUBSTR(i.lease_owner, 1, LENGTH(w.id) + 1) = w.id || '/'))"
                          + " AS held FROM cluster_workers w")) {
                ps.setLong(1, nowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    Instant heartbeat = Instant.ofEpochMilli(rs.getLong("heartbeat_at"));
                    Instant stopped = ClusterRows.instantOrNull(rs, "stopped_at");
                    boolean alive =
                        stopped == null
                            && Duration.between(heartbeat, now).compareTo(aliveWithin) <= 0;
                    list.add(
                        new Worker(
                            rs.getString("id"),
                            rs.getString("host"),
                            rs.getLong("pid"),
                            Instant.ofEpochMilli(rs.getLong("started_at")),
                            heartbeat,
                            stopped,
                            alive,
                            rs.getInt("held")));
                  }
                }
              }
              return list;
            });
    workers.sort(
        Comparator.comparing((Worker w) -> !w.alive())
            .thenComparing(Worker::startedAt, Comparator.reverseOrder())
            .thenComparing(Worker::id));
    return workers;
  }

  /**
   * Deletes the workers stopped, or silent (no heartbeat), for longer than {@code goneFor}; returns
   * how many.
   */
  public int prune(Duration goneFor) {
    Objects.requireNonNull(goneFor, "goneFor");
    long cutoff = clock.instant().minus(goneFor).toEpochMilli();
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM cluster_workers"
                      + " WHERE (stopped_at IS NOT NULL AND stopped_at < ?) OR heartbeat_at < ?")) {
            ps.setLong(1, cutoff);
            ps.setLong(2, cutoff);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * A registered worker as {@link #workers(Duration)} saw it.
   *
   * @param stoppedAt when it stopped in order, or null while it runs (or died)
   * @param alive not stopped, and heartbeat recent enough
   * @param batchesHeld work items leased to it and unexpired
   */
  public record Worker(
      String id,
      String host,
      long pid,
      Instant startedAt,
      Instant heartbeatAt,
      @Nullable Instant stoppedAt,
      boolean alive,
      int batchesHeld) {}
}
