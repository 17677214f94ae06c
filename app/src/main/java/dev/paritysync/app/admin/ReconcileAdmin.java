package dev.paritysync.app.admin;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.ConflictResolver;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportWriters;
import dev.paritysync.store.Database;
import dev.paritysync.store.QueueItem;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Reconciliation on demand: run a pass ({@link Reconciler}), read and approve its report, show and
 * resolve a 409 conflict ({@link ConflictResolver}). What {@code paritysync reconcile} and the
 * admin API ({@code /admin/v1/reconciliations}, {@code /admin/v1/conflicts}) both call. Reads of
 * channels wait at most {@link #DEFAULT_WAIT} (5 minutes) of real time. Thread-safe.
 */
public final class ReconcileAdmin {
  /** How long a read of the channels may take before the call fails. */
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  private final HotelEngine engine;
  private final Reconciler reconciler;
  private final QueueAdmin queues;
  private final List<String> properties;

  /**
   * Reconciliation of {@code engine}'s channels over {@code db}, on {@code clock}, correcting drift
   * under {@code thresholds}; {@code properties} are the portfolio's property codes (the default of
   * {@link #run} and what it accepts).
   */
  public ReconcileAdmin(
      HotelEngine engine,
      Database db,
      Clock clock,
      EngineFileConfig.Reconciliation thresholds,
      List<String> properties) {
    this.engine = Objects.requireNonNull(engine, "engine");
    Reconciler.Builder b =
        Reconciler.builder()
            .withEngine(engine)
            .withDatabase(db)
            .withClock(clock)
            .withThresholds(thresholds.defaults());
    thresholds.channels().forEach(b::withThresholds);
    this.reconciler = b.build();
    this.queues = new QueueAdmin(db, clock);
    this.properties = List.copyOf(properties);
  }

  /**
   * Runs one pass over {@code channels} (every channel when empty) and {@code properties} (every
   * property when empty) from {@code from} to {@code to}, inclusive; returns the stored report.
   *
   * @throws AdminException bad input naming {@code channel}, {@code property} or {@code to}
   */
  public ReconciliationReport run(
      List<String> channels, List<String> properties, LocalDate from, LocalDate to) {
    for (String ch : channels) {
      if (!engine.channels().contains(ch)) {
        throw AdminException.badInput(
            "channel", "no channel " + ch + "; channels: " + engine.channels());
      }
    }
    if (properties.isEmpty() && this.properties.isEmpty()) {
      throw AdminException.badInput(
          "property", "property: name the properties to read (the portfolio is not known here)");
    }
    for (String p : properties) {
      if (!this.properties.isEmpty() && !this.properties.contains(p)) {
        throw AdminException.badInput(
            "property", "property " + p + ": not in the portfolio; properties: " + this.properties);
      }
    }
    if (to.isBefore(from)) {
      throw AdminException.badInput("to", "to: " + to + " is before from " + from);
    }
    List<String> props = properties.isEmpty() ? this.properties : properties;
    return await(reconciler.run(channels, props, from, to));
  }

  /** The most reports {@link #reports} gives in one page. */
  public static final int MAX_REPORTS_PAGE = 100;

  /**
   * A page of at most {@code limit} (1 to {@link #MAX_REPORTS_PAGE}) stored reports, newest first;
   * {@code cursor} is the {@code nextCursor} of the page before, or null for the newest.
   *
   * @throws AdminException bad input naming {@code limit} or {@code cursor}
   */
  public Page<ReconciliationReport> reports(@Nullable String cursor, int limit) {
    if (limit < 1 || limit > MAX_REPORTS_PAGE) {
      throw AdminException.badInput(
          "limit", "limit: " + limit + " is not between 1 and " + MAX_REPORTS_PAGE);
    }
    ItemFilter.Position after = cursor == null ? null : ItemFilter.decodeCursor(cursor);
    List<ReconciliationReport> page =
        reconciler
            .store()
            .newestFirst(
                after == null ? null : after.createdAt(), after == null ? null : after.id(), limit);
    if (page.size() < limit) {
      return new Page<>(page, null);
    }
    ReconciliationReport last = page.get(page.size() - 1);
    return new Page<>(page, ItemFilter.encodeCursor(last.createdAt(), last.id()));
  }

  /** The channels a pass may name. */
  public List<String> channels() {
    return List.copyOf(engine.channels());
  }

  /** The portfolio's property codes (empty when not known here). */
  public List<String> properties() {
    return properties;
  }

  /**
   * The stored report {@code id}.
   *
   * @throws AdminException (not found) when none has that id
   */
  public ReconciliationReport report(String id) {
    return reconciler
        .store()
        .find(id)
        .orElseThrow(() -> AdminException.notFound("no reconciliation report " + id));
  }

  /**
   * Approves report {@code id}, flagged for review: its drift is re-pushed, ledgered with {@code
   * by}.
   *
   * @throws AdminException not found, or conflict when the report is not waiting for review
   */
  public ReconciliationReport approve(String id, String by) {
    ReconciliationReport r = report(id);
    if (r.status() != ReconciliationReport.Status.REVIEW) {
      throw AdminException.conflict(
          "reconciliation report " + id + " is " + r.status() + ", not waiting for review");
    }
    return reconciler.approve(id, by);
  }

  /**
   * Reads the channel's values of open reconciliation item {@code item}'s cells, beside truth.
   *
   * @throws AdminException not found, or conflict when the item is closed or a dead letter
   */
  public ConflictResolver.View conflict(String item) {
    openConflict(item);
    return await(new ConflictResolver(engine).show(item));
  }

  /**
   * Resolves open reconciliation item {@code item} as {@code how}, ledgered with {@code by};
   * returns how many cells were re-pushed or accepted into truth.
   *
   * @throws AdminException not found, or conflict when the item is closed or a dead letter
   */
  public int resolve(String item, ConflictResolver.Resolution how, String by) {
    openConflict(item);
    return await(new ConflictResolver(engine).resolve(item, how, by));
  }

  private void openConflict(String id) {
    QueueItem item = queues.item(id);
    if (item.queue() != QueueItem.Queue.RECONCILIATION) {
      throw AdminException.conflict(
          "no open reconciliation item " + id + ": it is a dead letter (replay or discard it)");
    }
    if (item.state() != QueueItem.State.OPEN) {
      throw AdminException.conflict(
          "no open reconciliation item "
              + id
              + ": it is already "
              + ItemFilter.stateName(item.state())
              + " (at "
              + item.closedAt()
              + ")");
    }
  }

  /**
   * {@code yyyy-MM-dd}.
   *
   * @throws AdminException naming {@code field} otherwise
   */
  public static LocalDate parseDate(String field, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw AdminException.badInput(field, field + ": '" + value + "' is not a date (yyyy-MM-dd)");
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
      throw new IllegalStateException(cause.toString(), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException("reading the channels took longer than " + DEFAULT_WAIT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the channels", e);
    }
  }

  /**
   * A report's summary.
   *
   * @param id the report's id
   * @param status {@code CLEAN}, {@code AUTO_CORRECTED}, {@code REVIEW}, ...
   * @param createdAt when the pass ran
   * @param from the first date, or null when the stored report has none
   * @param to the last date, inclusive, or null when the stored report has none
   * @param groups one per channel and property
   */
  public record ReportSummary(
      String id,
      String status,
      String createdAt,
      @Nullable String from,
      @Nullable String to,
      List<GroupView> groups) {}

  /**
   * One channel and property of a report.
   *
   * @param counts cells per drift class
   */
  public record GroupView(
      String channel,
      String property,
      String status,
      int compared,
      int drifted,
      double driftPercent,
      Map<String, Integer> counts,
      int repushed,
      @Nullable String note) {}

  /**
   * A conflict's cells, truth beside the channel's value.
   *
   * @param item the reconciliation item
   * @param channel its channel
   * @param property its property
   * @param cells one per cell of its batch
   */
  public record ConflictView(String item, String channel, String property, List<SideView> cells) {}

  /**
   * One cell of a conflict.
   *
   * @param truth truth's values, described
   * @param channel the channel's values, described, or null when it holds nothing
   * @param agree whether they are the same
   */
  public record SideView(
      String roomType,
      @Nullable String ratePlan,
      String date,
      String truth,
      @Nullable String channel,
      boolean agree) {}

  /** The summary view of report {@code r}. */
  public static ReportSummary summary(ReconciliationReport r) {
    return new ReportSummary(
        r.id(),
        r.status().name(),
        r.createdAt().toString(),
        r.from() == null ? null : r.from().toString(),
        r.to() == null ? null : r.to().toString(),
        r.groups().stream().map(ReconcileAdmin::group).toList());
  }

  private static GroupView group(ReconciliationReport.Group g) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    g.counts().forEach((DriftClass k, Integer v) -> counts.put(k.name(), v));
    return new GroupView(
        g.channel(),
        g.property(),
        g.status().name(),
        g.compared(),
        g.drifted(),
        g.driftPercent(),
        counts,
        g.repushed(),
        g.note());
  }

  /** The view of conflict {@code v}: each cell with truth beside the channel's value. */
  public static ConflictView view(ConflictResolver.View v) {
    return new ConflictView(
        v.item(),
        v.channel(),
        v.property(),
        v.cells().stream()
            .map(
                s ->
                    new SideView(
                        s.cell().roomType(),
                        s.cell().ratePlan(),
                        s.cell().date().toString(),
                        ReportWriters.describe(s.cell().values()),
                        s.channel() == null ? null : ReportWriters.describe(s.channel()),
                        s.agree()))
            .toList());
  }
}
