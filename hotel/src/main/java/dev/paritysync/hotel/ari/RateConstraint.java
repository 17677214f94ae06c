package dev.paritysync.hotel.ari;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.Currency;

/** A rate's amount has no more significant decimals than its currency's minor unit allows. */
final class RateConstraint implements ConstraintValidator<ValidRate, Rate> {

  @Override
  public boolean isValid(Rate rate, ConstraintValidatorContext context) {
    if (rate == null || rate.amount() == null) {
      return true;
    }
    Currency currency = Iso4217.Check.currency(rate.currency());
    if (currency == null) {
      return true; // @Iso4217 reports it
    }
    int allowed = currency.getDefaultFractionDigits();
    if (allowed < 0) {
      Violations.add(
          context,
          "currency",
          currency.getCurrencyCode() + " has no minor unit; a rate needs a currency that has one");
      return false;
    }
    // Trailing zeros do not change an amount: 100.00 JPY is 100 JPY.
    int decimals = Math.max(0, rate.amount().stripTrailingZeros().scale());
    if (decimals > allowed) {
      Violations.add(
          context,
          "amount",
          rate.amount().toPlainString()
              + " has "
              + decimals
              + " decimals; "
              + currency.getCurrencyCode()
              + " allows at most "
              + allowed);
      return false;
    }
    return true;
  }
}
