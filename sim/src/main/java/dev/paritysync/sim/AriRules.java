package dev.paritysync.sim;

import dev.paritysync.core.classify.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The channel's business rules for decoded updates, the same for every dialect: 422 validation
 * (limits, required fields, ranges, rate floor) and 409 conflict cells. Stateless and thread-safe.
 */
final class AriRules {
  /** The longest date range one update or one read may span. */
  static final int MAX_RANGE_DAYS = 731;

  private final SimConfig config;
  private final AriCodec dialect;
  private final Set<String> conflictCells;

  AriRules(SimConfig config, AriCodec dialect) {
    this.config = config;
    this.dialect = dialect;
    this.conflictCells = config.conflictCells();
  }

  List<FieldError> validate(List<AriUpdate> updates) {
    List<FieldError> errors = new ArrayList<>();
    if (updates.size() > config.maxUpdatesPerRequest()) {
      errors.add(
          new FieldError(
              dialect.updatesPointer(),
              "at most "
                  + config.maxUpdatesPerRequest()
                  + " updates per request, got "
                  + updates.size()));
      return errors;
    }
    if (updates.isEmpty()) {
      errors.add(new FieldError(dialect.updatesPointer(), "at least one update is required"));
      return errors;
    }
    BigDecimal floor = config.rateFloor();
    for (int i = 0; i < updates.size(); i++) {
      AriUpdate u = updates.get(i);
      if (u.room() == null || u.room().isBlank()) {
        errors.add(new FieldError(dialect.pointer(i, "room"), "required"));
      }
      if (u.ratePlan() == null && u.hasRateOrRestriction()) {
        errors.add(
            new FieldError(
                dialect.pointer(i, "ratePlan"), "required when a rate or restriction is given"));
      }
      if (u.ratePlan() != null && u.ratePlan().isBlank()) {
        errors.add(new FieldError(dialect.pointer(i, "ratePlan"), "must not be blank"));
      }
      if (u.from() == null) {
        errors.add(new FieldError(dialect.pointer(i, "from"), "required"));
      }
      if (u.to() == null) {
        errors.add(new FieldError(dialect.pointer(i, "to"), "required"));
      }
      if (u.from() != null && u.to() != null) {
        if (u.to().isBefore(u.from())) {
          errors.add(new FieldError(dialect.pointer(i, "to"), "must not be before from"));
        } else if (ChronoUnit.DAYS.between(u.from(), u.to()) >= MAX_RANGE_DAYS) {
          errors.add(
              new FieldError(
                  dialect.pointer(i, "to"), "range longer than " + MAX_RANGE_DAYS + " days"));
        }
      }
      if (u.rate() != null) {
        if (u.rate().signum() < 0) {
          errors.add(new FieldError(dialect.pointer(i, "rate"), "must not be negative"));
        } else if (floor != null && u.rate().compareTo(floor) < 0) {
          errors.add(
              new FieldError(
                  dialect.pointer(i, "rate"),
                  "rate "
                      + u.rate().toPlainString()
                      + " is below the floor "
                      + floor.toPlainString()));
        }
      }
      if (u.currency() != null && !u.currency().matches("[A-Z]{3}")) {
        errors.add(new FieldError(dialect.pointer(i, "currency"), "expected an ISO 4217 code"));
      }
      nonNegative(errors, i, "availability", u.availability());
      nonNegative(errors, i, "minLos", u.minLos());
      nonNegative(errors, i, "maxLos", u.maxLos());
      if (u.minLos() != null && u.maxLos() != null && u.minLos() > u.maxLos()) {
        errors.add(new FieldError(dialect.pointer(i, "maxLos"), "must not be below minLos"));
      }
    }
    return errors;
  }

  private void nonNegative(List<FieldError> errors, int i, String field, @Nullable Integer value) {
    if (value != null && value < 0) {
      errors.add(new FieldError(dialect.pointer(i, field), "must not be negative"));
    }
  }

  List<FieldError> conflicts(String property, List<AriUpdate> updates) {
    List<FieldError> errors = new ArrayList<>();
    if (conflictCells.isEmpty()) {
      return errors;
    }
    for (int i = 0; i < updates.size(); i++) {
      AriUpdate u = updates.get(i);
      // validated: every update names its dates
      LocalDate to = Objects.requireNonNull(u.to(), "to");
      for (LocalDate d = Objects.requireNonNull(u.from(), "from");
          !d.isAfter(to);
          d = d.plusDays(1)) {
        String cell = property + "/" + u.room() + "/" + u.ratePlan() + "/" + d;
        if (conflictCells.contains(cell)) {
          errors.add(new FieldError(dialect.pointer(i, ""), "cell " + cell + " is in conflict"));
        }
      }
    }
    return errors;
  }
}
