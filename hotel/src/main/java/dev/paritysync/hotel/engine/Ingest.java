package dev.paritysync.hotel.engine;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.UnmappedReport;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ids;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Accepts PMS changes: validates them, then in one transaction takes the next version, merges each
 * change into the truth (only the fields it sets), sets that version pending in the outbox of every
 * channel whose mapping maps the cell — overwriting an older pending version, which is how a
 * channel's backlog coalesces to one version per cell — records the changes, and appends {@code
 * change.accepted} to the ledger. A version in flight is left alone. When {@link #accept} returns,
 * the changes are durable.
 *
 * <p>A call may carry many changes and many cells (10,000 cells per call is the expected bulk
 * size); all its cells share one version, and a later change in the list wins over an earlier one
 * for the same cell. Thread-safe.
 *
 * <p>{@link #acceptAll} writes the calls of many callers in one transaction (group commit): each
 * call keeps its own version, ids and answer, as if the calls had been accepted one after another
 * in the order given, but every cell's truth and outbox rows are written once.
 *
 * <p>Each call runs in a {@code paritysync.ingest} span whose {@code traceparent} is stored with
 * the changes, so the delivery attempts continue its trace (see {@link EngineTraces}); an engine
 * built with a meter registry counts the changes accepted and rejected ({@link EngineMetrics}).
 */
public final class Ingest {
  private static final String UPSERT_TRUTH =
      "INSERT INTO ari_truth (property, room_type, rate_plan, date, version, "
          + Rows.VALUE_COLUMNS
          + ", change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (property, room_type, rate_plan, date) DO UPDATE SET"
          + " version = excluded.version,"
          + " rate = COALESCE(excluded.rate, ari_truth.rate),"
          + " currency = COALESCE(excluded.currency, ari_truth.currency),"
          + " availability = COALESCE(excluded.availability, ari_truth.availability),"
          + " min_los = COALESCE(excluded.min_los, ari_truth.min_los),"
          + " max_los = COALESCE(excluded.max_los, ari_truth.max_los),"
          + " closed = COALESCE(excluded.closed, ari_truth.closed),"
          + " closed_to_arrival = COALESCE(excluded.closed_to_arrival,"
          + " ari_truth.closed_to_arrival),"
          + " closed_to_departure = COALESCE(excluded.closed_to_departure,"
          + " ari_truth.closed_to_departure),"
          + " change_id = excluded.change_id";
  private static final String UPSERT_OUTBOX =
      "INSERT INTO ari_outbox (channel, property, room_type, rate_plan, date, pending_version,"
          + " pending_kinds, pending_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (channel, property, room_type, rate_plan, date) DO UPDATE SET"
          + " pending_version = excluded.pending_version,"
          // the priority lanes (Lanes): a cell that coalesces keeps every class and its age
          + " pending_kinds = CASE WHEN ari_outbox.pending_version IS NULL"
          + " THEN excluded.pending_kinds"
          + " ELSE ari_outbox.pending_kinds | excluded.pending_kinds END,"
          + " pending_since = CASE WHEN ari_outbox.pending_version IS NULL"
          + " THEN excluded.pending_since ELSE ari_outbox.pending_since END";
  private static final int JDBC_BATCH = 1_000;

  private final Database db;
  private final ChangeValidator validator;
  private final Map<String, ChannelMapping> channels;
  private final Ledger ledger;
  private final Clock clock;
  private final @Nullable EngineMetrics metrics;
  private final EngineTraces traces;

  /**
   * An ingest writing to {@code db}, checking changes with {@code validator}, and feeding the
   * outbox of each channel in {@code channels} (channel name → its mapping).
   */
  public Ingest(
      Database db,
      ChangeValidator validator,
      Map<String, ChannelMapping> channels,
      Ledger ledger,
      Clock clock) {
    this(db, validator, channels, ledger, clock, null, OpenTelemetry.noop());
  }

  /** As above, counting changes in {@code metrics} (when not null) and tracing calls. */
  Ingest(
      Database db,
      ChangeValidator validator,
      Map<String, ChannelMapping> channels,
      Ledger ledger,
      Clock clock,
      @Nullable EngineMetrics metrics,
      OpenTelemetry otel) {
    this.db = Objects.requireNonNull(db, "db");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.channels = Map.copyOf(channels);
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = metrics;
    this.traces = new EngineTraces(otel, clock);
  }

  /**
   * Makes {@code changes} durable, all or nothing.
   *
   * @throws ChangesRejected when any change is invalid, listing every error; nothing is written
   * @throws dev.paritysync.store.StoreException when the database fails; nothing is written
   */
  public Accepted accept(List<Change> changes) {
    Objects.requireNonNull(changes, "changes");
    return observed(
        changes,
        traceparent -> {
          Prepared p = prepare(List.of(changes), Set.of());
          return db.inTransaction(c -> p.write(c, Arrays.asList(traceparent)).get(0));
        });
  }

  /**
   * Makes {@code changes} durable inside the caller's transaction {@code c}, setting them pending
   * in the outbox of every channel except those named in {@code exceptChannels}: how a reservation
   * taken by one channel reaches all the others (the channel that took it already holds it). The
   * changes commit or roll back with {@code c}.
   *
   * @throws ChangesRejected when any change is invalid, listing every error; nothing is written
   *     (the check runs before any statement, so {@code c} stays usable)
   */
  public Accepted accept(Connection c, List<Change> changes, Set<String> exceptChannels)
      throws SQLException {
    Objects.requireNonNull(c, "connection");
    Objects.requireNonNull(exceptChannels, "exceptChannels");
    Objects.requireNonNull(changes, "changes");
    return observed(
        changes,
        traceparent ->
            prepare(List.of(changes), exceptChannels).write(c, Arrays.asList(traceparent)).get(0));
  }

  /**
   * One caller's changes for {@link #acceptAll}, with the trace context it came from (its ingest
   * span is a child of that context's span). Immutable.
   *
   * @param changes the changes, checked with {@link #check} before
   * @param parent the caller's trace context
   */
  public record Call(List<Change> changes, io.opentelemetry.context.Context parent) {
    public Call {
      changes = List.copyOf(changes);
      Objects.requireNonNull(parent, "parent");
    }
  }

  /**
   * Makes every call of {@code calls} durable inside the caller's transaction {@code c}, as if
   * {@link #accept(Connection, List, Set)} had run for each in the order given (no channel
   * excepted): each call takes its own version, the next after the previous call's, and gets its
   * own {@link Accepted}; a cell several calls write carries the fields each sets, a later call
   * winning, and the version of the last call that wrote it. Every cell's truth and outbox rows are
   * written once, however many calls write it: the point of a group commit. Each call has its own
   * ingest span. The calls commit or roll back with {@code c}, all together.
   *
   * @return one answer per call, in the order of {@code calls}
   * @throws ChangesRejected when a change of any call is invalid (callers check each call first, so
   *     that one caller's errors do not fail the others); nothing is written
   */
  public List<Accepted> acceptAll(Connection c, List<Call> calls) throws SQLException {
    Objects.requireNonNull(c, "connection");
    if (calls.isEmpty()) {
      return List.of();
    }
    List<Span> spans = new ArrayList<>(calls.size());
    List<String> traceparents = new ArrayList<>(calls.size());
    for (Call call : calls) {
      try (Scope ignored = call.parent().makeCurrent()) {
        Span span = traces.startIngest(call.changes().size());
        spans.add(span);
        traceparents.add(EngineTraces.traceparent(span));
      }
    }
    try {
      List<Accepted> out =
          prepare(calls.stream().map(Call::changes).toList(), Set.of()).write(c, traceparents);
      for (int i = 0; i < calls.size(); i++) {
        spans.get(i).setAttribute(EngineTraces.VERSION, out.get(i).version());
        if (metrics != null) {
          metrics.ingested(calls.get(i).changes().size());
        }
      }
      return out;
    } catch (SQLException | RuntimeException e) {
      for (Span span : spans) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR);
      }
      throw e;
    } finally {
      spans.forEach(traces::end);
    }
  }

  /**
   * Checks {@code changes} as {@link #accept} would, without writing: a caller holding untrusted
   * input runs it before opening the transaction, so no lock is held while changes are checked.
   * Rejections count as rejected changes.
   *
   * @throws ChangesRejected when any change is invalid, listing every error
   */
  public void check(List<Change> changes) {
    Objects.requireNonNull(changes, "changes");
    List<FieldError> errors = validator.validate(changes);
    if (!errors.isEmpty()) {
      if (metrics != null) {
        metrics.rejected(changes.size());
      }
      throw new ChangesRejected(errors);
    }
  }

  /** What an ingest call does, given its span's traceparent (null when tracing is off). */
  private interface Work<E extends Exception> {
    Accepted run(@Nullable String traceparent) throws E;
  }

  /**
   * Runs {@code call} in an ingest span (see {@link EngineTraces}) and counts its changes as
   * accepted or rejected.
   */
  private <E extends Exception> Accepted observed(List<Change> changes, Work<E> call) throws E {
    Span span = traces.startIngest(changes.size());
    try (Scope ignored = span.makeCurrent()) {
      Accepted a = call.run(EngineTraces.traceparent(span));
      span.setAttribute(EngineTraces.VERSION, a.version());
      if (metrics != null) {
        metrics.ingested(changes.size());
      }
      return a;
    } catch (ChangesRejected e) {
      if (metrics != null) {
        metrics.rejected(changes.size());
      }
      span.setStatus(StatusCode.ERROR, "changes rejected");
      throw e;
    } catch (Exception e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      traces.end(span);
    }
  }

  /** The calls' changes validated and merged, ready to write; {@code calls} in order. */
  private Prepared prepare(List<List<Change>> calls, Set<String> except) {
    List<Change> changes = new ArrayList<>();
    List<Integer> firsts = new ArrayList<>(calls.size() + 1);
    for (List<Change> call : calls) {
      List<FieldError> errors = validator.validate(call);
      if (!errors.isEmpty()) {
        throw new ChangesRejected(errors);
      }
      firsts.add(changes.size());
      changes.addAll(call);
    }
    firsts.add(changes.size());
    List<String> changeIds = new ArrayList<>(changes.size());
    List<String> correlationIds = new ArrayList<>(changes.size());
    List<List<Cell>> cellsByChange = new ArrayList<>(changes.size());
    for (Change change : changes) {
      changeIds.add(Ids.next(clock));
      correlationIds.add(Ids.next(clock));
      cellsByChange.add(MergedCell.cellsOf(change));
    }
    return new Prepared(
        changes,
        firsts,
        changeIds,
        correlationIds,
        cellsByChange,
        MergedCell.merge(cellsByChange),
        except);
  }

  /** Per channel, the cells of {@code cells} its mapping has no code for; absent when none. */
  private Map<String, UnmappedReport> unmapped(List<Cell> cells, Set<String> except) {
    Map<String, UnmappedReport> unmapped = new LinkedHashMap<>();
    channels.forEach(
        (name, mapping) -> {
          if (except.contains(name)) {
            return;
          }
          UnmappedReport report = mapping.unmapped(cells);
          if (!report.isEmpty()) {
            unmapped.put(name, report);
          }
        });
    return unmapped;
  }

  /**
   * Validated calls, ready to be written in one transaction: their changes in one list, call {@code
   * k} holding those from {@code firsts[k]} up to {@code firsts[k + 1]}.
   */
  private final class Prepared {
    final List<Change> changes;
    final List<Integer> firsts;
    final List<String> changeIds;
    final List<String> correlationIds;
    final List<List<Cell>> cellsByChange;
    final List<MergedCell> merged;
    final Set<String> except;

    Prepared(
        List<Change> changes,
        List<Integer> firsts,
        List<String> changeIds,
        List<String> correlationIds,
        List<List<Cell>> cellsByChange,
        List<MergedCell> merged,
        Set<String> except) {
      this.changes = changes;
      this.firsts = firsts;
      this.changeIds = changeIds;
      this.correlationIds = correlationIds;
      this.cellsByChange = cellsByChange;
      this.merged = merged;
      this.except = except;
    }

    /** Writes every call, call {@code k} with {@code traceparents[k]} (null when not traced). */
    List<Accepted> write(Connection c, List<String> traceparents) throws SQLException {
      int calls = firsts.size() - 1;
      long first = nextVersions(c, calls);
      long[] versions = new long[changes.size()];
      String[] parents = new String[changes.size()];
      for (int k = 0; k < calls; k++) {
        for (int i = firsts.get(k); i < firsts.get(k + 1); i++) {
          versions[i] = first + k;
          parents[i] = traceparents.get(k);
        }
      }
      long now = clock.millis();
      ChangeRows.insert(c, changes, changeIds, correlationIds, versions, now, parents);
      writeTruth(c, merged, changeIds, versions);
      long outboxRows = writeOutboxes(c, merged, versions, now, except);
      PlannerStatistics.afterLoad(c, db.dialect(), outboxRows);
      List<LedgerEntry> accepted = new ArrayList<>(changes.size());
      for (int i = 0; i < changes.size(); i++) {
        accepted.add(
            ledger
                .entry("change.accepted")
                .withCorrelationId(correlationIds.get(i))
                .withSubject(changeIds.get(i))
                .withAttribute("version", versions[i])
                .withAttribute("property", changes.get(i).property())
                .withAttribute("cells", cellsByChange.get(i).size())
                .build());
      }
      ledger.append(c, accepted);
      List<Accepted> out = new ArrayList<>(calls);
      for (int k = 0; k < calls; k++) {
        int from = firsts.get(k);
        int to = firsts.get(k + 1);
        List<Cell> cells = cellsByChange.subList(from, to).stream().flatMap(List::stream).toList();
        out.add(
            new Accepted(
                first + k,
                changeIds.subList(from, to),
                correlationIds.subList(from, to),
                cells.size(),
                unmapped(cells, except)));
      }
      return out;
    }
  }

  /** Takes the next {@code n} versions and returns the first of them. */
  private static long nextVersions(Connection c, int n) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE ari_version SET version = version + ? WHERE id = 1")) {
      ps.setLong(1, n);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM ari_version WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1) - n + 1;
    }
  }

  private static void writeTruth(
      Connection c, List<MergedCell> cells, List<String> changeIds, long[] versions)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_TRUTH)) {
      int pending = 0;
      for (MergedCell m : cells) {
        ps.setString(1, m.key().property());
        ps.setString(2, m.key().roomType());
        ps.setString(3, m.key().ratePlan());
        ps.setString(4, m.key().date().toString());
        ps.setLong(5, versions[m.change()]);
        Rows.setString(ps, 6, (String) m.value(0));
        Rows.setString(ps, 7, (String) m.value(1));
        for (int i = 2; i < 8; i++) {
          Rows.setInt(ps, 6 + i, (Integer) m.value(i));
        }
        ps.setString(14, changeIds.get(m.change()));
        ps.addBatch();
        if (++pending == JDBC_BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
  }

  /** Sets each cell pending in the outbox of every channel that maps it; returns the rows. */
  private long writeOutboxes(
      Connection c, List<MergedCell> cells, long[] versions, long now, Set<String> except)
      throws SQLException {
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(UPSERT_OUTBOX)) {
      int pending = 0;
      for (String channel : new TreeSet<>(channels.keySet())) {
        if (except.contains(channel)) {
          continue;
        }
        ChannelMapping mapping = Objects.requireNonNull(channels.get(channel), channel);
        for (MergedCell m : cells) {
          if (mapping.map(m.cell()).isEmpty()) {
            continue;
          }
          ps.setString(1, channel);
          ps.setString(2, m.key().property());
          ps.setString(3, m.key().roomType());
          ps.setString(4, m.key().ratePlan());
          ps.setString(5, m.key().date().toString());
          ps.setLong(6, versions[m.change()]);
          ps.setInt(7, Lanes.kinds(m));
          ps.setLong(8, now);
          ps.addBatch();
          rows++;
          if (++pending == JDBC_BATCH) {
            ps.executeBatch();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    return rows;
  }
}
