package dev.paritysync.app.admin;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.engine.Replay;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Dead letters and reconciliation items for a person: list and filter, show with evidence and
 * ledger trail, replay, discard (with a reason and who decided, in the ledger), and the ledger by
 * correlation id. What {@code paritysync queue} and the admin API ({@code /admin/v1/items}) both
 * call. Works on the engine's database beside a running engine: a replay makes cells pending, and
 * the running engine sends them. Thread-safe.
 */
public final class QueueAdmin {
  private final Database db;
  private final Clock clock;
  private final Ledger ledger;
  private final Queues queues;
  private final Replay replay;

  /** Admin over {@code db} (hotel migrations applied), stamping the ledger from {@code clock}. */
  public QueueAdmin(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ledger = new Ledger(clock);
    this.queues = new Queues(ledger, clock);
    this.replay = new Replay(db, new WorkQueue(db, clock), queues, ledger);
  }

  /** The clock ages are measured on. */
  public Clock clock() {
    return clock;
  }

  /** One page of the items {@code filter} selects, oldest first. */
  public Page<QueueItem> list(ItemFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Queues.Filter base = Queues.Filter.all();
    if (filter.queue() != null) {
      base = base.withQueue(filter.queue());
    }
    if (filter.state() != null) {
      base = base.withState(filter.state());
    }
    if (filter.channel() != null) {
      base = base.withChannel(filter.channel());
    }
    if (filter.since() != null) {
      base = base.withSince(filter.since());
    }
    if (filter.cursor() != null) {
      ItemFilter.Position p = ItemFilter.decodeCursor(filter.cursor());
      base = base.withAfter(p.createdAt(), p.id());
    }
    // Reason and property are read from each item (and until checked on it), so scan in chunks
    // until one more than the
    // page is found (that one says whether a next page exists) or the store runs out.
    int chunk = Math.min(ItemFilter.MAX_LIMIT, filter.limit() + 1);
    List<QueueItem> found = new ArrayList<>();
    Queues.Filter query = base.withLimit(chunk);
    while (found.size() <= filter.limit()) {
      Queues.Filter q = query;
      List<QueueItem> scanned = db.read(c -> queues.list(c, q));
      boolean past = false;
      for (QueueItem item : scanned) {
        if (filter.until() != null && !item.createdAt().isBefore(filter.until())) {
          past = true; // oldest first: every item after this one entered later still
          break;
        }
        if (matches(filter, item) && found.size() <= filter.limit()) {
          found.add(item);
        }
      }
      if (past || scanned.size() < chunk) {
        break;
      }
      QueueItem last = scanned.get(scanned.size() - 1);
      query = base.withLimit(chunk).withAfter(last.createdAt(), last.id());
    }
    if (found.size() > filter.limit()) {
      List<QueueItem> page = found.subList(0, filter.limit());
      return new Page<>(page, ItemFilter.encodeCursor(page.get(page.size() - 1)));
    }
    return new Page<>(found, null);
  }

  private static boolean matches(ItemFilter f, QueueItem item) {
    if (f.reason() != null
        && !item.reason().toLowerCase(Locale.ROOT).contains(f.reason().toLowerCase(Locale.ROOT))) {
      return false;
    }
    return f.property() == null || f.property().equals(property(item));
  }

  /** The property of the item's batch, or null when it has none. */
  static @Nullable String property(QueueItem item) {
    return item.evidence().get("batch") instanceof Map<?, ?> b && b.get("property") != null
        ? String.valueOf(b.get("property"))
        : null;
  }

  /**
   * The item with {@code id}.
   *
   * @throws AdminException (not found) when no item has {@code id}
   */
  public QueueItem item(String id) {
    Objects.requireNonNull(id, "id");
    return db.read(c -> queues.show(c, id))
        .orElseThrow(() -> AdminException.notFound("no queue item " + id));
  }

  /**
   * The item with {@code id}, which must be open.
   *
   * @throws AdminException not found, or conflict when it is closed
   */
  public QueueItem openItem(String id) {
    QueueItem item = item(id);
    if (item.state() != QueueItem.State.OPEN) {
      throw AdminException.conflict(
          "queue item "
              + id
              + " is already "
              + ItemFilter.stateName(item.state())
              + " (at "
              + item.closedAt()
              + ")");
    }
    return item;
  }

  /** The item with {@code id} and the ledger trail of its batch. */
  public Shown show(String id) {
    QueueItem item = item(id);
    return new Shown(item, db.read(c -> ledger.bySubject(c, item.subject())));
  }

