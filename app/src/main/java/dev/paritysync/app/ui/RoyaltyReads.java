package dev.paritysync.app.ui;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.drift.DriftRuns;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The royalty module's tables as serve's database holds them once {@code paritysync royalty
 * ingest|pull} ran on it: deliveries ({@link Deliveries}) and the dead-lettered report rows (the
 * store's dead-letter queue, {@link DeadLetterReplay#isReportRow}). Read only, bounded: no read
 * looks at more than {@link #MAX_SCAN} dead letters. Thread-safe.
 */
final class RoyaltyReads {
  /** The most open dead letters one request reads, to count groups or to find a page of rows. */
  static final int MAX_SCAN = 20_000;

  /** The table whose absence means the royalty commands never ran on this database. */
  static final String TABLE = "royalty_deliveries";

  /** The table of the drift checks {@code royalty drift --db|--url} kept. */
  static final String DRIFT_TABLE = "royalty_drift_runs";

  private static final Pattern QUOTED = Pattern.compile("'[^']*'");
  private static final int BATCH = 500;

  private final Database db;
  private final Deliveries deliveries;
  private final Queues queues;

  RoyaltyReads(Database db, Clock clock) {
    this.db = db;
    this.deliveries = new Deliveries(clock);
    this.queues = new Queues(new Ledger(clock), clock);
  }

  /**
   * A group of open dead-lettered rows: same source, field and reason but for the quoted values.
   *
   * @param source the source
   * @param field the field that failed
   * @param reason the reason, each quoted value shown as {@code '…'}
   * @param rows how many open rows
   */
  record Group(String source, String field, String reason, long rows) {}

  /**
   * Groups counted over at most {@link #MAX_SCAN} rows.
   *
   * @param groups the groups, most rows first
   * @param scanned the rows read
   * @param capped true when rows were left unread
   */
  record Groups(List<Group> groups, long scanned, boolean capped) {}

  /**
   * A page of rows of one group.
   *
   * @param rows the open dead letters, oldest first
   * @param after the id to continue after, or null when every row was read
   */
  record Rows(List<QueueItem> rows, @Nullable String after) {}

  /** Whether the royalty tables exist in this database. */
  boolean present() {
    return present(TABLE);
  }

  /** Whether {@code table} exists in this database (in its current schema). */
  boolean present(String table) {
    return db.read(
        c -> {
          String schema = c.getSchema();
          for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getTables(null, schema, name, null)) {
              if (rs.next()) {
                return true;
              }
            }
          }
          return false;
        });
  }

  /**
   * The last drift checks of at most {@code periods} periods, latest first; empty when {@code
   * royalty drift} never kept one here.
   */
  List<DriftRuns.Run> drift(int periods) {
    if (!present(DRIFT_TABLE)) {
      return List.of();
    }
    return db.read(c -> DriftRuns.latest(c, periods));
  }

  /** Every source with a recorded delivery. */
  List<String> sources() {
    return db.read(Deliveries::sources);
  }

  /**
   * At most {@code limit} deliveries of {@code source} (all when null), newest first, after {@code
   * offset}; each with the delivery that replaced it, when one did.
   */
  List<Listed> deliveries(@Nullable String source, long offset, int limit) {
    return db.read(
        c -> {
          List<Listed> out = new ArrayList<>();
          for (IngestedDelivery d : deliveries.page(c, source, offset, limit)) {
            IngestedDelivery by =
                d.replacedBy() == null ? null : deliveries.get(c, d.replacedBy()).orElse(null);
            out.add(new Listed(d, by));
          }
          return out;
        });
  }

  /**
   * A delivery and the one that replaced it.
   *
   * @param delivery the delivery
   * @param replacedBy the delivery that replaced its rows, or null
   */
  record Listed(IngestedDelivery delivery, @Nullable IngestedDelivery replacedBy) {}

  /** The open dead-lettered rows of {@code source} (every source when null), grouped. */
  Groups groups(@Nullable String source) {
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    long scanned = 0;
    boolean capped = false;
    for (String s : source == null ? sources() : List.of(source)) {
      Scan scan = scan(s, null, MAX_SCAN - scanned, Integer.MAX_VALUE, null);
      for (QueueItem item : scan.matched()) {
        Map<String, Object> e = item.evidence();
        String field = String.valueOf(e.get("field"));
        counts.merge(List.of(s, field, pattern(field, item.reason())), 1L, Long::sum);
      }
      scanned += scan.read();
      if (scan.after() != null) {
        capped = true;
        break;
      }
    }
    List<Group> groups = new ArrayList<>();
    counts.forEach((k, n) -> groups.add(new Group(k.get(0), k.get(1), k.get(2), n)));
    groups.sort(
        Comparator.comparingLong(Group::rows)
            .reversed()
            .thenComparing(Group::source)
            .thenComparing(Group::field)
            .thenComparing(Group::reason));
    return new Groups(groups, scanned, capped);
  }

  /**
   * Up to {@code limit} open rows of {@code source} whose field is {@code field} (any when null)
   * and whose reason's pattern is {@code reason} (any when null), after the dead letter {@code
   * after} (from the start when null).
   *
   * @throws UiException naming {@code cursor} when {@code after} is no dead letter of the source
   */
  Rows rows(
      String source,
      @Nullable String field,
      @Nullable String reason,
      @Nullable String after,
      int limit) {
    QueueItem from = null;
    if (after != null) {
      from =
          db.read(c -> queues.show(c, after))
              .filter(i -> i.channel().equals(source) && DeadLetterReplay.isReportRow(i))
              .orElseThrow(
                  () ->
                      UiException.badInput(
                          "parameter 'cursor': "
                              + after
                              + " is no dead-lettered row of source "
                              + source));
    }
    Scan scan =
        scan(
            source,
            from,
            MAX_SCAN,
            limit,
            i ->
                (field == null || field.equals(String.valueOf(i.evidence().get("field"))))
                    && (reason == null
                        || reason.equals(
                            pattern(String.valueOf(i.evidence().get("field")), i.reason()))));
    return new Rows(scan.matched(), scan.after());
  }

  private record Scan(List<QueueItem> matched, long read, @Nullable String after) {}

  /**
   * Reads {@code source}'s open dead letters oldest first after {@code from}, keeping the report
   * rows {@code match} accepts, until {@code want} are kept, {@code budget} are read or none is
   * left; {@code after} is the last one read when some may be left.
   */
  private Scan scan(
      String source,
      @Nullable QueueItem from,
      long budget,
      int want,
      java.util.function.@Nullable Predicate<QueueItem> match) {
    List<QueueItem> kept = new ArrayList<>();
    long read = 0;
    QueueItem last = from;
    Queues.Filter base =
        Queues.Filter.all()
            .withQueue(QueueItem.Queue.DEAD_LETTER)
            .withState(QueueItem.State.OPEN)
            .withChannel(source);
    while (read < budget && kept.size() < want) {
      int n = (int) Math.min(BATCH, budget - read);
      Queues.Filter f =
          last == null
              ? base.withLimit(n)
              : base.withLimit(n).withAfter(last.createdAt(), last.id());
      List<QueueItem> batch = db.read(c -> queues.list(c, f));
      for (QueueItem i : batch) {
        read++;
        last = i;
        if (DeadLetterReplay.isReportRow(i) && (match == null || match.test(i))) {
          kept.add(i);
          if (kept.size() >= want) {
            break;
          }
        }
      }
      if (batch.size() < n && kept.size() < want) {
        return new Scan(kept, read, null);
      }
    }
    return new Scan(kept, read, last == null ? null : last.id());
  }

  /**
   * The reason of a row, without its {@code field: } prefix, each quoted value ({@code 'BAD'})
   * shown as {@code '…'}: rows failing the same way fall in one group whatever their values.
   */
  static String pattern(String field, String reason) {
    String r = reason.startsWith(field + ": ") ? reason.substring(field.length() + 2) : reason;
    return QUOTED.matcher(r).replaceAll("'…'");
  }

  /** The reason of a row without its {@code field: } prefix. */
  static String reasonOf(QueueItem item) {
    String field = String.valueOf(item.evidence().get("field"));
    String r = item.reason();
    return r.startsWith(field + ": ") ? r.substring(field.length() + 2) : r;
  }
}
