package dev.paritysync.royalty.drift;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One drift found in one period: a group of lake rows that breaks a {@link Rule}. Immutable.
 *
 * @param rule the rule broken
 * @param source the source (DSP) whose rows these are
 * @param period the period checked
 * @param territory the rows' territory
 * @param commercialModel the commercial model, for the rules that group by it ({@link
 *     Rule#REVENUE_PER_STREAM}, {@link Rule#ZERO_REVENUE}, {@link Rule#ZERO_STREAMS}); else null
 * @param isrc the ISRC
 * @param upc the 14-digit UPC, or null when the rows have none (or several, for {@link
 *     Rule#VOLUME_JUMP})
 * @param observed what the rows show, e.g. {@code 0.031250 per stream}
 * @param expected what the catalog or the trailing periods lead one to expect
 * @param rows how many lake rows the finding covers
 * @param quantity their total quantity
 * @param amount their total amount, in the rows' currency
 */
public record Finding(
    Rule rule,
    String source,
    YearMonth period,
    String territory,
    @Nullable String commercialModel,
    String isrc,
    @Nullable String upc,
    String observed,
    String expected,
    long rows,
    long quantity,
    BigDecimal amount) {

  /** Checks the required fields. */
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(territory, "territory");
    Objects.requireNonNull(isrc, "isrc");
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(amount, "amount");
  }

  /** One line for consoles: rule, where, what was observed and expected. */
  @Override
  public String toString() {
    return rule.id()
        + " "
        + source
        + "/"
        + territory
        + (commercialModel == null ? "" : "/" + commercialModel)
        + " "
        + isrc
        + (upc == null ? "" : " upc " + upc)
        + ": "
        + observed
        + "; expected "
        + expected
        + " ("
        + rows
        + (rows == 1 ? " row" : " rows")
        + ", amount "
        + amount.stripTrailingZeros().toPlainString()
        + ")";
  }
}
