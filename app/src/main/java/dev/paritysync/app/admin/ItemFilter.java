package dev.paritysync.app.admin;

import dev.paritysync.store.QueueItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which queue items {@link QueueAdmin#list} returns, one page at a time: every field but {@code
 * limit} may be null (no restriction). Items come oldest first; {@code cursor} is the {@code
 * nextCursor} of the page before. Immutable.
 *
 * @param channel one channel
 * @param queue one queue (the API's {@code kind})
 * @param state one state (the API's {@code status}); null for every state
 * @param reason a text the item's reason contains, case-insensitive
 * @param property one property (of the item's batch)
 * @param since items that entered at or after this instant
 * @param until items that entered before this instant (with {@code since}: a date range)
 * @param limit at most this many items per page, 1 to {@link #MAX_LIMIT}
 * @param cursor where the page starts: an opaque token from {@link Page#nextCursor()}
 */
public record ItemFilter(
    @Nullable String channel,
    QueueItem.@Nullable Queue queue,
    QueueItem.@Nullable State state,
    @Nullable String reason,
    @Nullable String property,
    @Nullable Instant since,
    @Nullable Instant until,
    int limit,
    @Nullable String cursor) {

  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 50;

  /** A filter with no upper bound on when items entered ({@code until} null). */
  public ItemFilter(
      @Nullable String channel,
      QueueItem.@Nullable Queue queue,
      QueueItem.@Nullable State state,
      @Nullable String reason,
      @Nullable String property,
      @Nullable Instant since,
      int limit,
      @Nullable String cursor) {
    this(channel, queue, state, reason, property, since, null, limit, cursor);
  }

  /**
   * Checks the filter.
   *
   * @throws AdminException naming {@code until}, {@code limit} or {@code cursor} when invalid
   */
  public ItemFilter {
    if (since != null && until != null && !until.isAfter(since)) {
      throw AdminException.badInput("until", "until: " + until + " must be after since " + since);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw AdminException.badInput("limit", "limit: must be 1 to " + MAX_LIMIT + ", was " + limit);
    }
    if (cursor != null) {
      decodeCursor(cursor);
    }
  }

  /** Open items of both queues, {@link #DEFAULT_LIMIT} per page. */
  public static ItemFilter open() {
    return new ItemFilter(null, null, QueueItem.State.OPEN, null, null, null, DEFAULT_LIMIT, null);
  }

  /** This filter with {@code cursor}. */
  public ItemFilter withCursor(@Nullable String cursor) {
    return new ItemFilter(channel, queue, state, reason, property, since, until, limit, cursor);
  }

  /** This filter with {@code limit}. */
  public ItemFilter withLimit(int limit) {
    return new ItemFilter(channel, queue, state, reason, property, since, until, limit, cursor);
  }

  /**
   * {@code dead-letter} or {@code reconciliation}.
   *
   * @throws AdminException naming {@code field} for anything else
   */
  public static QueueItem.Queue parseQueue(String field, String value) {
    return switch (value) {
      case "dead-letter" -> QueueItem.Queue.DEAD_LETTER;
      case "reconciliation" -> QueueItem.Queue.RECONCILIATION;
      default ->
          throw AdminException.badInput(
              field, field + ": '" + value + "' is not a queue (dead-letter, reconciliation)");
    };
  }

  /** The name {@link #parseQueue} reads: {@code dead-letter} or {@code reconciliation}. */
  public static String queueName(QueueItem.Queue queue) {
    return queue == QueueItem.Queue.DEAD_LETTER ? "dead-letter" : "reconciliation";
  }

  /**
   * {@code open}, {@code replayed}, {@code discarded}, or {@code all} (null: every state).
   *
   * @throws AdminException naming {@code field} for anything else
   */
  public static QueueItem.@Nullable State parseState(String field, String value) {
    return switch (value) {
      case "open" -> QueueItem.State.OPEN;
      case "replayed" -> QueueItem.State.REPLAYED;
      case "discarded" -> QueueItem.State.DISCARDED;
      case "all" -> null;
      default ->
          throw AdminException.badInput(
              field, field + ": '" + value + "' is not a state (open, replayed, discarded, all)");
    };
  }

  /** The name {@link #parseState} reads. */
  static String stateName(QueueItem.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  /**
   * An ISO-8601 instant such as {@code 2026-03-01T00:00:00Z}.
   *
   * @throws AdminException naming {@code field} otherwise
   */
  public static Instant parseInstant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw AdminException.badInput(
          field, field + ": '" + value + "' is not an instant (such as 2026-03-01T00:00:00Z)");
    }
  }

  /**
   * A page size.
   *
   * @throws AdminException naming {@code field} when not a whole number
   */
  public static int parseLimit(String field, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw AdminException.badInput(field, field + ": '" + value + "' is not a whole number");
    }
  }

  static String encodeCursor(QueueItem last) {
    return encodeCursor(last.createdAt(), last.id());
  }

  /** The cursor of a page that ends at {@code id}, created at {@code createdAt}. */
  static String encodeCursor(Instant createdAt, String id) {
    String raw = createdAt.toEpochMilli() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The (created at, id) after which the page starts. */
  static Position decodeCursor(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      if (colon > 0 && colon < raw.length() - 1) {
        return new Position(
            Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))),
            raw.substring(colon + 1));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the one message
    }
    throw AdminException.badInput(
        "cursor", "cursor: '" + cursor + "' is not a cursor this server gave out");
  }

  record Position(Instant createdAt, String id) {}
}
