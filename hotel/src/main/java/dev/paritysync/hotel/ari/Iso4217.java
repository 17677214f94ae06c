package dev.paritysync.hotel.ari;

import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/** The string is an ISO 4217 currency code that {@link Currency} knows. Null is valid. */
@Documented
@Constraint(validatedBy = Iso4217.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RUNTIME)
@interface Iso4217 {
  String message() default "${validatedValue} is not an ISO 4217 currency code";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Check implements ConstraintValidator<Iso4217, String> {
    @Override
    public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
      return value == null || currency(value) != null;
    }

    /** The currency with {@code code}, or null when there is none. */
    static @Nullable Currency currency(@Nullable String code) {
      if (code == null || !code.matches("[A-Z]{3}")) {
        return null;
      }
      try {
        return Currency.getInstance(code);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
