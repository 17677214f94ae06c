package dev.paritysync.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.hotel.adapter.Adapters;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.batch.RangeCompressor;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One engine on a fresh SQLite file, one {@code native} channel named {@code sim} pointing at one
 * simulator, on real time: what every delivery scenario starts from. Closes all of it.
 */
final class DeliveryRig implements AutoCloseable {
  static final String CHANNEL = "sim";
  static final int PROPERTIES = 5;
  static final int ROOMS = 8;
  static final List<String> PLANS = List.of("BAR", "NR", "BB");
  static final int DAYS = 365;

  /** The demo portfolio: 5 properties × 8 room types × 3 rate plans, rates in EUR. */
  static final Portfolio DEMO = demo();

  final Clock clock = Clock.system();
  final LocalDate today =
      LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1); // no midnight race
  final SimChannel sim;
  final HotelEngine engine;
  final ChannelConfig config;
  private final Path dir;
  private final Database db;
  private final Transport transport;
  private final SystemScheduler scheduler;

  DeliveryRig(SimConfig simConfig, Map<String, Object> resilience) {
    try {
      dir = Files.createTempDirectory("paritysync-delivery");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sim = SimChannel.start(simConfig, clock);
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("engine.db"))
                .withMigrations("classpath:db/migration/hotel")
                .build());
    transport = Transport.builder().withClock(clock).build();
    scheduler = Scheduler.system(4);
    Map<String, Object> channel = new LinkedHashMap<>();
    channel.put("adapter", "native");
    channel.put("baseUrl", sim.baseUri().toString());
    channel.put(
        "credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:K}")));
    Map<String, String> rooms = new LinkedHashMap<>();
    for (int r = 1; r <= ROOMS; r++) {
      rooms.put(room(r), room(r));
    }
    Map<String, String> plans = new LinkedHashMap<>();
    PLANS.forEach(p -> plans.put(p, p));
    channel.put("mapping", Map.of("rooms", rooms, "ratePlans", plans));
    channel.put("resilience", resilience);
    config = ChannelConfig.parse(CHANNEL, channel, KEY);
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(clock)
            .withScheduler(scheduler)
            .withTransport(transport)
            .withPortfolio(DEMO)
            .withChannels(Map.of(CHANNEL, config))
            .build();
  }

  static String property(int p) {
    return "P" + p;
  }

  static String room(int r) {
    return "RT" + r;
  }

  /**
   * The fewest requests that carry {@code cells} (the final truth of every changed cell), per
   * property: the engine's own {@link RangeCompressor} under the channel's limits and size
   * estimate.
   */
  int minimumRequests(Map<String, List<Cell>> cellsByProperty) {
    RangeCompressor compressor =
        new RangeCompressor(config.limits(), Adapters.standard().create(config)::estimateSize);
    int total = 0;
    for (List<Cell> cells : cellsByProperty.values()) {
      total += compressor.compress(cells).size();
    }
    return total;
  }

  /** The fewest requests per property, as {@link #minimumRequests} counts them. */
  Map<String, Integer> minimumRequestsByProperty(Map<String, List<Cell>> cellsByProperty) {
    Map<String, Integer> out = new TreeMap<>();
    cellsByProperty.forEach((p, cells) -> out.put(p, minimumRequests(Map.of(p, cells))));
    return out;
  }

  /** Waits (polling every {@code poll}) until the channel is settled; false after {@code limit}. */
  boolean awaitSettled(Duration poll, Duration limit) {
    long deadline = clock.nanoTime() + limit.toNanos();
    while (clock.nanoTime() < deadline) {
      if (status().settled()) {
        return true;
      }
      LockSupport.parkNanos(poll.toNanos());
    }
    return false;
  }

  HotelEngine.ChannelStatus status() {
    return Objects.requireNonNull(
        engine.status().get(CHANNEL), "the engine reports no status for channel " + CHANNEL);
  }

  /** Cells whose value in the simulator differs from {@code truth}. */
  long drift(Map<String, List<Cell>> truth) {
    long drift = 0;
    for (Map.Entry<String, List<Cell>> e : truth.entrySet()) {
      Map<CellKey, CellValue> held = sim.state(e.getKey());
      for (Cell c : e.getValue()) {
        CellValue v = held.get(new CellKey(c.roomType(), c.ratePlan(), c.date()));
        if (v == null || v.rate() == null || v.rate().compareTo(truthRate(c)) != 0) {
          drift++;
        }
      }
    }
    return drift;
  }

  /**
   * Per cell ({@code property/room/plan/date}), the versions the channel acknowledged and when
   * (epoch ms of the ledger's {@code batch.acknowledged} entry), from the done batches' payloads.
   */
  Map<String, NavigableMap<Long, Long>> acknowledgements() {
    ObjectMapper json = new ObjectMapper();
    return db.read(
        c -> {
          Map<String, NavigableMap<Long, Long>> out = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT w.payload, l.at FROM work_items w JOIN ledger l ON l.subject = w.id"
                      + " AND l.kind = 'batch.acknowledged' WHERE w.queue = ?")) {
            ps.setString(1, "deliver:" + CHANNEL);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                JsonNode payload;
                try {
                  payload = json.readTree(rs.getString(1));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                long at = rs.getLong(2);
                String property = payload.get("property").asText();
                for (JsonNode cell : payload.get("cells")) {
                  String key =
                      key(
                          property,
                          cell.get(0).asText(),
                          cell.get(1).asText(),
                          cell.get(2).asText());
                  out.computeIfAbsent(key, k -> new TreeMap<>())
                      .merge(cell.get(3).asLong(), at, Math::min);
                }
              }
            }
          }
          return out;
        });
  }

  /** Per ledger kind ({@code batch.formed}, {@code attempt}, ...), how many batches have one. */
  Map<String, Long> ledgerCounts() {
    return db.read(
        c -> {
          Map<String, Long> out = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT kind, COUNT(DISTINCT subject) FROM ledger WHERE channel = ? GROUP BY kind")) {
            ps.setString(1, CHANNEL);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
              }
            }
          }
          return out;
        });
  }

  /** Ranges per formed batch: min, median, max, and how many batches carry fewer than 10. */
  String rangesPerRequest() {
    ObjectMapper json = new ObjectMapper();
    List<Integer> sizes =
        db.read(
            c -> {
              List<Integer> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT payload FROM work_items WHERE queue = ?")) {
                ps.setString(1, "deliver:" + CHANNEL);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    try {
                      out.add(json.readTree(rs.getString(1)).get("ranges").size());
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                }
              }
              return out;
            });
    if (sizes.isEmpty()) {
      return "none";
    }
    sizes.sort(null);
    long small = sizes.stream().filter(n -> n < 10).count();
    return "min "
        + sizes.get(0)
        + ", median "
        + sizes.get(sizes.size() / 2)
        + ", max "
        + sizes.get(sizes.size() - 1)
        + ", "
        + small
        + " of "
        + sizes.size()
        + " under 10";
  }

  private static BigDecimal truthRate(Cell c) {
    Rate rate = c.values().rate();
    if (rate == null) {
      throw new IllegalArgumentException("truth cell without a rate: " + c);
    }
    return rate.amount();
  }

  /** The key of a cell; {@code plan} is null for a room-level (availability) cell. */
  static String key(String property, String room, @Nullable String plan, String date) {
    return property + "/" + room + "/" + plan + "/" + date;
  }

  static String key(Cell c) {
    return key(c.property(), c.roomType(), c.ratePlan(), c.date().toString());
  }

  /** Groups a cell → values map by property, cells sorted. */
  static Map<String, List<Cell>> byProperty(Map<String, Cell> cells) {
    Map<String, List<Cell>> out = new TreeMap<>();
    for (Cell c : cells.values()) {
      out.computeIfAbsent(c.property(), p -> new ArrayList<>()).add(c);
    }
    out.values().forEach(l -> l.sort(Comparator.comparing(DeliveryRig::key)));
    return out;
  }

  static Cell cell(String property, String room, String plan, LocalDate date, CellValues v) {
    return new Cell(property, room, plan, date, v);
  }

  @Override
  public void close() {
    engine.close();
    scheduler.close();
    transport.close();
    sim.close();
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static Portfolio demo() {
    List<Property> properties = new ArrayList<>();
    for (int p = 1; p <= PROPERTIES; p++) {
      RoomType[] rooms = new RoomType[ROOMS];
      for (int r = 1; r <= ROOMS; r++) {
        rooms[r - 1] =
            RoomType.of(
                room(r), PLANS.stream().map(pl -> RatePlan.of(pl, "EUR")).toArray(RatePlan[]::new));
      }
      properties.add(Property.of(property(p), ZoneOffset.UTC, rooms));
    }
    return Portfolio.of(properties);
  }

  private static final SecretResolver KEY = SecretResolver.constant(Secret.of("bench"));
}
