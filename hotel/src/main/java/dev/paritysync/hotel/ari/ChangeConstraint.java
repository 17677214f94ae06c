package dev.paritysync.hotel.ari;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Optional;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * The rules of a {@link Change} that span fields or need the portfolio and the clock: codes known,
 * the rate's currency equal to the rate plan's, a rate plan when rate or restrictions are set,
 * something set, {@code from ≤ to}, and both dates within today … today + horizon in the property's
 * time zone (UTC when the property is unknown).
 */
final class ChangeConstraint implements ConstraintValidator<ValidChange, Change> {

  @Override
  public boolean isValid(Change c, ConstraintValidatorContext context) {
    if (c == null) {
      return true;
    }
    ValidationContext vc =
        context
            .unwrap(HibernateConstraintValidatorContext.class)
            .getConstraintValidatorPayload(ValidationContext.class);
    if (vc == null) {
      throw new IllegalStateException("validate changes with ChangeValidator");
    }
    boolean valid = true;

    Optional<Property> property = Optional.empty();
    Optional<RoomType> room = Optional.empty();
    Optional<RatePlan> plan = Optional.empty();
    if (!isBlank(c.property())) {
      property = vc.portfolio().property(c.property());
      if (property.isEmpty()) {
        valid = fail(context, "property", c.property() + " is not a known property");
      }
    }
    if (property.isPresent() && !isBlank(c.roomType())) {
      room = property.get().roomType(c.roomType());
      if (room.isEmpty()) {
        valid =
            fail(
                context,
                "roomType",
                c.roomType() + " is not a room type of property " + c.property());
      }
    }
    boolean needsPlan =
        c.rate() != null || (c.restrictions() != null && !c.restrictions().isEmpty());
    if (c.ratePlan() == null) {
      if (needsPlan) {
        valid =
            fail(
                context,
                "ratePlan",
                "is missing; a change that sets a rate or restrictions names its rate plan");
      }
    } else if (c.ratePlan().isBlank()) {
      valid = fail(context, "ratePlan", "is blank; name a rate plan or leave it out");
    } else if (room.isPresent()) {
      plan = room.get().ratePlan(c.ratePlan());
      if (plan.isEmpty()) {
        valid =
            fail(
                context,
                "ratePlan",
                c.ratePlan()
                    + " is not a rate plan of room type "
                    + c.roomType()
                    + " in property "
                    + c.property());
      }
    }
    if (!c.setsAnything()) {
      valid =
          fail(context, "", "sets nothing; give at least one of rate, availability, restrictions");
    }
    if (plan.isPresent() && c.rate() != null) {
      Currency given = Iso4217.Check.currency(c.rate().currency());
      Currency expected = plan.get().currency();
      if (given != null && !given.equals(expected)) {
        valid =
            fail(
                context,
                "rate.currency",
                given
                    + " differs from the currency of rate plan "
                    + c.ratePlan()
                    + ", "
                    + expected);
      }
    }
    return checkDates(c, vc, property.map(Property::zone).orElse(ZoneOffset.UTC), context) && valid;
  }

  private static boolean checkDates(
      Change c, ValidationContext vc, ZoneId zone, ConstraintValidatorContext context) {
    boolean valid = true;
    if (c.from() != null && c.to() != null && c.from().isAfter(c.to())) {
      valid = fail(context, "to", c.to() + " is before from " + c.from() + "; from must be ≤ to");
    }
    LocalDate today = LocalDate.ofInstant(vc.clock().instant(), zone);
    LocalDate last = today.plusDays(vc.horizonDays());
    for (String name : new String[] {"from", "to"}) {
      LocalDate date = name.equals("from") ? c.from() : c.to();
      if (date == null) {
        continue;
      }
      if (date.isBefore(today)) {
        valid = fail(context, name, date + " is before today, " + today + " in " + zone);
      } else if (date.isAfter(last)) {
        valid =
            fail(
                context,
                name,
                date
                    + " is after "
                    + last
                    + ", today ("
                    + today
                    + " in "
                    + zone
                    + ") + "
                    + vc.horizonDays()
                    + " days");
      }
    }
    return valid;
  }

  private static boolean fail(ConstraintValidatorContext context, String path, String message) {
    Violations.add(context, path, message);
    return false;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
