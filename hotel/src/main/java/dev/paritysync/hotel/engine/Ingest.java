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
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
  private final EngineMetrics metrics;
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
      EngineMetrics metrics,
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
          Prepared p = prepare(changes, Set.of());
          return db.inTransaction(c -> p.write(c, traceparent));
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
    return observed(changes, traceparent -> prepare(changes, exceptChannels).write(c, traceparent));
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
  private interface Call<E extends Exception> {
    Accepted run(String traceparent) throws E;
  }

  /**
   * Runs {@code call} in an ingest span (see {@link EngineTraces}) and counts its changes as
   * accepted or rejected.
   */
  private <E extends Exception> Accepted observed(List<Change> changes, Call<E> call) throws E {
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

  private Prepared prepare(List<Change> changes, Set<String> except) {
    Objects.requireNonNull(changes, "changes");
    List<FieldError> errors = validator.validate(changes);
    if (!errors.isEmpty()) {
      throw new ChangesRejected(errors);
    }
    List<String> changeIds = new ArrayList<>(changes.size());
    List<String> correlationIds = new ArrayList<>(changes.size());
    List<List<Cell>> cellsByChange = new ArrayList<>(changes.size());
    for (Change change : changes) {
      changeIds.add(Ids.next(clock));
      correlationIds.add(Ids.next(clock));
      cellsByChange.add(MergedCell.cellsOf(change));
    }
    Map<String, UnmappedReport> unmapped = new LinkedHashMap<>();
    List<Cell> all = cellsByChange.stream().flatMap(List::stream).toList();
    channels.forEach(
        (name, mapping) -> {
          if (except.contains(name)) {
            return;
          }
          UnmappedReport report = mapping.unmapped(all);
          if (!report.isEmpty()) {
            unmapped.put(name, report);
          }
        });
    return new Prepared(
        changes,
        changeIds,
        correlationIds,
        cellsByChange,
        all,
        unmapped,
        MergedCell.merge(cellsByChange),
        except);
  }

  /** A validated call, ready to be written in one transaction. */
  private final class Prepared {
    final List<Change> changes;
    final List<String> changeIds;
    final List<String> correlationIds;
    final List<List<Cell>> cellsByChange;
    final List<Cell> all;
    final Map<String, UnmappedReport> unmapped;
    final List<MergedCell> merged;
    final Set<String> except;

    Prepared(
        List<Change> changes,
        List<String> changeIds,
        List<String> correlationIds,
        List<List<Cell>> cellsByChange,
        List<Cell> all,
        Map<String, UnmappedReport> unmapped,
        List<MergedCell> merged,
        Set<String> except) {
      this.changes = changes;
      this.changeIds = changeIds;
      this.correlationIds = correlationIds;
      this.cellsByChange = cellsByChange;
      this.all = all;
      this.unmapped = unmapped;
      this.merged = merged;
      this.except = except;
    }

    Accepted write(Connection c, String traceparent) throws SQLException {
      long version = nextVersion(c);
      long now = clock.millis();
      insertChanges(c, changes, changeIds, correlationIds, version, now, traceparent);
      writeTruth(c, merged, changeIds, version);
      writeOutboxes(c, merged, version, now, except);
      for (int i = 0; i < changes.size(); i++) {
        ledger.append(
            c,
            ledger
                .entry("change.accepted")
                .withCorrelationId(correlationIds.get(i))
                .withSubject(changeIds.get(i))
                .withAttribute("version", version)
                .withAttribute("property", changes.get(i).property())
                .withAttribute("cells", cellsByChange.get(i).size())
                .build());
      }
      return new Accepted(version, changeIds, correlationIds, all.size(), unmapped);
    }
  }

  private static long nextVersion(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE ari_version SET version = version + 1 WHERE id = 1")) {
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM ari_version WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void insertChanges(
      Connection c,
      List<Change> changes,
      List<String> ids,
      List<String> correlationIds,
      long version,
      long now,
      String traceparent)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ari_changes (id, correlation_id, version, received_at, payload,"
                + " traceparent) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < changes.size(); i++) {
        ps.setString(1, ids.get(i));
        ps.setString(2, correlationIds.get(i));
        ps.setLong(3, version);
        ps.setLong(4, now);
        ps.setString(5, Rows.json(payload(changes.get(i)), "change " + ids.get(i)));
        Rows.setString(ps, 6, traceparent);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Map<String, Object> payload(Change change) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("property", change.property());
    p.put("roomType", change.roomType());
    p.put("ratePlan", change.ratePlan());
    p.put("from", change.from().toString());
    p.put("to", change.to().toString());
    if (change.rate() != null) {
      p.put("rate", change.rate().amount().toPlainString());
      p.put("currency", change.rate().currency());
    }
    p.put("availability", change.availability());
    if (change.restrictions() != null) {
      p.put("minLos", change.restrictions().minLos());
      p.put("maxLos", change.restrictions().maxLos());
      p.put("closed", change.restrictions().closed());
      p.put("closedToArrival", change.restrictions().closedToArrival());
      p.put("closedToDeparture", change.restrictions().closedToDeparture());
    }
    return p;
  }

  private static void writeTruth(
      Connection c, List<MergedCell> cells, List<String> changeIds, long version)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_TRUTH)) {
      int pending = 0;
      for (MergedCell m : cells) {
        ps.setString(1, m.key().property());
        ps.setString(2, m.key().roomType());
        ps.setString(3, m.key().ratePlan());
        ps.setString(4, m.key().date().toString());
        ps.setLong(5, version);
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

  private void writeOutboxes(
      Connection c, List<MergedCell> cells, long version, long now, Set<String> except)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_OUTBOX)) {
      int pending = 0;
      for (String channel : new TreeSet<>(channels.keySet())) {
        if (except.contains(channel)) {
          continue;
        }
        ChannelMapping mapping = channels.get(channel);
        for (MergedCell m : cells) {
          if (mapping.map(m.cell()).isEmpty()) {
            continue;
          }
          ps.setString(1, channel);
          ps.setString(2, m.key().property());
          ps.setString(3, m.key().roomType());
          ps.setString(4, m.key().ratePlan());
          ps.setString(5, m.key().date().toString());
          ps.setLong(6, version);
          ps.setInt(7, Lanes.kinds(m));
          ps.setLong(8, now);
          ps.addBatch();
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
  }
}
