package dev.paritysync.royalty;

import java.util.Locale;

/**
 * The fields a parser extracts from a report line before validation. Each maps, per source, to a
 * column (or joined record column) in configuration under its {@link #key()}.
 */
public enum Field {
  PERIOD("period"),
  PERIOD_START("periodStart"),
  PERIOD_END("periodEnd"),
  TERRITORY("territory"),
  ISRC("isrc"),
  UPC("upc"),
  TITLE("title"),
  ARTIST("artist"),
  COMMERCIAL_MODEL("commercialModel"),
  USE_TYPE("useType"),
  QUANTITY("quantity"),
  AMOUNT("amount"),
  CURRENCY("currency"),
  SALE_TYPE("saleType");

  private final String key;

  Field(String key) {
    this.key = key;
  }

  /** The configuration key and the field name used in dead letters, e.g. {@code periodStart}. */
  public String key() {
    return key;
  }

  /** The field whose {@link #key()} is {@code key}, ignoring case. */
  static Field ofKey(String key) {
    for (Field f : values()) {
      if (f.key.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown field '" + key + "'");
  }
}
