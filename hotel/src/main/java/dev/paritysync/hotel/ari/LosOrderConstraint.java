package dev.paritysync.hotel.ari;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** When restrictions set both lengths of stay, {@code minLos ≤ maxLos}. */
final class LosOrderConstraint implements ConstraintValidator<LosOrder, Restrictions> {

  @Override
  public boolean isValid(Restrictions r, ConstraintValidatorContext context) {
    if (r == null || r.minLos() == null || r.maxLos() == null || r.minLos() <= r.maxLos()) {
      return true;
    }
    Violations.add(
        context,
        "minLos",
        r.minLos() + " exceeds maxLos " + r.maxLos() + "; minLos must be ≤ maxLos");
    return false;
  }
}
