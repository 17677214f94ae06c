package dev.paritysync.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a {@link WorkQueue}, as read. Immutable.
 *
 * @param id sortable id ({@link Ids})
 * @param queue the queue's name
 * @param subject what the work is about, such as {@code channel-a/property-7}
 * @param payload JSON text
 * @param state where the item is in its life
 * @param attempts how many times it was claimed and not released
 * @param nextAttemptAt not claimable before this instant
 * @param leaseOwner the owner of the current or last lease; null when not leased
 * @param leaseExpiresAt when that lease expires; null when not leased
 * @param createdAt when it was enqueued
 * @param updatedAt when it last changed
 */
public record WorkItem(
    String id,
    String queue,
    String subject,
    String payload,
    State state,
    int attempts,
    Instant nextAttemptAt,
    @Nullable String leaseOwner,
    @Nullable Instant leaseExpiresAt,
    Instant createdAt,
    Instant updatedAt) {

  public WorkItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The life of a work item. */
  public enum State {
    /** Waiting; claimable once {@code next_attempt_at} has come. */
    READY,
    /** Claimed by {@code lease_owner}; claimable by others once the lease has expired. */
    LEASED,
    /** Completed. Never claimed again. */
    DONE,
    /** Given up on. Never claimed again. */
    DEAD;

    String sql() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State ofSql(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }
}
