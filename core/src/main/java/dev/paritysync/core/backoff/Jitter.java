package dev.paritysync.core.backoff;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * How randomness spreads a computed backoff delay. Given the exponential delay {@code d = min(cap,
 * base × multiplier^(n-1))} for retry {@code n}:
 *
 * <ul>
 *   <li>{@link Kind#NONE}: {@code d};
 *   <li>{@link Kind#FULL}: uniform in {@code [0, d]};
 *   <li>{@link Kind#EQUAL}: {@code d/2} plus uniform in {@code [0, d/2]};
 *   <li>{@link Kind#DECORRELATED}: uniform in {@code [base, previous × 3]}, then capped (the
 *       previous delay of the first retry is {@code base});
 *   <li>{@link Kind#PROPORTIONAL}: {@code d} plus uniform in {@code [0, proportion × d]}, then
 *       capped.
 * </ul>
 *
 * <p>The first four are the kinds of the AWS Architecture Blog post "Exponential Backoff And
 * Jitter" (2015); the last is what several channel managers document ("add 0–50 %"). Immutable.
 */
public record Jitter(Kind kind, double proportion) {

  /** The kinds of jitter. */
  public enum Kind {
    NONE,
    FULL,
    EQUAL,
    DECORRELATED,
    PROPORTIONAL
  }

  public Jitter {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.PROPORTIONAL) {
      if (!(proportion >= 0) || proportion > 10 || Double.isNaN(proportion)) {
        throw new IllegalArgumentException(
            "jitter proportion must be between 0 and 10 (0 % to 1000 %), was " + proportion);
      }
    } else if (proportion != 0) {
      throw new IllegalArgumentException(
          "only proportional jitter takes a proportion, not " + kind);
    }
  }

  public static Jitter none() {
    return new Jitter(Kind.NONE, 0);
  }

  public static Jitter full() {
    return new Jitter(Kind.FULL, 0);
  }

  public static Jitter equal() {
    return new Jitter(Kind.EQUAL, 0);
  }

  public static Jitter decorrelated() {
    return new Jitter(Kind.DECORRELATED, 0);
  }

  /** Adds uniform {@code [0, proportion × d]}: {@code proportional(0.5)} is "+0–50 %". */
  public static Jitter proportional(double proportion) {
    return new Jitter(Kind.PROPORTIONAL, proportion);
  }

  /**
   * Parses a configuration value: {@code none}, {@code full}, {@code equal}, {@code decorrelated},
   * or {@code proportional:50%} / {@code proportional:0.5}. The number is a plain decimal (an
   * exponent such as {@code 5e1%} is allowed); {@link #toString()} prints a form this parses back
   * to an equal jitter.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static Jitter parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String name = colon < 0 ? s : s.substring(0, colon);
    switch (name) {
      case "none":
      case "full":
      case "equal":
      case "decorrelated":
        if (colon >= 0) {
          break;
        }
        return new Jitter(Kind.valueOf(name.toUpperCase(Locale.ROOT)), 0);
      case "proportional":
        if (colon < 0) {
          break;
        }
        String p = s.substring(colon + 1).trim();
        try {
          // Decimal arithmetic: 7% is exactly the double nearest 0.07, and toString parses back.
          // BigDecimal also refuses what Double.parseDouble tolerates (NaN, "10d", hex).
          BigDecimal value =
              p.endsWith("%")
                  ? new BigDecimal(p.substring(0, p.length() - 1).trim()).movePointLeft(2)
                  : new BigDecimal(p);
          return proportional(value.doubleValue());
        } catch (NumberFormatException
            | ArithmeticException e) { // ArithmeticException: scale overflow
          break;
        }
      default:
        break;
    }
    throw new IllegalArgumentException(
        "unknown jitter '"
            + text
            + "': expected none, full, equal, decorrelated or proportional:<percent>%");
  }

  @Override
  public String toString() {
    return kind == Kind.PROPORTIONAL
        ? "proportional:"
            + new BigDecimal(Double.toString(proportion))
                .movePointRight(2)
                .stripTrailingZeros()
                .toPlainString()
            + "%"
        : kind.name().toLowerCase(Locale.ROOT);
  }
}
