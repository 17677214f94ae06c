package dev.paritysync.hotel.ari;

import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Class-level rules of a {@link Change}; see {@link ChangeConstraint}. Messages are built per
 * violation.
 */
@Documented
@Constraint(validatedBy = ChangeConstraint.class)
@Target(ElementType.TYPE)
@Retention(RUNTIME)
@interface ValidChange {
  String message() default "is invalid";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
