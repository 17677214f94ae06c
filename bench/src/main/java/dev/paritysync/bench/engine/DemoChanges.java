package dev.paritysync.bench.engine;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo portfolio (5 properties × 8 room types × 3 rate plans, one year of dates) and a seeded
 * stream of PMS changes to it, cut into calls of an exact number of cells.
 *
 * <p>Cells are counted as ingest counts them: one rate-plan cell per date for a change with a rate
 * or restrictions, plus one room-type cell per date for a change with availability.
 */
final class DemoChanges {
  static final List<String> PROPERTIES = List.of("ALPS", "BEACH", "CITY", "LAKE", "RIVER");
  static final List<String> ROOMS = List.of("STD", "DBL", "TWN", "SUP", "DLX", "JSU", "FAM", "ACC");
  static final List<String> PLANS = List.of("BAR", "NRF", "BB");
  static final LocalDate FIRST = LocalDate.of(2027, 1, 1);
  static final LocalDate LAST = LocalDate.of(2027, 12, 31);
  static final int DAYS = (int) ChronoUnit.DAYS.between(FIRST, LAST) + 1;

  /** Distinct cells of the portfolio: (3 rate-plan cells + 1 room-type cell) per room and date. */
  static final int DISTINCT_CELLS = PROPERTIES.size() * ROOMS.size() * (PLANS.size() + 1) * DAYS;

  private DemoChanges() {}

  static Portfolio portfolio() {
    List<Property> properties = new ArrayList<>();
    for (String p : PROPERTIES) {
      RoomType[] rooms = new RoomType[ROOMS.size()];
      for (int r = 0; r < ROOMS.size(); r++) {
        RatePlan[] plans = PLANS.stream().map(c -> RatePlan.of(c, "EUR")).toArray(RatePlan[]::new);
        rooms[r] = RoomType.of(ROOMS.get(r), plans);
      }
      properties.add(Property.of(p, ZoneOffset.UTC, rooms));
    }
    return Portfolio.of(properties);
  }

  /** Maps every room type and rate plan, to codes unlike the PMS's. */
  static ChannelMapping fullMapping() {
    Map<String, String> rooms = new LinkedHashMap<>();
    for (int i = 0; i < ROOMS.size(); i++) {
      rooms.put(ROOMS.get(i), "RT" + (100 + i));
    }
    Map<String, String> plans = new LinkedHashMap<>();
    for (String p : PLANS) {
      plans.put(p, "RP-" + p);
    }
    return new ChannelMapping(rooms, plans);
  }

  /** The cells {@code change} writes. */
  static int cells(Change change) {
    int perDay =
        (change.availability() != null ? 1 : 0)
            + (change.rate() != null || change.restrictions() != null ? 1 : 0);
    return perDay * ((int) ChronoUnit.DAYS.between(change.from(), change.to()) + 1);
  }

  /**
   * {@code calls} lists of changes, each writing exactly {@code cellsPerCall} cells. The mix: 45%
   * rate changes, 35% availability changes, 15% restriction changes, 5% rate, availability and
   * restrictions at once; ranges mostly short (one night), some weeks, a few seasons.
   */
  static List<List<Change>> calls(int calls, int cellsPerCall, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Change>> out = new ArrayList<>(calls);
    for (int c = 0; c < calls; c++) {
      List<Change> call = new ArrayList<>();
      int left = cellsPerCall;
      while (left > 0) {
        Change change = next(random, left);
        left -= cells(change);
        call.add(change);
      }
      out.add(call);
    }
    return out;
  }

  /** One change writing at most {@code maxCells} cells. */
  private static Change next(SplittableRandom random, int maxCells) {
    String property = PROPERTIES.get(random.nextInt(PROPERTIES.size()));
    String room = ROOMS.get(random.nextInt(ROOMS.size()));
    String plan = PLANS.get(random.nextInt(PLANS.size()));
    int kind = random.nextInt(100);
    int perDay = kind >= 95 ? 2 : 1;
    int length = Math.min(length(random, kind), Math.max(1, maxCells / perDay));
    if (perDay > maxCells) {
      kind = 0; // room for one cell only: a one-night rate change
      perDay = 1;
    }
    LocalDate from = FIRST.plusDays(random.nextInt(DAYS));
    LocalDate to = from.plusDays(length - 1L);
    if (to.isAfter(LAST)) {
      to = LAST;
    }
    Change.Builder b = Change.builder(property, room, from, to);
    if (kind < 45) {
      return b.withRatePlan(plan).withRate(rate(random)).build();
    } else if (kind < 80) {
      return b.withAvailability(random.nextInt(21)).build();
    } else if (kind < 95) {
      return b.withRatePlan(plan).withRestrictions(restrictions(random)).build();
    }
    return b.withRatePlan(plan)
        .withRate(rate(random))
        .withAvailability(random.nextInt(21))
        .withRestrictions(restrictions(random))
        .build();
  }

  /** Nights: rates move in seasons, availability by the night, restrictions by the week. */
  private static int length(SplittableRandom random, int kind) {
    int p = random.nextInt(100);
    if (kind >= 45 && kind < 80) { // availability: bookings and cancellations
      return p < 70 ? 1 : p < 90 ? 2 + random.nextInt(6) : 8 + random.nextInt(23);
    }
    if (kind >= 80 && kind < 95) { // restrictions
      return p < 40 ? 1 : 2 + random.nextInt(13);
    }
    return p < 50
        ? 1
        : p < 75
            ? 2 + random.nextInt(6)
            : p < 90 ? 8 + random.nextInt(23) : 31 + random.nextInt(90);
  }

  private static Rate rate(SplittableRandom random) {
    return new Rate(BigDecimal.valueOf(6_000 + random.nextInt(34_001), 2), "EUR");
  }

  private static Restrictions restrictions(SplittableRandom random) {
    Restrictions r = Restrictions.none();
    return switch (random.nextInt(5)) {
      case 0 -> r.withMinLos(1 + random.nextInt(7));
      case 1 -> r.withMinLos(1 + random.nextInt(3)).withMaxLos(7 + random.nextInt(21));
      case 2 -> r.withClosedToArrival(random.nextBoolean());
      case 3 -> r.withClosedToDeparture(random.nextBoolean());
      default -> r.withClosed(random.nextInt(10) == 0);
    };
  }
}
