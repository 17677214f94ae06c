package dev.paritysync.hotel.ari;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

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
        @Nullable Integer minLos,
    @Min(value = 1, message = "${validatedValue} is below 1; a length of stay is at least 1 night")
        @Nullable Integer maxLos,
    @Nullable Boolean closed,
    @Nullable Boolean closedToArrival,
    @Nullable Boolean closedToDeparture) {

  private static final Restrictions NONE = new Restrictions(null, null, null, null, null);

  /** Restrictions that set nothing; add fields with the {@code withX} methods. */
  public static Restrictions none() {
    return NONE;
  }

  /** Whether no component is set. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** A copy with {@code minLos} set to {@code nights} (null: unchanged). */
  public Restrictions withMinLos(@Nullable Integer nights) {
    return new Restrictions(nights, maxLos, closed, closedToArrival, closedToDeparture);
  }

  /** A copy with {@code maxLos} set to {@code nights} (null: unchanged). */
  public Restrictions withMaxLos(@Nullable Integer nights) {
    return new Restrictions(minLos, nights, closed, closedToArrival, closedToDeparture);
  }

  /** A copy with {@code closed} (stop-sell) set to {@code value} (null: unchanged). */
  public Restrictions withClosed(@Nullable Boolean value) {
    return new Restrictions(minLos, maxLos, value, closedToArrival, closedToDeparture);
  }

  /** A copy with {@code closedToArrival} set to {@code value} (null: unchanged). */
  public Restrictions withClosedToArrival(@Nullable Boolean value) {
    return new Restrictions(minLos, maxLos, closed, value, closedToDeparture);
  }

  /** A copy with {@code closedToDeparture} set to {@code value} (null: unchanged). */
  public Restrictions withClosedToDeparture(@Nullable Boolean value) {
    return new Restrictions(minLos, maxLos, closed, closedToArrival, value);
  }
}
