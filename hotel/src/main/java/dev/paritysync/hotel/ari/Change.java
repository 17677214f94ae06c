package dev.paritysync.hotel.ari;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A write from the PMS to a range of cells: a property, a room type, optionally a rate plan, the
 * stay dates {@code from} to {@code to} (both inclusive), and any subset of rate, availability and
 * restrictions. A null field is unchanged. Immutable.
 *
 * <p>Availability belongs to the room type, so a change that names a rate plan and sets
 * availability sets it for the whole room type. Rate and restrictions need a rate plan.
 *
 * <p>The record holds what the PMS sent, unchecked; run it through {@link ChangeValidator} before
 * accepting it.
 *
 * @param property the property code
 * @param roomType the room type code
 * @param ratePlan the rate plan code, or null when the change sets availability only
 * @param from the first stay date
 * @param to the last stay date, inclusive
 * @param rate the new rate, or null
 * @param availability the new availability, or null
 * @param restrictions the new restrictions (null components unchanged), or null
 */
@ValidChange
public record Change(
    @NotBlank(message = "is missing; a change names its property") String property,
    @NotBlank(message = "is missing; a change names its room type") String roomType,
    @Nullable String ratePlan,
    @NotNull(message = "is missing; a change needs a first date") LocalDate from,
    @NotNull(message = "is missing; a change needs a last date") LocalDate to,
    @Valid @Nullable Rate rate,
    @PositiveOrZero(message = "${validatedValue} is negative; availability must be ≥ 0")
        @Nullable Integer availability,
    @Valid @Nullable Restrictions restrictions) {

  /** Starts a change to {@code roomType} of {@code property} from {@code from} to {@code to}. */
  public static Builder builder(String property, String roomType, LocalDate from, LocalDate to) {
    return new Builder(property, roomType, from, to);
  }

  /** Whether the change sets anything: a rate, availability, or a restriction. */
  boolean setsAnything() {
    return rate != null
        || availability != null
        || (restrictions != null && !restrictions.isEmpty());
  }

  /** Builds a {@link Change}. Not thread-safe. */
  public static final class Builder {
    private final String property;
    private final String roomType;
    private final LocalDate from;
    private final LocalDate to;
    private @Nullable String ratePlan;
    private @Nullable Rate rate;
    private @Nullable Integer availability;
    private @Nullable Restrictions restrictions;

    private Builder(String property, String roomType, LocalDate from, LocalDate to) {
      this.property = property;
      this.roomType = roomType;
      this.from = from;
      this.to = to;
    }

    /** Sets the rate plan; none by default (the change is to the room type). */
    public Builder withRatePlan(@Nullable String code) {
      this.ratePlan = code;
      return this;
    }

    /** Sets the new rate; none by default (unchanged). */
    public Builder withRate(@Nullable Rate rate) {
      this.rate = rate;
      return this;
    }

    /** Sets the new availability; none by default (unchanged). */
    public Builder withAvailability(@Nullable Integer availability) {
      this.availability = availability;
      return this;
    }

    /** Sets the new restrictions; none by default (unchanged). */
    public Builder withRestrictions(@Nullable Restrictions restrictions) {
      this.restrictions = restrictions;
      return this;
    }

    /** The change as set so far; the builder may be reused. */
    public Change build() {
      return new Change(property, roomType, ratePlan, from, to, rate, availability, restrictions);
    }
  }
}
