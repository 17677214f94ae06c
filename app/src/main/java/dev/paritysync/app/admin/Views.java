package dev.paritysync.app.admin;

import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON views of queue items and ledger entries that {@code paritysync queue --json} prints and
 * the admin API returns: records serialised by Jackson, field by field in declaration order.
 * Stateless; the views are immutable records.
 */
public final class Views {
  private Views() {}

  /**
   * One item in a list.
   *
   * @param id the item's id
   * @param queue {@code dead-letter} or {@code reconciliation}
   * @param channel the channel
   * @param property the property of its batch, or null
   * @param subject its batch's id
   * @param state {@code open}, {@code replayed} or {@code discarded}
   * @param createdAt when it entered (ISO-8601)
   * @param closedAt when it left, or null
   * @param closedReason why it was discarded, or null
   * @param correlationId the ledger's correlation id, or null
   * @param reason why it is here
   * @param cells how many cells its batch holds
   * @param attempts how many attempts were made
   */
  public record ItemSummary(
      String id,
      String queue,
      String channel,
      @Nullable String property,
      String subject,
      String state,
      String createdAt,
      @Nullable String closedAt,
      @Nullable String closedReason,
      @Nullable String correlationId,
      String reason,
      int cells,
      int attempts) {}

  /**
   * Everything an item keeps.
   *
   * @param evidence the batch, the last request and response (redacted, truncated), field errors
   * @param attempts every attempt, oldest first
   * @param ledger the ledger entries about its batch, oldest first
   */
  public record ItemDetail(
      String id,
      String queue,
      String channel,
      @Nullable String property,
      String subject,
      String state,
      String createdAt,
      @Nullable String closedAt,
      @Nullable String closedReason,
      @Nullable String correlationId,
      String reason,
      int cells,
      Map<String, Object> evidence,
      List<Map<String, Object>> attempts,
      List<Entry> ledger) {}

  /**
   * One ledger entry.
   *
   * @param id its id
   * @param at when (ISO-8601)
   * @param kind what happened, such as {@code attempt}
   * @param correlationId its correlation id, or null
   * @param channel the channel, or null
   * @param subject what it is about, or null
   * @param attributes the details
   */
  public record Entry(
      String id,
      String at,
      String kind,
      @Nullable String correlationId,
      @Nullable String channel,
      @Nullable String subject,
      Map<String, Object> attributes) {}

  /**
   * One replayed item.
   *
   * @param id the item
   * @param queue its queue
   * @param channel its channel
   * @param cells cells pending again
   * @param superseded cells left alone because a newer version exists
   */
  public record ReplayView(String id, String queue, String channel, int cells, int superseded) {}

  /** The list view of {@code item}. */
  public static ItemSummary summary(QueueItem item) {
    return new ItemSummary(
        item.id(),
        ItemFilter.queueName(item.queue()),
        item.channel(),
        QueueAdmin.property(item),
        item.subject(),
        ItemFilter.stateName(item.state()),
        item.createdAt().toString(),
        item.closedAt() == null ? null : item.closedAt().toString(),
        item.closedReason(),
        item.correlationId(),
        item.reason(),
        cellCount(item),
        item.attempts().size());
  }

  /** The full view of {@code shown}'s item with its ledger trail. */
  public static ItemDetail detail(QueueAdmin.Shown shown) {
    QueueItem item = shown.item();
    return new ItemDetail(
        item.id(),
        ItemFilter.queueName(item.queue()),
        item.channel(),
        QueueAdmin.property(item),
        item.subject(),
        ItemFilter.stateName(item.state()),
        item.createdAt().toString(),
        item.closedAt() == null ? null : item.closedAt().toString(),
        item.closedReason(),
        item.correlationId(),
        item.reason(),
        cellCount(item),
        item.evidence(),
        item.attempts(),
        shown.trail().stream().map(Views::entry).toList());
  }

  /** The view of one ledger entry. */
  public static Entry entry(LedgerEntry e) {
    return new Entry(
        e.id(),
        e.at().toString(),
        e.kind(),
        e.correlationId(),
        e.channel(),
        e.subject(),
        e.attributes());
  }

  /** The view of one replayed item. */
  public static ReplayView replayed(QueueAdmin.Replayed r) {
    return new ReplayView(
        r.item().id(),
        ItemFilter.queueName(r.item().queue()),
        r.item().channel(),
        r.cells(),
        r.superseded());
  }

  /** How many cells the item's batch holds; 0 when it has no batch. */
  public static int cellCount(QueueItem item) {
    return item.evidence().get("batch") instanceof Map<?, ?> b
            && b.get("cells") instanceof List<?> cells
        ? cells.size()
        : 0;
  }

  /**
   * One range of a parked batch in words: {@code DBL/BAR 2026-03-02..2026-03-03 rate 10.00 EUR} and
   * any restriction it carries; {@code r} is an element of {@code evidence.batch.ranges}.
   */
  public static String range(Object r) {
    Map<?, ?> m = r instanceof Map<?, ?> map ? map : Map.of();
    StringBuilder sb = new StringBuilder();
    sb.append(m.get("roomType")).append('/').append(m.get("ratePlan")).append(' ');
    sb.append(m.get("from"));
    if (!String.valueOf(m.get("from")).equals(String.valueOf(m.get("to")))) {
      sb.append("..").append(m.get("to"));
    }
    if (m.get("rate") != null) {
      sb.append("  rate ").append(m.get("rate")).append(' ').append(m.get("currency"));
    }
    for (String key :
        List.of(
            "availability", "minLos", "maxLos", "closed", "closedToArrival", "closedToDeparture")) {
      if (m.get(key) != null) {
        sb.append("  ").append(key).append(' ').append(m.get(key));
      }
    }
    return sb.toString();
  }
}
