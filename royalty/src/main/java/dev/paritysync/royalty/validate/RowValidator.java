package dev.paritysync.royalty.validate;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SaleType;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link RawRow} into a {@link SalesRow}, or into a {@link DeadLetterRow} naming the first
 * field that fails (fields are checked in the order period, territory, ISRC, UPC, sale type,
 * quantity, amount, currency). Negative quantities and amounts are legal only on rows whose sale
 * type {@linkplain SaleType#allowsNegative() allows it}. Thread-safe; it keeps the periods it
 * parsed.
 */
public final class RowValidator {
  private final Territories territories;
  private final @Nullable DateTimeFormatter dateFormat;
  private final SourceConfig config;
  private static final int PERIODS = 256;
  private final java.util.Map<String, UsagePeriod> periods =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<Pair, UsagePeriod> pairs =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A validator with {@code config}'s territory aliases, sale-type codes and date format. */
  public RowValidator(SourceConfig config) {
    this.config = config;
    this.territories = Territories.withAliases(config.territoryAliases());
    String pattern = config.dateFormat();
    this.dateFormat = pattern == null ? null : DateTimeFormatter.ofPattern(pattern);
  }

  /**
   * Validates {@code row}; never throws for bad data. A row with a parser {@link RawRow#defect()}
   * is invalid with that defect as its field and reason.
   */
  public Validated validate(RawRow row) {
    RawRow.Defect d = row.defect();
    if (d != null) {
      return new Validated.Invalid(
          new DeadLetterRow(
              row.source(), row.report(), row.rowNumber(), d.field(), d.reason(), d.excerpt()));
    }
    List<String> notes = new ArrayList<>(row.notes());
    Field field = Field.PERIOD;
    try {
      UsagePeriod period = period(row);
      field = Field.TERRITORY;
      String territory = territories.normalise(row.get(Field.TERRITORY), notes);
      field = Field.ISRC;
      String isrc = Isrc.normalise(row.get(Field.ISRC), notes);
      field = Field.UPC;
      String upc = Upc.normalise(row.get(Field.UPC), notes);
      field = Field.SALE_TYPE;
      SaleType saleType = saleType(row.get(Field.SALE_TYPE));
      field = Field.QUANTITY;
      long quantity = quantity(row.get(Field.QUANTITY), saleType);
      field = Field.AMOUNT;
      BigDecimal amount = amount(row.get(Field.AMOUNT), saleType);
      field = Field.CURRENCY;
      String currency = currency(row.get(Field.CURRENCY), notes);
      return new Validated.Valid(
          new SalesRow(
              row.source(),
              row.report(),
              row.rowNumber(),
              period.start(),
              period.end(),
              period.partitionMonth(),
              territory,
              isrc,
              upc,
              text(row.get(Field.TITLE)),
              text(row.get(Field.ARTIST)),
              text(row.get(Field.COMMERCIAL_MODEL)),
              text(row.get(Field.USE_TYPE)),
              quantity,
              amount,
              currency,
              saleType,
              notes));
    } catch (InvalidValueException e) {
      return new Validated.Invalid(
          new DeadLetterRow(
              row.source(),
              row.report(),
              row.rowNumber(),
              field.key(),
              e.getMessage(),
              row.excerpt(),
              row.values()));
    }
  }

  private UsagePeriod period(RawRow row) {
    String whole = row.get(Field.PERIOD);
    if (whole != null && !whole.isBlank()) {
      UsagePeriod known = periods.get(whole);
      if (known == null) {
        known = UsagePeriod.parse(whole);
        remember(whole, known);
      }
      return known;
    }
    String start = row.get(Field.PERIOD_START);
    String end = row.get(Field.PERIOD_END);
    if (start == null || end == null) {
      return periodOf(start, end);
    }
    // a DSR's blocks take turns between a few periods: keep every pair, not only the last one
    Pair pair = new Pair(start, end);
    UsagePeriod known = pairs.get(pair);
    if (known == null) {
      known = periodOf(start, end);
      if (pairs.size() < PERIODS) {
        pairs.put(pair, known);
      }
    }
    return known;
  }

  /**
   * A report names few periods over millions of rows: parsed ones are kept (up to {@value
   * #PERIODS}; failures are not, so each bad row gets its own reason).
   */
  private void remember(String text, UsagePeriod period) {
    if (periods.size() < PERIODS) {
      periods.put(text, period);
    }
  }

  /** A start and an end text. */
  private record Pair(String start, String end) {}

  private UsagePeriod periodOf(@Nullable String start, @Nullable String end) {
    if (dateFormat != null) {
      return UsagePeriod.parse(start, end, dateFormat);
    }
    return UsagePeriod.parse(start, end);
  }

  private SaleType saleType(@Nullable String raw) {
    if (raw == null || raw.isBlank()) {
      return SaleType.SALE;
    }
    String code = raw.strip().toUpperCase(Locale.ROOT);
    SaleType type = config.saleTypes().get(code);
    if (type != null) {
      return type;
    }
    for (SaleType t : SaleType.values()) {
      if (t.name().equals(code)) {
        return t;
      }
    }
    throw new InvalidValueException(
        "sale type '"
            + raw
            + "' is none of "
            + new java.util.TreeSet<>(config.saleTypes().keySet())
            + " or sale, return,"
            + " adjustment, fee");
  }

  private static long quantity(@Nullable String raw, SaleType type) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidValueException("quantity is missing");
    }
    long q;
    try {
      q = Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidValueException("quantity '" + raw + "' is not an integer");
    }
    if (q < 0 && !type.allowsNegative()) {
      throw new InvalidValueException(
          "quantity " + q + " is negative on a row not marked as return, adjustment or fee");
    }
    return q;
  }

  private static BigDecimal amount(@Nullable String raw, SaleType type) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidValueException("amount is missing");
    }
    BigDecimal a;
    try {
      a = new BigDecimal(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidValueException("amount '" + raw + "' is not a decimal number");
    }
    if (a.signum() < 0 && !type.allowsNegative()) {
      throw new InvalidValueException(
          "amount "
              + a.toPlainString()
              + " is negative on a row not marked as return, adjustment"
              + " or fee");
    }
    return a;
  }

  private static String currency(@Nullable String raw, List<String> notes) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidValueException("currency is missing");
    }
    String s = raw.strip();
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.length() != 3) {
      throw new InvalidValueException("currency '" + raw + "' is not an ISO 4217 code");
    }
    try {
      Currency.getInstance(upper);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("currency '" + raw + "' is not an ISO 4217 code");
    }
    if (!upper.equals(s)) {
      notes.add("currency: " + s + " -> " + upper);
    }
    return upper;
  }

  private static String text(@Nullable String raw) {
    return raw == null ? "" : raw.strip();
  }
}
