package dev.paritysync.app.demo;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.ari.RoomType;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The demo's portfolio and the changes a revenue manager makes to it in a day. */
final class DemoPortfolio {
  private DemoPortfolio() {}

  /**
   * {@code PROPERTIES} hotels of {@code ROOMS} room types, each with rate plans BAR, NRF and BB.
   */
  static Portfolio portfolio() {
    List<Property> properties = new ArrayList<>();
    for (int p = 1; p <= EngineDemo.PROPERTIES; p++) {
      List<RoomType> rooms = new ArrayList<>();
      for (String room : EngineDemo.ROOMS) {
        rooms.add(
            RoomType.of(
                room,
                RatePlan.of("BAR", "EUR"),
                RatePlan.of("NRF", "EUR"),
                RatePlan.of("BB", "EUR")));
      }
      properties.add(Property.of("H" + p, ZoneOffset.UTC, rooms.toArray(RoomType[]::new)));
    }
    return Portfolio.of(properties);
  }

  /** A rate under the outage channel's floor. */
  static Change typo(LocalDate firstNight) {
    return Change.builder("H3", "DBL", firstNight.plusDays(45), firstNight.plusDays(45))
        .withRatePlan("BAR")
        .withRate(new Rate(new BigDecimal("14.00"), "EUR"))
        .build();
  }

  /** A change within the portfolio's {@code days}. */
  static Change change(SplittableRandom random, LocalDate firstNight, int days) {
    String property = "H" + (1 + random.nextInt(EngineDemo.PROPERTIES));
    String room = EngineDemo.ROOMS[random.nextInt(EngineDemo.ROOMS.length)];
    String plan = EngineDemo.PLANS[random.nextInt(EngineDemo.PLANS.length)];
    // most of a revenue manager's attention is on the next two months
    int start =
        random.nextInt(10) < 7 ? random.nextInt(Math.min(60, days)) : random.nextInt(days - 14);
    LocalDate from = firstNight.plusDays(start);
    LocalDate last = firstNight.plusDays(days - 1);
    int kind = random.nextInt(100);
    if (kind < 45) {
      LocalDate to = min(from.plusDays(random.nextInt(14)), last);
      return Change.builder(property, room, from, to)
          .withRatePlan(plan)
          .withRate(new Rate(BigDecimal.valueOf(60 + random.nextInt(240)).setScale(2), "EUR"))
          .build();
    }
    if (kind < 80) {
      return Change.builder(property, room, from, from)
          .withAvailability(random.nextInt(11))
          .build();
    }
    if (kind < 95) {
      LocalDate to = min(from.plusDays(random.nextInt(7)), last);
      boolean weekend =
          from.getDayOfWeek() == DayOfWeek.FRIDAY || from.getDayOfWeek() == DayOfWeek.SATURDAY;
      return Change.builder(property, room, from, to)
          .withRatePlan(plan)
          .withRestrictions(Restrictions.none().withMinLos(weekend ? 2 : 1 + random.nextInt(3)))
          .build();
    }
    return Change.builder(property, room, from, from)
        .withRatePlan(plan)
        .withRestrictions(Restrictions.none().withClosed(random.nextBoolean()))
        .build();
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? b : a;
  }
}
