package dev.paritysync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One dead letter or reconciliation item, as read by {@link Queues}. Immutable.
 *
 * @param id sortable id ({@link Ids})
 * @param queue which queue it is in
 * @param channel the channel concerned
 * @param subject what needs a person: a batch, a row
 * @param correlationId links it to the ledger; may be null
 * @param reason why it is here, in words a person can act on
 * @param evidence the batch, the last request and response (bodies truncated, secrets redacted)
 * @param attempts every attempt, oldest first
 * @param state open until replayed or discarded
 * @param createdAt when it entered
 * @param closedAt when it left; null while open
 * @param closedReason why it was discarded; null unless discarded
 */
public record QueueItem(
    String id,
    Queue queue,
    String channel,
    String subject,
    @Nullable String correlationId,
    String reason,
    Map<String, Object> evidence,
    List<Map<String, Object>> attempts,
    State state,
    Instant createdAt,
    @Nullable Instant closedAt,
    @Nullable String closedReason) {

  public QueueItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(reason, "reason");
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    attempts = Collections.unmodifiableList(new ArrayList<>(attempts));
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** The two queues that hold work needing a person. */
  public enum Queue {
    /** Cannot be delivered as it is: validation, mapping, auth, exhausted retries. */
    DEAD_LETTER,
    /** The channel rejected it as conflicting (409): truth and channel disagree. */
    RECONCILIATION;

    String sql() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Queue ofSql(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /** Where an item is: open, or closed one of two ways. */
  public enum State {
    OPEN,
    REPLAYED,
    DISCARDED;

    String sql() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State ofSql(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }
}
