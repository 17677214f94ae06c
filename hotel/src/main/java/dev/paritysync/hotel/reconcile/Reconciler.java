package dev.paritysync.hotel.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.engine.ChannelReader;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ids;
import dev.paritysync.store.Ledger;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Reconciles channels against truth: reads each channel's snapshot of each property through the
 * engine's {@link ChannelReader} (same quota, circuit and credentials as pushes, at lower
 * priority), compares it with truth as of the versions the channel acknowledged, and classifies
 * every differing cell ({@link DriftClass}).
 *
 * <p>Then, per channel and property: no drift is {@code CLEAN}; drift within the channel's {@link
 * Thresholds} is re-pushed at once ({@link HotelEngine#repush}, that channel only) and the group is
 * {@code AUTO_CORRECTED}; drift over them is flagged {@code REVIEW} and nothing is pushed until
 * {@link #approve} is called. A channel whose adapter cannot read it, or whose read fails, is
 * {@code UNREADABLE} with the reason. Every report is stored ({@link ReportStore}) and ledgered
 * ({@code reconcile.report}, {@code reconcile.repushed}, {@code reconcile.approved}). Thread-safe.
 */
public final class Reconciler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<DriftCell> ORDER =
      Comparator.comparing(DriftCell::roomType)
          .thenComparing(DriftCell::ratePlan, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(DriftCell::date, Comparator.nullsFirst(Comparator.naturalOrder()));

  private final HotelEngine engine;
  private final Database db;
  private final Clock clock;
  private final Ledger ledger;
  private final ReportStore store;
  private final Thresholds thresholds;
  private final Map<String, Thresholds> perChannel;

  private Reconciler(Builder b) {
    // build() checked these already; said again where the compiler can see it
    this.engine = Objects.requireNonNull(b.engine, "engine");
    this.db = Objects.requireNonNull(b.db, "database");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.ledger = new Ledger(clock);
    this.store = new ReportStore(db);
    this.thresholds = b.thresholds;
    this.perChannel = Map.copyOf(b.perChannel);
  }

  /** Starts a builder; engine, database and clock are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store the reports go to. */
  public ReportStore store() {
    return store;
  }

  /**
   * Reconciles {@code channels} (all the engine's when empty) for {@code properties} from {@code
   * from} to {@code to}, inclusive; corrects or flags the drift, stores and returns the report.
   *
   * @throws IllegalArgumentException naming an unknown channel, or when {@code to} is before {@code
   *     from}
   */
  public CompletableFuture<ReconciliationReport> run(
      List<String> channels, List<String> properties, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    List<String> chs = channels.isEmpty() ? engine.channels() : List.copyOf(channels);
    List<ReconciliationReport.Group> groups = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (String channel : chs) {
      Optional<ChannelReader> reader = engine.reader(channel);
      for (String property : properties) {
        if (reader.isEmpty()) {
          // In the chain, so groups keep the order read and the list one writer at a time.
          chain =
              chain.thenRun(
                  () ->
                      groups.add(
                          unreadable(
                              channel, property, "channel cannot be read: no snapshot API")));
          continue;
        }
        chain =
            chain
                .thenCompose(x -> reader.get().read(property, from, to))
                .handle(
                    (snapshot, failure) -> {
                      groups.add(
                          failure == null
                              ? compare(channel, property, from, to, snapshot)
                              : unreadable(channel, property, reason(failure)));
                      return null;
                    });
      }
    }
    String id = Ids.next(clock);
    return chain.thenApply(
        x -> {
          List<ReconciliationReport.Group> decided = new ArrayList<>();
          for (ReconciliationReport.Group g : groups) {
            decided.add(decide(id, g));
          }
          ReconciliationReport report =
              new ReconciliationReport(
                  id, clock.instant(), from, to, ReconciliationReport.statusOf(decided), decided);
          db.inTransactionRun(
              c -> {
                store.save(c, report);
                ledger.append(
                    c,
                    ledger
                        .entry("reconcile.report")
                        .withSubject(id)
                        .withAttribute("status", report.status().name())
                        .withAttribute(
                            "drifted",
                            decided.stream().mapToInt(ReconciliationReport.Group::drifted).sum())
                        .withAttribute("groups", decided.size())
                        .build());
              });
          return report;
        });
  }

  /**
   * Approves stored report {@code id}: every group flagged {@code REVIEW} is re-pushed (to its
   * channel only) and becomes {@code APPROVED}; the decision is ledgered ({@code
   * reconcile.approved}) with {@code approvedBy}. Returns the updated report.
   *
   * @throws IllegalArgumentException when no report has {@code id}, or it is not waiting for review
   */
  public ReconciliationReport approve(String id, String approvedBy) {
    ReconciliationReport report =
        store
            .find(id)
            .orElseThrow(() -> new IllegalArgumentException("no reconciliation report " + id));
    if (report.status() != ReconciliationReport.Status.REVIEW) {
      throw new IllegalArgumentException(
          "reconciliation report " + id + " is " + report.status() + ", not waiting for review");
    }
    List<ReconciliationReport.Group> groups = new ArrayList<>();
    int total = 0;
    for (ReconciliationReport.Group g : report.groups()) {
      if (g.status() == ReconciliationReport.Status.REVIEW) {
        int n = engine.repush(g.channel(), g.property(), cells(g), id, "approved");
        total += n;
        groups.add(g.withStatus(ReconciliationReport.Status.APPROVED, n));
      } else {
        groups.add(g);
      }
    }
    ReconciliationReport approved = report.withGroups(groups);
    int cells = total;
    db.inTransactionRun(
        c -> {
          store.update(c, approved, clock.millis(), approvedBy);
          ledger.append(
              c,
              ledger
                  .entry("reconcile.approved")
                  .withSubject(id)
                  .withAttribute("approvedBy", approvedBy)
                  .withAttribute("cells", cells)
                  .build());
        });
    return approved;
  }

  private ReconciliationReport.Group decide(String id, ReconciliationReport.Group g) {
    if (g.status() == ReconciliationReport.Status.UNREADABLE || g.drifted() == 0) {
      return g;
    }
    Thresholds t = perChannel.getOrDefault(g.channel(), thresholds);
    if (!t.allows(g.drifted(), g.driftPercent())) {
      return g.withStatus(ReconciliationReport.Status.REVIEW, 0);
    }
    int n = engine.repush(g.channel(), g.property(), cells(g), id, "auto-correct");
    return g.withStatus(ReconciliationReport.Status.AUTO_CORRECTED, n);
  }

  private static List<Cell> cells(ReconciliationReport.Group g) {
    return g.correctable().stream()
        // correctable cells are mapped and dated, and truth has them
        .map(
            c ->
                new Cell(
                    g.property(),
                    c.roomType(),
                    c.ratePlan(),
                    Objects.requireNonNull(c.date(), "date"),
                    Objects.requireNonNull(c.truth(), "truth")))
        .toList();
  }

  private static ReconciliationReport.Group unreadable(
      String channel, String property, String note) {
    return new ReconciliationReport.Group(
        channel, property, 0, List.of(), ReconciliationReport.Status.UNREADABLE, 0, note);
  }

  private static String reason(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private record Key(String roomType, @Nullable String ratePlan, LocalDate date) {
    static Key of(Cell c) {
      return new Key(c.roomType(), c.ratePlan(), c.date());
    }
  }

  /** Classifies every cell of the snapshot and of truth in the range. */
  ReconciliationReport.Group compare(
      String channel,
      String property,
      LocalDate from,
      LocalDate to,
      ChannelAdapter.Snapshot snapshot) {
    Map<Key, CellValues> held = new LinkedHashMap<>();
    for (Cell c : snapshot.cells()) {
      if (!c.date().isBefore(from) && !c.date().isAfter(to)) {
        held.put(Key.of(c), c.values());
      }
    }
    List<DriftCell> out = new ArrayList<>();
    Map<Key, List<Versioned>> history = null;
    int compared = 0;
    for (HotelEngine.CellState s : engine.cells(channel, property)) {
      Cell t = s.cell();
      if (t.date().isBefore(from) || t.date().isAfter(to)) {
        continue;
      }
      compared++;
      Key key = Key.of(t);
      CellValues ch = held.remove(key);
      if (ch != null && matches(t.values(), ch)) {
        continue;
      }
      DriftClass kind;
      if (s.inFlight() != null) {
        kind = DriftClass.IN_FLIGHT;
      } else if (s.pending() != null || !s.atParity()) {
        kind = DriftClass.QUEUED;
      } else if (ch == null) {
        kind = DriftClass.MISSING;
      } else {
        if (history == null) {
          history = history(property);
        }
        kind =
            sentBefore(history.getOrDefault(key, List.of()), s.acknowledged(), ch)
                ? DriftClass.STALE
                : DriftClass.UNKNOWN_VALUE;
      }
      out.add(
          new DriftCell(kind, t.roomType(), t.ratePlan(), t.date(), t.values(), ch, s.version()));
    }
    held.forEach(
        (k, v) ->
            out.add(
                new DriftCell(
                    DriftClass.UNKNOWN_VALUE,
                    k.roomType(),
                    k.ratePlan(),
                    k.date(),
                    null,
                    v,
                    null)));
    for (String code : snapshot.unmapped()) {
      out.add(new DriftCell(DriftClass.UNMAPPED, code, null, null, null, null, null));
    }
    out.sort(ORDER);
    return new ReconciliationReport.Group(
        channel, property, compared, out, ReconciliationReport.Status.CLEAN, 0, null);
  }

  /**
   * Whether the channel holds what {@code truth} sets: every field truth has a value for is equal
   * (rates numerically; currencies only when the channel reports one: Channex's snapshot has none).
   * Fields truth never set are not compared.
   */
  static boolean matches(CellValues truth, CellValues channel) {
    if (truth.rate() != null) {
      Rate c = channel.rate();
      if (c == null || c.amount() == null || truth.rate().amount().compareTo(c.amount()) != 0) {
        return false;
      }
      if (c.currency() != null && !c.currency().equals(truth.rate().currency())) {
        return false;
      }
    }
    if (truth.availability() != null && !truth.availability().equals(channel.availability())) {
      return false;
    }
    Restrictions r = truth.restrictions();
    if (r != null) {
      Restrictions c =
          channel.restrictions() == null ? Restrictions.none() : channel.restrictions();
      return same(r.minLos(), c.minLos())
          && same(r.maxLos(), c.maxLos())
          && same(r.closed(), c.closed())
          && same(r.closedToArrival(), c.closedToArrival())
          && same(r.closedToDeparture(), c.closedToDeparture());
    }
    return true;
  }

  private static boolean same(@Nullable Object truth, @Nullable Object channel) {
    return truth == null || truth.equals(channel);
  }

  private static boolean sentBefore(
      List<Versioned> history, @Nullable Long acked, CellValues channel) {
    for (Versioned v : history) {
      if (acked != null && v.version() < acked && matches(v.values(), channel)) {
        return true;
      }
    }
    return false;
  }

  private record Versioned(long version, CellValues values) {}

  /**
   * Per cell of {@code property}, its value after each accepted version, rebuilt from the changes
   * as ingest merged them (a later change wins per field).
   */
  private Map<Key, List<Versioned>> history(String property) {
    Map<Key, List<Versioned>> out = new HashMap<>();
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT version, payload FROM ari_changes ORDER BY version, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              JsonNode p;
              try {
                p = JSON.readTree(rs.getString(2));
              } catch (IOException e) {
                throw new IllegalStateException("ari_changes payload is not JSON", e);
              }
              if (property.equals(p.path("property").asText())) {
                apply(out, rs.getLong(1), p);
              }
            }
          }
          return out;
        });
  }

  private static void apply(Map<Key, List<Versioned>> out, long version, JsonNode p) {
    String room = p.get("roomType").asText();
    String plan = p.hasNonNull("ratePlan") ? p.get("ratePlan").asText() : null;
    LocalDate from = LocalDate.parse(p.get("from").asText());
    LocalDate to = LocalDate.parse(p.get("to").asText());
    Rate rate =
        p.hasNonNull("rate")
            ? new Rate(new BigDecimal(p.get("rate").asText()), text(p, "currency"))
            : null;
    Restrictions r =
        new Restrictions(
            p.hasNonNull("minLos") ? p.get("minLos").asInt() : null,
            p.hasNonNull("maxLos") ? p.get("maxLos").asInt() : null,
            p.hasNonNull("closed") ? p.get("closed").asBoolean() : null,
            p.hasNonNull("closedToArrival") ? p.get("closedToArrival").asBoolean() : null,
            p.hasNonNull("closedToDeparture") ? p.get("closedToDeparture").asBoolean() : null);
    CellValues planValues =
        plan != null && (rate != null || !r.isEmpty())
            ? new CellValues(rate, null, r.isEmpty() ? null : r)
            : null;
    CellValues roomValues =
        p.hasNonNull("availability")
            ? CellValues.ofAvailability(p.get("availability").asInt())
            : null;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (roomValues != null) {
        merge(out, new Key(room, null, d), version, roomValues);
      }
      if (planValues != null) {
        merge(out, new Key(room, plan, d), version, planValues);
      }
    }
  }

  private static void merge(
      Map<Key, List<Versioned>> out, Key key, long version, CellValues update) {
    List<Versioned> list = out.computeIfAbsent(key, k -> new ArrayList<>());
    CellValues prior = list.isEmpty() ? null : list.get(list.size() - 1).values();
    list.add(new Versioned(version, prior == null ? update : merge(prior, update)));
  }

  private static CellValues merge(CellValues old, CellValues update) {
    Restrictions o = old.restrictions() == null ? Restrictions.none() : old.restrictions();
    Restrictions u = update.restrictions() == null ? Restrictions.none() : update.restrictions();
    Restrictions r =
        new Restrictions(
            pick(u.minLos(), o.minLos()),
            pick(u.maxLos(), o.maxLos()),
            pick(u.closed(), o.closed()),
            pick(u.closedToArrival(), o.closedToArrival()),
            pick(u.closedToDeparture(), o.closedToDeparture()));
    return new CellValues(
        pick(update.rate(), old.rate()),
        pick(update.availability(), old.availability()),
        r.isEmpty() ? null : r);
  }

  private static <T> @Nullable T pick(@Nullable T newer, @Nullable T older) {
    return newer != null ? newer : older;
  }

  private static @Nullable String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  /** Builds a {@link Reconciler}. Not thread-safe. */
  public static final class Builder {
    private @Nullable HotelEngine engine;
    private @Nullable Database db;
    private @Nullable Clock clock;
    private Thresholds thresholds = Thresholds.DEFAULTS;
    private final Map<String, Thresholds> perChannel = new HashMap<>();

    private Builder() {}

    /** The engine whose channels are read and re-pushed. */
    public Builder withEngine(HotelEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** The engine's database (truth, outboxes, changes, reports). */
    public Builder withDatabase(Database db) {
      this.db = Objects.requireNonNull(db, "db");
      return this;
    }

    /** The clock report times and ledger entries read. Required. */
    public Builder withClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Optional: the auto-correct thresholds of every channel; default {@link Thresholds#DEFAULTS}.
     */
    public Builder withThresholds(Thresholds thresholds) {
      this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
      return this;
    }

    /** Optional: {@code channel}'s own auto-correct thresholds. */
    public Builder withThresholds(String channel, Thresholds thresholds) {
      perChannel.put(
          Objects.requireNonNull(channel, "channel"),
          Objects.requireNonNull(thresholds, "thresholds"));
      return this;
    }

    /**
     * Builds the reconciler.
     *
     * @throws NullPointerException naming the first required setting that is missing
     */
    public Reconciler build() {
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(db, "database");
      Objects.requireNonNull(clock, "clock");
      return new Reconciler(this);
    }
  }
}
