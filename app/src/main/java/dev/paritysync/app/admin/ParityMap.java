package dev.paritysync.app.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.DriftCell;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportStore;
import dev.paritysync.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The parity heat map's read model: for every channel, property and night of the next {@link #DAYS}
 * days (from each property's own today, in its timezone), the state of the channel's cells of that
 * night, read-only from the engine's tables ({@code ari_truth}, {@code ari_outbox}, {@code
 * ari_batches}, {@code work_items}, {@code queue_items}, {@code reconciliation_reports}) in a few
 * queries, whatever the portfolio's size. A night's square holds several cells (room type × rate
 * plan, and the room type's availability cell); its state is the worst of theirs, in the order of
 * {@link State}. Thread-safe.
 */
public final class ParityMap {
  /** How many nights the map covers, today included. */
  public static final int DAYS = 365;

  /** How many of the newest reconciliation reports are read to find each pair's last pass. */
  static final int REPORTS_READ = 10;

  /**
   * A cell's state, and a square's: the worst of its cells', worst first (the declaration order is
   * the precedence). {@link #UNMAPPED} and {@link #NO_DATA} are a square's only: no cell of it is
   * mapped by the channel, or truth has none.
   */
  public enum State {
    /** In an open dead letter: it cannot be delivered as it is. */
    DEAD_LETTER("dead letter", "✖"),
    /** In an open reconciliation item: the channel answered that it holds it differently (409). */
    RECONCILIATION("reconciliation open", "⚑"),
    /** The last reconciliation found the channel holding another value; held for review. */
    DRIFT("drift", "≠"),
    /** Not at parity and nothing on its way: its batch was discarded from a queue. */
    STALE("stale", "!"),
    /** In a batch that failed and waits for its next attempt. */
    RETRYING("retrying", "↻"),
    /** In a batch sent or about to be sent, not yet acknowledged. */
    IN_FLIGHT("in flight", "→"),
    /** Truth changed; waiting to be batched. */
    PENDING("pending", "…"),
    /** The channel acknowledged truth's newest value. */
    AT_PARITY("at parity", "✓"),
    /** The channel maps none of the night's cells. */
    UNMAPPED("unmapped", "∅"),
    /** Truth holds no cell for the night. */
    NO_DATA("no data", "·");

    private final String word;
    private final String symbol;

    State(String word, String symbol) {
      this.word = word;
      this.symbol = symbol;
    }

    /** The state in words, as the page and its legend say it. */
    public String word() {
      return word;
    }

    /** The state's symbol, drawn in its square and in the legend. */
    public String symbol() {
      return symbol;
    }

    /** The worse of this and {@code other}. */
    State worst(State other) {
      return other.ordinal() < ordinal() ? other : this;
    }
  }

  /**
   * Which cells to count: null for all.
   *
   * @param roomType only this room type's cells, or null
   * @param ratePlan only this rate plan's cells (so no availability cell), or null
   */
  public record Filter(@Nullable String roomType, @Nullable String ratePlan) {
    /** Every cell. */
    public static final Filter ALL = new Filter(null, null);
  }

  /**
   * One channel's night of one property.
   *
   * @param date the night
   * @param state the worst state of its cells
   * @param counts how many of its cells are in each state (mapped cells only)
   * @param unmapped how many of truth's cells of the night the channel does not map
   */
  public record Square(LocalDate date, State state, Map<State, Integer> counts, int unmapped) {}

  /**
   * One channel's map of one property.
   *
   * @param property the property's code
   * @param today the first night: today in the property's timezone
   * @param squares {@link #DAYS} nights from {@code today}, in order
   */
  public record Row(String property, LocalDate today, List<Square> squares) {}

  /**
   * One channel's map.
   *
   * @param channel the channel
   * @param rows one per property of the portfolio, in its order
   */
  public record ChannelMap(String channel, List<Row> rows) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HotelEngine engine;
  private final Database db;
  private final Clock clock;

  /** The map of {@code engine}'s channels and portfolio over its database {@code db}. */
  public ParityMap(HotelEngine engine, Database db, Clock clock) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Database db() {
    return db;
  }

  /** The portfolio the map covers. */
  public Portfolio portfolio() {
    return engine.portfolio();
  }

  /** The channels, in configuration order. */
  public List<String> channels() {
    return engine.channels();
  }

  /** Today in {@code property}'s timezone, by the engine's clock. */
  public LocalDate today(Property property) {
    return LocalDate.ofInstant(clock.instant(), property.zone());
  }

  /** The map of {@code channels} (each a configured channel) for the cells {@code filter} keeps. */
  public List<ChannelMap> read(List<String> channels, Filter filter) {
    List<Property> properties = portfolio().properties();
    Map<String, LocalDate> today = new HashMap<>();
    LocalDate from = null;
    LocalDate to = null;
    for (Property p : properties) {
      LocalDate t = today(p);
      today.put(p.code(), t);
      from = from == null || t.isBefore(from) ? t : from;
      to = to == null || t.plusDays(DAYS - 1).isAfter(to) ? t.plusDays(DAYS - 1) : to;
    }
    if (from == null || to == null) {
      return channels.stream().map(ch -> new ChannelMap(ch, List.of())).toList();
    }
    Window w = new Window(from.toString(), to.toString(), filter);
    Read r = db.read(c -> read(c, w));
    Map<String, Set<String>> drifted = drifted(lastGroups(channels, properties, filter), w);
    List<ChannelMap> out = new ArrayList<>();
    for (String ch : channels) {
      List<Row> rows = new ArrayList<>();
      for (Property p : properties) {
        LocalDate t = Objects.requireNonNull(today.get(p.code()), p.code());
        Set<String> drift = drifted.getOrDefault(ch + "|" + p.code(), Set.of());
        List<Square> squares = new ArrayList<>(DAYS);
        for (int i = 0; i < DAYS; i++) {
          LocalDate d = t.plusDays(i);
          String night = p.code() + "|" + d;
          squares.add(square(d, r, ch + "|" + night, r.truth.getOrDefault(night, 0), drift));
        }
        rows.add(new Row(p.code(), t, squares));
      }
      out.add(new ChannelMap(ch, rows));
    }
    return out;
  }

  record Window(String from, String to, Filter filter) {
    /** The filter's SQL on a table aliased {@code alias}, and binds it from {@code index}. */
    String sql(String alias) {
      return (filter.roomType() == null ? "" : " AND " + alias + ".room_type = ?")
          + (filter.ratePlan() == null ? "" : " AND " + alias + ".rate_plan = ?");
    }

    int bind(PreparedStatement ps, int index) throws SQLException {
      ps.setString(index++, from);
      ps.setString(index++, to);
      if (filter.roomType() != null) {
        ps.setString(index++, filter.roomType());
      }
      if (filter.ratePlan() != null) {
        ps.setString(index++, filter.ratePlan());
      }
      return index;
    }
  }

  /**
   * What the queries found: truth's cells per night ({@code property|date}), the channels' cells
   * per state per square ({@code channel|property|date}), the parked cells ({@code
   * channel|property|roomType|ratePlan|date}) and the queue of the open item holding each.
   */
  private record Read(
      Map<String, Integer> truth,
      Map<String, EnumMap<State, Integer>> squares,
      Map<String, List<String>> parked,
      Map<String, State> queued) {}

  // A cell's own state before queues and drift: PARKED is neither pending, in flight nor at parity.
  static final String CELL_STATE =
      "CASE WHEN o.inflight_version IS NOT NULL AND b.retries > 0"
          + " AND w.state IN ('ready', 'leased') THEN 'RETRYING'"
          + " WHEN o.inflight_version IS NOT NULL THEN 'IN_FLIGHT'"
          + " WHEN o.pending_version IS NOT NULL THEN 'PENDING'"
          + " WHEN o.acked_version = t.version THEN 'AT_PARITY' ELSE 'PARKED' END";
  static final String CELLS =
      " FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
          + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan AND t.date = o.date"
          + " LEFT JOIN ari_batches b ON b.id = o.inflight_batch"
          + " LEFT JOIN work_items w ON w.id = o.inflight_batch"
          + " WHERE o.date BETWEEN ? AND ?";

  private static Read read(Connection c, Window w) throws SQLException {
    Map<String, Integer> truth = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t.property, t.date, COUNT(*) FROM ari_truth t WHERE t.date BETWEEN ? AND ?"
                + w.sql("t")
                + " GROUP BY t.property, t.date")) {
      w.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          truth.put(rs.getString(1) + "|" + rs.getString(2), rs.getInt(3));
        }
      }
    }
    Map<String, EnumMap<State, Integer>> squares = new HashMap<>();
    Map<String, List<String>> parked = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT o.channel, o.property, o.date, "
                + CELL_STATE
                + " AS s, COUNT(*)"
                + CELLS
                + w.sql("o")
                + " GROUP BY o.channel, o.property, o.date, s")) {
      w.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
          String s = rs.getString(4);
          if (s.equals("PARKED")) {
            parked.put(key, new ArrayList<>());
          } else {
            squares
                .computeIfAbsent(key, k -> new EnumMap<>(State.class))
                .merge(State.valueOf(s), rs.getInt(5), Integer::sum);
          }
        }
      }
    }
    Map<String, State> queued = new HashMap<>();
    if (!parked.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT o.channel, o.property, o.date, o.room_type, o.rate_plan"
                  + CELLS
                  + w.sql("o")
                  + " AND o.pending_version IS NULL AND o.inflight_version IS NULL"
                  + " AND (o.acked_version IS NULL OR o.acked_version <> t.version)")) {
        w.bind(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String key = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
            // (a cell parked between the two reads counts from here on)
            parked
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(rs.getString(4) + "|" + rs.getString(5));
          }
        }
      }
      openItems(c, queued);
    }
    return new Read(truth, squares, parked, queued);
  }

  /** Every cell of an open dead letter or reconciliation item, keyed as in {@link Read}. */
  static void openItems(Connection c, Map<String, State> queued) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT channel, queue, evidence FROM queue_items WHERE state = 'open'"
                    + " ORDER BY queue DESC");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        State s = rs.getString(2).equals("dead_letter") ? State.DEAD_LETTER : State.RECONCILIATION;
        Map<?, ?> evidence;
        try {
          evidence = JSON.readValue(rs.getString(3), Map.class);
        } catch (IOException e) {
          throw new UncheckedIOException("queue item evidence of " + rs.getString(1), e);
        }
        if (evidence.get("batch") instanceof Map<?, ?> b
            && b.get("cells") instanceof List<?> cells) {
          for (Object cell : cells) {
            if (cell instanceof List<?> l && l.size() >= 3) {
              String key =
                  rs.getString(1)
                      + "|"
                      + b.get("property")
                      + "|"
                      + l.get(2)
                      + "|"
                      + l.get(0)
                      + "|"
                      + (l.get(1) == null ? "" : l.get(1));
              queued.merge(key, s, State::worst);
            }
          }
        }
      }
    }
  }

  private static Square square(LocalDate d, Read r, String key, int truthCells, Set<String> drift) {
    EnumMap<State, Integer> counts = new EnumMap<>(State.class);
    EnumMap<State, Integer> found = r.squares.get(key);
    if (found != null) {
      counts.putAll(found);
    }
    int sep = key.indexOf('|');
    String channel = key.substring(0, sep);
    String night = key.substring(sep + 1);
    String property = night.substring(0, night.indexOf('|'));
    for (String cell : r.parked.getOrDefault(key, List.of())) {
      String full = channel + "|" + property + "|" + d + "|" + cell;
      counts.merge(r.queued.getOrDefault(full, State.STALE), 1, Integer::sum);
    }
    // Drift held for review: the cell is at parity by the versions, but the channel differs.
    for (String cell : drift) {
      if (cell.startsWith(d + "|")) {
        counts.merge(State.AT_PARITY, -1, Integer::sum);
        counts.merge(State.DRIFT, 1, Integer::sum);
      }
    }
    counts.values().removeIf(n -> n <= 0);
    int mapped = counts.values().stream().mapToInt(Integer::intValue).sum();
    State state = mapped == 0 ? (truthCells == 0 ? State.NO_DATA : State.UNMAPPED) : State.NO_DATA;
    if (mapped > 0) {
      state = State.AT_PARITY;
      for (State s : counts.keySet()) {
        state = state.worst(s);
      }
    }
    return new Square(d, state, counts, Math.max(0, truthCells - mapped));
  }

  /**
   * The drift cells ({@code date|roomType|ratePlan}, with truth's version then) of a pair's last
   * pass, when held for review.
   */
  record Group(String channel, String property, Map<String, Long> cells) {}

  /**
   * Per {@code channel|property}: the held drift cells ({@code date|roomType|ratePlan}) still at
   * parity by the versions at the version the pass compared: a newer change sends truth again and
   * shows as pending, in flight or at parity instead. One query per held pair.
   */
  Map<String, Set<String>> drifted(List<Group> groups, Window w) {
    Map<String, Set<String>> out = new HashMap<>();
    if (groups.isEmpty()) {
      return out;
    }
    return db.read(
        c -> {
          for (Group g : groups) {
            Set<String> cells = new HashSet<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT o.date, o.room_type, o.rate_plan, t.version, "
                        + CELL_STATE
                        + " AS s"
                        + CELLS
                        + w.sql("o")
                        + " AND o.channel = ? AND o.property = ?")) {
              int i = w.bind(ps, 1);
              ps.setString(i++, g.channel());
              ps.setString(i, g.property());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  String key = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
                  Long then = g.cells().get(key);
                  if (then != null
                      && then == rs.getLong(4)
                      && rs.getString(5).equals("AT_PARITY")) {
                    cells.add(key);
                  }
                }
              }
            }
            out.put(g.channel() + "|" + g.property(), cells);
          }
          return out;
        });
  }

  /**
   * The groups held for review of the newest report that covered each channel and property (a later
   * pass that found it clean or corrected it hides an older one's drift); reads at most {@link
   * #REPORTS_READ} reports.
   */
  List<Group> lastGroups(List<String> channels, List<Property> properties, Filter f) {
    List<String> ids =
        db.read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id FROM reconciliation_reports"
                          + " ORDER BY created_at DESC, id DESC LIMIT "
                          + REPORTS_READ)) {
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(rs.getString(1));
                  }
                }
              }
              return out;
            });
    List<Group> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int pairs = channels.size() * properties.size();
    ReportStore store = new ReportStore(db);
    for (String id : ids) {
      if (seen.size() >= pairs) {
        break;
      }
      ReconciliationReport report = store.find(id).orElse(null);
      if (report == null) {
        continue;
      }
      for (ReconciliationReport.Group g : report.groups()) {
        if (!seen.add(g.channel() + "|" + g.property())
            || g.status() != ReconciliationReport.Status.REVIEW
            || !channels.contains(g.channel())) {
          continue;
        }
        Map<String, Long> cells = new HashMap<>();
        for (DriftCell cell : g.cells()) {
          String plan = cell.ratePlan() == null ? "" : cell.ratePlan();
          if (cell.kind().drift()
              && cell.date() != null
              && cell.truthVersion() != null
              && (f.roomType() == null || f.roomType().equals(cell.roomType()))
              && (f.ratePlan() == null || f.ratePlan().equals(plan))) {
            cells.put(cell.date() + "|" + cell.roomType() + "|" + plan, cell.truthVersion());
          }
        }
        if (!cells.isEmpty()) {
          out.add(new Group(g.channel(), g.property(), cells));
        }
      }
    }
    return out;
  }
}
