package dev.paritysync.hotel.ari;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * A rate's amount is at most {@link ChangeValidator#MAX_RATE} and has no more significant decimals
 * than its currency's minor unit allows.
 *
 * <p>Every step is cheap whatever the exponent: {@code 1e1000000} or {@code 1e-100000000} cost no
 * more than {@code 1}, since nothing here writes an amount out digit by digit ({@link #show}).
 */
final class RateConstraint implements ConstraintValidator<ValidRate, Rate> {
  /** Amounts whose plain form would be longer than this are shown in scientific notation. */
  private static final int PLAIN_DIGITS = 40;

  @Override
  public boolean isValid(Rate rate, ConstraintValidatorContext context) {
    if (rate == null || rate.amount() == null) {
      return true;
    }
    BigDecimal amount = rate.amount();
    // compareTo looks at the exponents first, so a huge exponent is rejected without expanding it.
    if (amount.compareTo(ChangeValidator.MAX_RATE) > 0) {
      Violations.add(
          context,
          "amount",
          show(amount)
              + " is above "
              + ChangeValidator.MAX_RATE.toPlainString()
              + ", the largest rate accepted");
      return false;
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
    int decimals = Math.max(0, amount.stripTrailingZeros().scale());
    if (decimals > allowed) {
      Violations.add(
          context,
          "amount",
          show(amount)
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

  /**
   * {@code amount} as the PMS would write it ({@code 120.50}) when that is short, else in
   * scientific notation ({@code 1E-100000000}), so a message never grows with the exponent.
   */
  static String show(BigDecimal amount) {
    int scale = amount.scale();
    int precision = amount.precision();
    boolean shortPlain =
        precision <= PLAIN_DIGITS && scale <= PLAIN_DIGITS && precision - scale <= PLAIN_DIGITS;
    return shortPlain ? amount.toPlainString() : amount.toString();
  }
}
