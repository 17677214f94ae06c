package dev.paritysync.hotel.ari;

import java.util.List;
import java.util.Optional;

/**
 * A room type of one property ("DBL") and the rate plans sold for it. Availability is kept per room
 * type; rates and restrictions per rate plan. Immutable.
 *
 * @param code the PMS code, unique within its property
 * @param ratePlans the rate plans of this room type, with distinct codes
 */
public record RoomType(String code, List<RatePlan> ratePlans) {
  public RoomType {
    Portfolio.requireCode(code, "room type code");
    ratePlans = List.copyOf(ratePlans);
    Portfolio.requireDistinct(ratePlans.stream().map(RatePlan::code).toList(), "rate plan", code);
  }

  /** A room type with the given rate plans. */
  public static RoomType of(String code, RatePlan... ratePlans) {
    return new RoomType(code, List.of(ratePlans));
  }

  /** The rate plan with {@code code}, if this room type has one. */
  public Optional<RatePlan> ratePlan(String code) {
    return ratePlans.stream().filter(p -> p.code().equals(code)).findFirst();
  }
}
