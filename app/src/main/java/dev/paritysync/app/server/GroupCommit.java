package dev.paritysync.app.server;

import dev.paritysync.core.config.ConfigMap;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code POST /v1/changes} commits concurrent requests together (group commit): requests that
 * arrive while a commit runs wait in a queue and are committed by the next one, in one transaction,
 * in the order they arrived. Each key is under {@code server.groupCommit} (docs/api.md, "Group
 * commit"). Immutable and thread-safe.
 *
 * @param maxRequests {@code server.groupCommit.maxRequests}, default 128: the most requests one
 *     commit takes
 * @param maxCells {@code server.groupCommit.maxCells}, default 5,000: the most cells one commit
 *     takes; a request with more than that is committed alone
 * @param maxWait {@code server.groupCommit.maxWait}, default 2 ms: how long a request may wait for
 *     others still being read and checked to join its commit, when no commit is running; 0 never
 *     waits. A request no other is about to join never waits.
 * @param queue {@code server.groupCommit.queue}, default 1,024: the most requests waiting for a
 *     commit; beyond it a request is answered 503 with {@code Retry-After} at once
 */
public record GroupCommit(int maxRequests, int maxCells, Duration maxWait, int queue) {

  /** Every default. */
  public static final GroupCommit DEFAULTS =
      new GroupCommit(128, 5_000, Duration.ofMillis(2), 1_024);

  /**
   * Checks every bound.
   *
   * @throws IllegalArgumentException naming the {@code server.groupCommit.} key of the first bad
   *     value
   */
  public GroupCommit {
    Objects.requireNonNull(maxWait, "maxWait");
    atLeast("maxRequests", maxRequests, 1);
    atLeast("maxCells", maxCells, 1);
    atLeast("queue", queue, 1);
    if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException(
          "server.groupCommit.maxWait: must be between 0 and 1s, was " + maxWait);
    }
  }

  /**
   * Reads {@code groupCommit} of {@code server} (the {@code server:} section); an absent section
   * gives the defaults.
   *
   * @throws IllegalArgumentException naming the full key of the first bad or unknown key
   */
  public static GroupCommit parse(ConfigMap server) {
    ConfigMap g = server.child("groupCommit");
    GroupCommit d = DEFAULTS;
    GroupCommit parsed =
        new GroupCommit(
            g.integer("maxRequests", d.maxRequests()),
            g.integer("maxCells", d.maxCells()),
            g.duration("maxWait", d.maxWait()),
            g.integer("queue", d.queue()));
    g.rejectUnknown();
    return parsed;
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "server.groupCommit." + key + ": must be at least " + min + ", was " + value);
    }
  }
}
