package dev.paritysync.hotel.ari;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A price for one night: an amount in an ISO 4217 currency. Immutable.
 *
 * <p>The record holds what the PMS sent, unchecked; {@link ChangeValidator} checks it (amount ≥ 0,
 * a known currency, no more significant decimals than the currency's default fraction digits).
 * Equality compares amounts numerically, so {@code 120.0 EUR} equals {@code 120.00 EUR} and the two
 * merge into one range.
 *
 * @param amount the amount, not negative
 * @param currency the ISO 4217 code ("EUR"); it must equal the rate plan's currency. Null only in
 *     what a channel reports without one (a snapshot); a validated change always has one
 */
@ValidRate
public record Rate(
    @NotNull(message = "is missing; a rate needs an amount")
        @DecimalMin(value = "0", message = "${validatedValue} is negative; a rate must be ≥ 0")
        BigDecimal amount,
    @NotNull(message = "is missing; a rate needs an ISO 4217 currency") @Iso4217
        @Nullable String currency) {

  /** A rate of {@code amount} (a decimal string, e.g. {@code "120.50"}) in {@code currency}. */
  public static Rate of(String amount, @Nullable String currency) {
    return new Rate(new BigDecimal(amount), currency);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rate r
        && (amount == null ? r.amount == null : r.amount != null && amount.compareTo(r.amount) == 0)
        && (currency == null ? r.currency == null : currency.equals(r.currency));
  }

  @Override
  public int hashCode() {
    int h = amount == null ? 0 : amount.stripTrailingZeros().hashCode();
    return 31 * h + (currency == null ? 0 : currency.hashCode());
  }

  @Override
  public String toString() {
    return (amount == null ? "?" : RateConstraint.show(amount)) + " " + currency;
  }
}
