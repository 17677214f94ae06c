package dev.paritysync.hotel.ari;

import jakarta.validation.constraints.Min;

/**
 * Stay restrictions of a rate plan on a date. Every component may be null: in a {@link Change},
 * null means "unchanged". Immutable.
 *
 * <p>The record holds what the PMS sent, unchecked; {@link ChangeValidator} checks that both
 * lengths of stay are at least 1 and that {@code minLos ≤ maxLos} when a change sets both.
 *
 * @param minLos the minimum length of stay in nights, or null
 * @param maxLos the maximum length of stay in nights, or null
 * @param closed whether the rate plan is closed (stop-sell), or null
 * @param closedToArrival whether a stay may not start on the date, or null
 * @param closedToDeparture whether a stay may not end on the date, or null
 */
@LosOrder
public record Restrictions(
    @Min(value = 1, message = "${validatedValue} is below 1; a length of stay is at least 1 night")
        Integer minLos,
    @Min(value = 1, message = "${validatedValue} is below 1; a length of stay is at least 1 night")
        Integer maxLos,
    Boolean closed,
    Boolean closedToArrival,
    Boolean closedToDeparture) {

  private static final Restrictions NONE = new Restrictions(null, null, null, null, null);

  /** Restrictions that set nothing; add fields with the {@code withX} methods. */
  public static Restrictions none() {
    return NONE;
  }

  /** Whether no component is set. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  public Restrictions withMinLos(Integer nights) {
    return new Restrictions(nights, maxLos, closed, closedToArrival, closedToDeparture);
  }

  public Restrictions withMaxLos(Integer nights) {
    return new Restrictions(minLos, nights, closed, closedToArrival, closedToDeparture);
  }

  public Restrictions withClosed(Boolean value) {
    return new Restrictions(minLos, maxLos, value, closedToArrival, closedToDeparture);
  }

  public Restrictions withClosedToArrival(Boolean value) {
    return new Restrictions(minLos, maxLos, closed, value, closedToDeparture);
  }

  public Restrictions withClosedToDeparture(Boolean value) {
    return new Restrictions(minLos, maxLos, closed, closedToArrival, value);
  }
}
