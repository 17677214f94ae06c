package dev.paritysync.hotel.ari;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.time.Clock;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorFactory;
import org.hibernate.validator.messageinterpolation.ExpressionLanguageFeatureLevel;

/**
 * Checks PMS changes against the portfolio and the calendar, with Hibernate Validator, and reports
 * every error of every change at once.
 *
 * <p>Rules: property, room type and rate plan codes are in the portfolio; a rate has an amount from
 * 0 to {@link #MAX_RATE} in a known ISO 4217 currency, with no more significant decimals than the
 * currency's default fraction digits (JPY 0, EUR 2, BHD 3), and that currency is the rate plan's;
 * availability ≥ 0; lengths of stay ≥ 1 and {@code minLos ≤ maxLos}; {@code from ≤ to}; both dates
 * within today … today + horizon days (default {@value #DEFAULT_HORIZON_DAYS}), where today is the
 * injected clock's date in the property's time zone (UTC for an unknown property); a change sets at
 * least one field; rate and restrictions need a rate plan.
 *
 * <p>Immutable and thread-safe. It validates against the portfolio it was built with; build a new
 * one when the portfolio changes (cheap: the underlying factory is shared).
 */
public final class ChangeValidator {
  /** How many days after today a change may reach, unless told otherwise. */
  public static final int DEFAULT_HORIZON_DAYS = 750;

  /**
   * The largest amount a rate may have in any currency, 1,000,000,000 (ten integer digits: room
   * rates in IDR or VND reach the hundreds of millions). Together with the currency's scale it
   * bounds every accepted amount to 13 digits, so no amount a PMS sends costs more to store, batch
   * or encode than any other. Callers may enforce a lower maximum (the HTTP API's {@code
   * server.maxRate}).
   */
  public static final BigDecimal MAX_RATE = BigDecimal.valueOf(1_000_000_000L);

  private final Validator validator;

  /** Validates against {@code portfolio}, with today read from {@code clock}, over 750 days. */
  public ChangeValidator(Portfolio portfolio, Clock clock) {
    this(portfolio, clock, DEFAULT_HORIZON_DAYS);
  }

  /**
   * Validates against {@code portfolio}, with today read from {@code clock}, up to today + {@code
   * horizonDays}.
   *
   * @throws IllegalArgumentException when {@code horizonDays} is negative
   */
  public ChangeValidator(Portfolio portfolio, Clock clock, int horizonDays) {
    if (horizonDays < 0) {
      throw new IllegalArgumentException("horizonDays must be ≥ 0, was " + horizonDays);
    }
    ValidationContext context =
        new ValidationContext(
            Objects.requireNonNull(portfolio, "portfolio"),
            Objects.requireNonNull(clock, "clock"),
            horizonDays);
    this.validator =
        Factory.INSTANCE
            .unwrap(HibernateValidatorFactory.class)
            .usingContext()
            .constraintValidatorPayload(context)
            .getValidator();
  }

  /**
   * Every error of every change, as {@code changes[i].field.path: message}, ordered by change index
   * and then path. Empty when all changes are valid.
   */
  public List<FieldError> validate(List<Change> changes) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      String prefix = "changes[" + i + "]";
      Change change = changes.get(i);
      if (change == null) {
        errors.add(new FieldError(prefix, "is null"));
        continue;
      }
      List<FieldError> own = new ArrayList<>();
      for (ConstraintViolation<Change> v : validator.validate(change)) {
        String path = v.getPropertyPath().toString();
        own.add(new FieldError(path.isEmpty() ? prefix : prefix + "." + path, v.getMessage()));
      }
      own.sort(Comparator.comparing(FieldError::path).thenComparing(FieldError::message));
      errors.addAll(own);
    }
    return List.copyOf(errors);
  }

  // Building a factory costs tens of milliseconds; one per process is enough.
  private static final class Factory {
    static final ValidatorFactory INSTANCE =
        Validation.byProvider(HibernateValidator.class)
            .configure()
            .constraintValidatorFactory(PackageValidatorFactory.INSTANCE)
            .constraintExpressionLanguageFeatureLevel(ExpressionLanguageFeatureLevel.VARIABLES)
            .customViolationExpressionLanguageFeatureLevel(ExpressionLanguageFeatureLevel.NONE)
            .buildValidatorFactory();
  }
}
