package dev.paritysync.hotel.ari;

import java.util.Currency;
import java.util.Objects;

/**
 * A rate plan of one room type ("BAR", "NONREF"), priced in one currency. Immutable.
 *
 * @param code the PMS code, unique within its room type
 * @param currency the currency every rate of this plan is given in
 */
public record RatePlan(String code, Currency currency) {
  public RatePlan {
    Portfolio.requireCode(code, "rate plan code");
    Objects.requireNonNull(currency, "currency");
  }

  /** A rate plan priced in the ISO 4217 currency {@code currencyCode}. */
  public static RatePlan of(String code, String currencyCode) {
    return new RatePlan(code, Currency.getInstance(currencyCode));
  }
}
