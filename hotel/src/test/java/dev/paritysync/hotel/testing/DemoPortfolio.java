package dev.paritysync.hotel.testing;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.batch.RangeCompressor;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A portfolio shaped like the demo's: 5 properties × 8 room types × 3 rate plans over a full year,
 * with availability, rates and every restriction kind (min/max LOS, closed, closed to arrival,
 * closed to departure, each also explicitly opened), compressed into ranges by the real {@link
 * RangeCompressor}. Shared by the OpenTravel schema tests and the Cloudbeds contract test.
 */
public final class DemoPortfolio {
  public static final List<String> PROPERTIES = List.of("ALPS", "BEACH", "CITY", "LAKE", "RIVER");
  public static final List<String> ROOMS =
      List.of("STD", "DBL", "TWN", "SUP", "DLX", "JSU", "FAM", "ACC");
  public static final List<String> PLANS = List.of("BAR", "NRF", "BB");
  public static final LocalDate FIRST = LocalDate.of(2027, 1, 1);
  public static final LocalDate LAST = LocalDate.of(2027, 12, 31);

  private DemoPortfolio() {}

  /** PMS codes → channel codes, unlike each other so a test sees the mapping applied. */
  public static ChannelMapping mapping() {
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

  public static Map<String, String> hotelCodes() {
    Map<String, String> codes = new LinkedHashMap<>();
    for (int i = 0; i < PROPERTIES.size(); i++) {
      codes.put(PROPERTIES.get(i), "H" + (10_001 + i));
    }
    return codes;
  }

  /** The ranges of one property, in the compressor's order. */
  public static List<CellRange> ranges(String property) {
    RangeCompressor compressor =
        new RangeCompressor(new ChannelLimits(Integer.MAX_VALUE, Long.MAX_VALUE, false), x -> 1);
    return compressor.compress(cells(property)).stream().flatMap(List::stream).toList();
  }

  /** Every cell of one property: availability per room type, rate and restrictions per plan. */
  public static List<Cell> cells(String property) {
    List<Cell> cells = new ArrayList<>();
    int p = PROPERTIES.indexOf(property);
    for (int r = 0; r < ROOMS.size(); r++) {
      for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
        int availability = (d.getDayOfYear() / 7 + r + p) % 6;
        cells.add(
            new Cell(property, ROOMS.get(r), null, d, CellValues.ofAvailability(availability)));
        for (String plan : PLANS) {
          cells.add(new Cell(property, ROOMS.get(r), plan, d, planValues(p, r, plan, d)));
        }
      }
    }
    return cells;
  }

  private static CellValues planValues(int property, int room, String plan, LocalDate d) {
    boolean weekend =
        d.getDayOfWeek() == DayOfWeek.FRIDAY || d.getDayOfWeek() == DayOfWeek.SATURDAY;
    boolean summer = d.getMonth() == Month.JULY || d.getMonth() == Month.AUGUST;
    BigDecimal amount =
        BigDecimal.valueOf(8_000 + 1_000 * room + 500 * property + (weekend ? 2_050 : 0))
            .add(BigDecimal.valueOf(summer ? 1_575 : 0))
            .add(BigDecimal.valueOf(plan.equals("NRF") ? -1_000 : plan.equals("BB") ? 1_800 : 0))
            .movePointLeft(2);
    Restrictions r = Restrictions.none();
    if (d.getMonth() != Month.NOVEMBER) {
      r = r.withMinLos(summer ? 3 : weekend ? 2 : 1);
    }
    if (plan.equals("NRF")) {
      r = r.withMaxLos(14);
    }
    if (plan.equals("BB")) {
      r = r.withClosed(d.getMonth() == Month.DECEMBER && d.getDayOfMonth() >= 24);
    }
    if (plan.equals("BAR")) {
      r =
          r.withClosedToArrival(d.getDayOfWeek() == DayOfWeek.SATURDAY)
              .withClosedToDeparture(d.getDayOfWeek() == DayOfWeek.SUNDAY);
    }
    return new CellValues(Rate.of(amount.toPlainString(), "EUR"), null, r);
  }
}