  /**
   * An item and the ledger entries about its batch.
   *
   * @param item the item
   * @param trail every ledger entry whose subject is the item's batch, oldest first
   */
  public record Shown(QueueItem item, List<LedgerEntry> trail) {
    /** Copies {@code trail}. */
    public Shown {
      Objects.requireNonNull(item, "item");
      trail = List.copyOf(trail);
    }
  }

  /**
   * Replays the open item {@code id}: its cells whose version is still the newest become pending
   * again (see {@link Replay}).
   *
   * @throws AdminException not found, or conflict when the item is closed or is a dead-lettered
   *     royalty report row (those are validated again by {@code paritysync queue replay}, which
   *     knows the lake and the configuration)
   */
  public Replayed replay(String id) {
    return replay(id, null);
  }

  /**
   * As {@link #replay(String)}, recording who decided it ({@code by}: the {@code by} attribute of
   * the ledger's {@code queue.replayed} and {@code batch.replayed}; left out when null).
   */
  public Replayed replay(String id, @Nullable String by) {
    QueueItem item = openItem(id);
    if (DeadLetterReplay.isReportRow(item)) {
      throw AdminException.conflict(
          "queue item "
              + id
              + " is a dead-lettered report row ("
              + item.evidence().get("report")
              + " line "
              + item.evidence().get("row")
              + "), not a batch: replay it with 'paritysync queue replay "
              + id
              + " --lake DIR [--config FILE]', which validates it again and writes it to the lake");
    }
    int cells;
    try {
      cells = replay.replay(id, by);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("no open queue item")) {
        throw AdminException.conflict("queue item " + id + " was closed meanwhile");
      }
      throw e;
    }
    return new Replayed(item, cells, Math.max(0, Views.cellCount(item) - cells));
  }

  /**
   * Replays every open item {@code filter} selects (its state is ignored), oldest first, except
   * dead-lettered royalty report rows (see {@link #replay}).
   */
  public List<Replayed> replayAll(ItemFilter filter) {
    return replayAll(filter, null);
  }

  /**
   * As {@link #replayAll(ItemFilter)}, each replay ledgered with {@code by} (see {@link #replay}).
   */
  public List<Replayed> replayAll(ItemFilter filter, @Nullable String by) {
    ItemFilter open =
        new ItemFilter(
            filter.channel(),
            filter.queue(),
            QueueItem.State.OPEN,
            filter.reason(),
            filter.property(),
            filter.since(),
            filter.until(),
            ItemFilter.MAX_LIMIT,
            null);
    List<QueueItem> items = new ArrayList<>();
    Page<QueueItem> page = list(open);
    items.addAll(page.items());
    while (page.nextCursor() != null) {
      page = list(open.withCursor(page.nextCursor()));
      items.addAll(page.items());
    }
    List<Replayed> out = new ArrayList<>();
    for (QueueItem item : items) {
      if (!DeadLetterReplay.isReportRow(item)) {
        out.add(replay(item.id(), by));
      }
    }
    return out;
  }

  /**
   * One replayed item.
   *
   * @param item the item as it was before the replay
   * @param cells how many cells became pending again
   * @param superseded how many were left alone because a newer version exists
   */
  public record Replayed(QueueItem item, int cells, int superseded) {}

  /**
   * Discards the open items {@code ids} in one transaction, for {@code reason}, decided by {@code
   * by} (both in the ledger entry {@code queue.discarded}). One bad id discards nothing. Returns
   * the items as they are after.
   *
   * @throws AdminException bad input for a blank reason or no ids, not found, or conflict when an
   *     item is closed
   */
  public List<QueueItem> discard(List<String> ids, @Nullable String reason, @Nullable String by) {
    if (reason == null || reason.isBlank()) {
      throw AdminException.badInput("reason", "reason: must not be blank");
    }
    if (ids.isEmpty()) {
      throw AdminException.badInput("ids", "ids: give at least one item to discard");
    }
    List<String> unique = List.copyOf(new LinkedHashSet<>(ids));
    unique.forEach(this::openItem);
    String why = reason.strip();
    db.inTransactionRun(
        c -> {
          for (String id : unique) {
            if (!queues.discard(c, id, why, by)) {
              throw AdminException.conflict(
                  "queue item " + id + " was closed meanwhile; nothing discarded");
            }
          }
        });
    return unique.stream().map(this::item).toList();
  }

  /**
   * Every ledger entry with {@code correlationId}, oldest first: a PMS change and every batch,
   * attempt and queue movement it caused.
   *
   * @throws AdminException bad input for a blank id
   */
  public List<LedgerEntry> ledger(@Nullable String correlationId) {
    if (correlationId == null || correlationId.isBlank()) {
      throw AdminException.badInput("correlationId", "correlationId: must be given");
    }
    return db.read(c -> ledger.byCorrelation(c, correlationId));
  }
}
