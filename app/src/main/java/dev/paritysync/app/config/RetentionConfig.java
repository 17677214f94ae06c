package dev.paritysync.app.config;

import dev.paritysync.core.config.ConfigMap;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code retention:} section: how long the engine keeps what it no longer needs, and how it
 * deletes it (see {@code dev.paritysync.hotel.engine.Retention} for what always stays, and {@code
 * docs/operations.md}, "Retention").
 *
 * <pre>{@code
 * retention:
 *   batches: 30d        # default; batches (work items) that were acknowledged or parked
 *   ledger: 400d        # default; the audit trail
 *   changes: 400d       # default; each change as the PMS sent it
 *   webhookInbox: 30d   # default; raw webhook bodies, and their de-duplication by webhook id
 *   every: 1h           # default; how often a pass runs
 *   batchSize: 1000     # default; rows deleted per transaction (1..10000)
 * }</pre>
 *
 * Every retention is at least {@value #MIN_DAYS} day. Immutable and thread-safe.
 *
 * @param batches how long an ended batch is kept
 * @param ledger how long a ledger entry is kept
 * @param changes how long an accepted change's payload is kept
 * @param webhookInbox how long a webhook's raw body is kept
 * @param every how often retention runs (on the worker holding the {@code prune} lease)
 * @param batchSize the most rows one transaction deletes
 */
public record RetentionConfig(
    Duration batches,
    Duration ledger,
    Duration changes,
    Duration webhookInbox,
    Duration every,
    int batchSize) {

  /** The shortest retention, in days. */
  public static final int MIN_DAYS = 1;

  /** The largest {@code batchSize}: its ids are parameters of one statement. */
  public static final int MAX_BATCH_SIZE = 10_000;

  /** Every default. */
  public static final RetentionConfig DEFAULTS =
      new RetentionConfig(
          Duration.ofDays(30),
          Duration.ofDays(400),
          Duration.ofDays(400),
          Duration.ofDays(30),
          Duration.ofHours(1),
          1000);

  public RetentionConfig {
    Objects.requireNonNull(batches, "batches");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(webhookInbox, "webhookInbox");
    Objects.requireNonNull(every, "every");
  }

  /**
   * Reads a {@code retention:} section; an absent one gives the defaults.
   *
   * @throws IllegalArgumentException naming the full key of the first bad or unknown key
   */
  public static RetentionConfig parse(ConfigMap r) {
    RetentionConfig d = DEFAULTS;
    Duration batches = keep(r, "batches", d.batches());
    Duration ledger = keep(r, "ledger", d.ledger());
    Duration changes = keep(r, "changes", d.changes());
    Duration inbox = keep(r, "webhookInbox", d.webhookInbox());
    Duration every = r.positiveDuration("every", d.every());
    int batchSize = r.integerIn("batchSize", d.batchSize(), 1, MAX_BATCH_SIZE);
    r.rejectUnknown();
    return new RetentionConfig(batches, ledger, changes, inbox, every, batchSize);
  }

  private static Duration keep(ConfigMap r, String key, Duration fallback) {
    Duration d = r.duration(key, fallback);
    if (d.compareTo(Duration.ofDays(MIN_DAYS)) < 0) {
      throw new IllegalArgumentException(
          r.key(key)
              + ": "
              + r.raw(key)
              + " is shorter than "
              + MIN_DAYS
              + "d, the shortest retention");
    }
    return d;
  }
}
