package dev.paritysync.store;

import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The dead-letter and reconciliation queues: work that needs a person, with its evidence. Nothing
 * enters or leaves a queue without a ledger entry: {@link #enter}, {@link #markReplayed} and {@link
 * #discard} append one ({@code queue.entered}, {@code queue.replayed}, {@code queue.discarded}) on
 * the caller's connection, so the item and its entry commit together or not at all.
 *
 * <p>Evidence is made safe to keep: values of secret headers and query parameters ({@link
 * dev.paritysync.core.http.Redaction}) and secret fields of JSON and form bodies become {@code
 * [redacted]}, and bodies are cut to {@link #DEFAULT_MAX_BODY_BYTES} bytes unless configured.
 *
 * <p>Thread-safe.
 */
public final class Queues {
  /** Bodies longer than this many bytes are truncated unless another limit is given: 16 KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

  private static final String COLUMNS =
      "id, queue, channel, subject, correlation_id, reason, evidence, attempts, state, created_at,"
          + " closed_at, closed_reason";

  private final Ledger ledger;
  private final Clock clock;
  private final int maxBodyBytes;

  /** Queues writing to {@code ledger}, truncating bodies to {@link #DEFAULT_MAX_BODY_BYTES}. */
  public Queues(Ledger ledger, Clock clock) {
    this(ledger, clock, DEFAULT_MAX_BODY_BYTES);
  }

  /** Queues writing to {@code ledger}, truncating bodies to {@code maxBodyBytes}. */
  public Queues(Ledger ledger, Clock clock, int maxBodyBytes) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative, was " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Starts describing an item for {@link #enter}. */
  public static Entry entry(QueueItem.Queue queue, String channel, String subject, String reason) {
    return new Entry(queue, channel, subject, reason);
  }

  /** Puts an item in its queue, open, and appends {@code queue.entered} to the ledger. */
  public QueueItem enter(Connection c, Entry entry) throws SQLException {
    Objects.requireNonNull(entry, "entry");
    Map<String, Object> evidence = new LinkedHashMap<>(entry.details);
    if (entry.request != null) {
      evidence.put("request", Evidence.request(entry.request, maxBodyBytes));
    }
    if (entry.response != null) {
      evidence.put("response", Evidence.response(entry.response, maxBodyBytes));
    }
    String what = entry.queue.sql() + " item for " + entry.channel + "/" + entry.subject;
    String evidenceJson = Json.write(evidence, "evidence of " + what);
    String attemptsJson = Json.write(entry.attempts, "attempts of " + what);
    long now = clock.millis();
    String id = Ids.next(clock);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO queue_items ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, NULL, NULL)")) {
      ps.setString(1, id);
      ps.setString(2, entry.queue.sql());
      ps.setString(3, entry.channel);
      ps.setString(4, entry.subject);
      ps.setString(5, entry.correlationId);
      ps.setString(6, entry.reason);
      ps.setString(7, evidenceJson);
      ps.setString(8, attemptsJson);
      ps.setLong(9, now);
      ps.executeUpdate();
    }
    QueueItem item =
        new QueueItem(
            id,
            entry.queue,
            entry.channel,
            entry.subject,
            entry.correlationId,
            entry.reason,
            Json.readMap(evidenceJson, "evidence of " + what),
            Json.readList(attemptsJson, "attempts of " + what),
            QueueItem.State.OPEN,
            Instant.ofEpochMilli(now),
            null,
            null);
    ledger.append(
        c,
        ledger
            .entry("queue.entered")
            .withCorrelationId(item.correlationId())
            .withChannel(item.channel())
            .withSubject(item.subject())
            .withAttribute("queue", item.queue().sql())
            .withAttribute("item", id)
            .withAttribute("reason", item.reason())
            .build());
    return item;
  }

  /** Items matching {@code filter}, oldest first. */
  public List<QueueItem> list(Connection c, Filter filter) throws SQLException {
    Objects.requireNonNull(filter, "filter");
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM queue_items WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (filter.queue != null) {
      sql.append(" AND queue = ?");
      args.add(filter.queue.sql());
    }
    if (filter.state != null) {
      sql.append(" AND state = ?");
      args.add(filter.state.sql());
    }
    if (filter.channel != null) {
      sql.append(" AND channel = ?");
      args.add(filter.channel);
    }
    if (filter.since != null) {
      sql.append(" AND created_at >= ").append(filter.since.toEpochMilli());
    }
    if (filter.afterId != null && filter.afterCreatedAt != null) { // set together
      long at = filter.afterCreatedAt.toEpochMilli();
      sql.append(" AND (created_at > ")
          .append(at)
          .append(" OR (created_at = ")
          .append(at)
          .append(" AND id > ?))");
      args.add(filter.afterId);
    }
    sql.append(" ORDER BY created_at, id LIMIT ?");
    List<QueueItem> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (String arg : args) {
        ps.setString(i++, arg);
      }
      ps.setInt(i, filter.limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
    }
    return out;
  }

  /** The item with {@code id}, if any. */
  public Optional<QueueItem> show(Connection c, String id) throws SQLException {
    Objects.requireNonNull(id, "id");
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM queue_items WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Closes an open item as replayed and appends {@code queue.replayed}; the caller re-sends its
   * work in the same transaction. Returns false, changing nothing, when no open item has {@code
   * id}.
   */
  public boolean markReplayed(Connection c, String id) throws SQLException {
    return markReplayed(c, id, null);
  }

  /**
   * As {@link #markReplayed(Connection, String)}, recording who replayed it as the ledger entry's
   * {@code by} attribute (left out when {@code by} is null).
   */
  public boolean markReplayed(Connection c, String id, @Nullable String by) throws SQLException {
    return close(c, id, QueueItem.State.REPLAYED, null, by, "queue.replayed");
  }

  /**
   * Closes an open item as discarded for {@code reason} and appends {@code queue.discarded}.
   * Returns false, changing nothing, when no open item has {@code id}.
   */
  public boolean discard(Connection c, String id, String reason) throws SQLException {
    return discard(c, id, reason, null);
  }

  /**
   * Closes an open item as discarded for {@code reason} by {@code by} (who decided; the ledger
   * entry's {@code by} attribute, left out when null) and appends {@code queue.discarded}. Returns
   * false, changing nothing, when no open item has {@code id}.
   */
  public boolean discard(Connection c, String id, String reason, @Nullable String by)
      throws SQLException {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("discarding queue item " + id + " needs a reason");
    }
    return close(c, id, QueueItem.State.DISCARDED, reason, by, "queue.discarded");
  }

  private boolean close(
      Connection c,
      String id,
      QueueItem.State state,
      @Nullable String reason,
      @Nullable String by,
      String ledgerKind)
      throws SQLException {
    Objects.requireNonNull(id, "id");
    Optional<QueueItem> found = show(c, id);
    if (found.isEmpty() || found.get().state() != QueueItem.State.OPEN) {
      return false;
    }
    long now = clock.millis();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE queue_items SET state = ?, closed_at = ?, closed_reason = ?"
                + " WHERE id = ? AND state = 'open'")) {
      ps.setString(1, state.sql());
      ps.setLong(2, now);
      ps.setString(3, reason);
      ps.setString(4, id);
      if (ps.executeUpdate() != 1) {
        return false;
      }
    }
    QueueItem item = found.get();
    LedgerEntry.Builder entry =
        ledger
            .entry(ledgerKind)
            .withCorrelationId(item.correlationId())
            .withChannel(item.channel())
            .withSubject(item.subject())
            .withAttribute("queue", item.queue().sql())
            .withAttribute("item", id);
    if (reason != null) {
      entry.withAttribute("reason", reason);
    }
    if (by != null) {
      entry.withAttribute("by", by);
    }
    ledger.append(c, entry.build());
    return true;
  }

  private static QueueItem read(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    return new QueueItem(
        id,
        QueueItem.Queue.ofSql(rs.getString("queue")),
        rs.getString("channel"),
        rs.getString("subject"),
        rs.getString("correlation_id"),
        rs.getString("reason"),
        Json.readMap(rs.getString("evidence"), "evidence of queue item " + id),
        Json.readList(rs.getString("attempts"), "attempts of queue item " + id),
        QueueItem.State.ofSql(rs.getString("state")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        WorkQueue.instantOrNull(rs, "closed_at"),
        rs.getString("closed_reason"));
  }

  /** What to put in a queue: built by {@link Queues#entry}. Not thread-safe. */
  public static final class Entry {
    private final QueueItem.Queue queue;
    private final String channel;
    private final String subject;
    private final String reason;
    private @Nullable String correlationId;
    private @Nullable Request request;
    private @Nullable Response response;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<Map<String, Object>> attempts = new ArrayList<>();

    private Entry(QueueItem.Queue queue, String channel, String subject, String reason) {
      this.queue = Objects.requireNonNull(queue, "queue");
      this.channel = Objects.requireNonNull(channel, "channel");
      this.subject = Objects.requireNonNull(subject, "subject");
      this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Entry withCorrelationId(@Nullable String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    /** The last request sent; stored redacted and truncated under {@code evidence.request}. */
    public Entry withRequest(Request request) {
      this.request = request;
      return this;
    }

    /** The last response; stored redacted and truncated under {@code evidence.response}. */
    public Entry withResponse(Response response) {
      this.response = response;
      return this;
    }

    /**
     * Adds a JSON-able detail to the evidence, such as the batch ({@code "batch"}); stored as
     * given, so give no secrets.
     */
    public Entry withDetail(String name, Object value) {
      Objects.requireNonNull(name, "detail name");
      if (name.equals("request") || name.equals("response")) {
        throw new IllegalArgumentException(
            "detail name '"
                + name
                + "' is reserved: use with"
                + (name.equals("request") ? "Request" : "Response"));
      }
      details.put(name, value);
      return this;
    }

    /** Adds one attempt (status, latency, delay, action ...); attempts keep their order. */
    public Entry withAttempt(Map<String, ?> attempt) {
      attempts.add(new LinkedHashMap<>(attempt));
      return this;
    }
  }

  /**
   * Which items {@link Queues#list} returns: by default every item of both queues, at most 100.
   * Immutable; each {@code with} returns a new filter.
   */
  public static final class Filter {
    private final QueueItem.@Nullable Queue queue;
    private final QueueItem.@Nullable State state;
    private final @Nullable String channel;
    private final int limit;
    private final @Nullable Instant since;
    private final @Nullable Instant afterCreatedAt;
    private final @Nullable String afterId;

    private Filter(
        QueueItem.@Nullable Queue queue,
        QueueItem.@Nullable State state,
        @Nullable String channel,
        int limit,
        @Nullable Instant since,
        @Nullable Instant afterCreatedAt,
        @Nullable String afterId) {
      this.queue = queue;
      this.state = state;
      this.channel = channel;
      this.limit = limit;
      this.since = since;
      this.afterCreatedAt = afterCreatedAt;
      this.afterId = afterId;
    }

    /** Every item, at most 100. */
    public static Filter all() {
      return new Filter(null, null, null, 100, null, null, null);
    }

    public Filter withQueue(QueueItem.Queue queue) {
      return new Filter(
          Objects.requireNonNull(queue, "queue"),
          state,
          channel,
          limit,
          since,
          afterCreatedAt,
          afterId);
    }

    public Filter withState(QueueItem.State state) {
      return new Filter(
          queue,
          Objects.requireNonNull(state, "state"),
          channel,
          limit,
          since,
          afterCreatedAt,
          afterId);
    }

    public Filter withChannel(String channel) {
      return new Filter(
          queue,
          state,
          Objects.requireNonNull(channel, "channel"),
          limit,
          since,
          afterCreatedAt,
          afterId);
    }

    public Filter withLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("list limit must be at least 1, was " + limit);
      }
      return new Filter(queue, state, channel, limit, since, afterCreatedAt, afterId);
    }

    /** Only items that entered at or after {@code since}. */
    public Filter withSince(Instant since) {
      return new Filter(
          queue,
          state,
          channel,
          limit,
          Objects.requireNonNull(since, "since"),
          afterCreatedAt,
          afterId);
    }

    /**
     * Only items after the item that entered at {@code createdAt} with {@code id}, in list order:
     * the next page after that item.
     */
    public Filter withAfter(Instant createdAt, String id) {
      return new Filter(
          queue,
          state,
          channel,
          limit,
          since,
          Objects.requireNonNull(createdAt, "createdAt"),
          Objects.requireNonNull(id, "id"));
    }
  }
}
