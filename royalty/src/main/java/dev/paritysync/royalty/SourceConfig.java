package dev.paritysync.royalty;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to read one source's reports: the format, which column holds each {@link Field}, territory
 * aliases, sale-type codes and the date format. Immutable.
 *
 * <p>A column is named as it appears in the report's header. For DSR flat files it is {@code
 * RECORD.Column}, where {@code RECORD} is a record type without its version ({@code SU}, {@code
 * AS}, {@code RE}, {@code SY}, {@code HEAD}) and {@code Column} a name from that record type's
 * {@code #} heading; the first of several columns that has a value wins. A column written {@code
 * =VALUE} is the constant {@code VALUE} (e.g. {@code currency: "=USD"}).
 *
 * @param name the source name, used in rows and dead letters
 * @param format the report format
 * @param columns per field, the columns to read, first non-empty wins
 * @param territoryAliases alias → territory (e.g. {@code WW → Worldwide})
 * @param saleTypes upper-case marker code → sale type (e.g. {@code R → RETURN})
 * @param dateFormat a {@link java.time.format.DateTimeFormatter} pattern for period dates, or null
 *     for the DSR period forms
 */
public record SourceConfig(
    String name,
    Format format,
    Map<Field, List<String>> columns,
    Map<String, String> territoryAliases,
    Map<String, SaleType> saleTypes,
    String dateFormat) {

  /** Report formats. */
  public enum Format {
    /** DDEX DSR flat file (tab-separated records with {@code #} headings). */
    DSR,
    /** Apple-style tab-separated label sales report with a header row. */
    APPLE,
    /** Distributor CSV (RFC 4180) with a header row. */
    CSV,
    /**
     * The JSON rows of a DSP's report API ({@code dev.paritysync.royalty.dsp.DspSource}); a column
     * is a property of the row object. Not a file format: files cannot be read with it.
     */
    JSON
  }

  /** Copies the collections. */
  public SourceConfig {
    Map<Field, List<String>> cols = new EnumMap<>(Field.class);
    columns.forEach((f, c) -> cols.put(f, List.copyOf(c)));
    columns = cols.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(cols);
    territoryAliases = Map.copyOf(territoryAliases);
    saleTypes = Map.copyOf(saleTypes);
  }

  /** The built-in defaults for {@code format}; see {@code docs/royalty.md} for the mappings. */
  public static SourceConfig defaults(String name, Format format) {
    Map<Field, List<String>> c = new EnumMap<>(Field.class);
    Map<String, SaleType> sale = new LinkedHashMap<>();
    String dateFormat = null;
    switch (format) {
      case DSR -> {
        c.put(Field.PERIOD_START, List.of("SU.ValidityPeriodStart", "HEAD.UsageStartDate"));
        c.put(Field.PERIOD_END, List.of("SU.ValidityPeriodEnd", "HEAD.UsageEndDate"));
        c.put(Field.TERRITORY, List.of("SY.Territory"));
        c.put(Field.ISRC, List.of("AS.ISRC"));
        c.put(Field.UPC, List.of("RE.ICPN"));
        c.put(Field.TITLE, List.of("AS.Title"));
        c.put(Field.ARTIST, List.of("AS.DisplayArtistName"));
        c.put(Field.COMMERCIAL_MODEL, List.of("SY.CommercialModel"));
        c.put(Field.USE_TYPE, List.of("SY.UseType"));
        c.put(Field.QUANTITY, List.of("SU.Usages"));
        c.put(Field.AMOUNT, List.of("SU.NetRevenue"));
        c.put(Field.CURRENCY, List.of("SY.Currency"));
      }
      case APPLE -> {
        c.put(Field.PERIOD_START, List.of("Start Date"));
        c.put(Field.PERIOD_END, List.of("End Date"));
        c.put(Field.UPC, List.of("UPC"));
        c.put(Field.ISRC, List.of("ISRC/ISBN"));
        c.put(Field.TITLE, List.of("Title"));
        c.put(Field.ARTIST, List.of("Artist/Show"));
        c.put(Field.QUANTITY, List.of("Quantity"));
        c.put(Field.AMOUNT, List.of("Extended Partner Share"));
        c.put(Field.CURRENCY, List.of("Partner Share Currency"));
        c.put(Field.SALE_TYPE, List.of("Sale or Return"));
        c.put(Field.TERRITORY, List.of("Country Of Sale"));
        sale.put("S", SaleType.SALE);
        sale.put("R", SaleType.RETURN);
        dateFormat = "MM/dd/yyyy";
      }
      case CSV -> {
        c.put(Field.PERIOD, List.of("Sale Month"));
        c.put(Field.COMMERCIAL_MODEL, List.of("Store"));
        c.put(Field.ARTIST, List.of("Artist"));
        c.put(Field.TITLE, List.of("Title"));
        c.put(Field.ISRC, List.of("ISRC"));
        c.put(Field.UPC, List.of("UPC"));
        c.put(Field.QUANTITY, List.of("Quantity"));
        c.put(Field.TERRITORY, List.of("Country of Sale"));
        c.put(Field.AMOUNT, List.of("Earnings (USD)"));
        c.put(Field.CURRENCY, List.of("=USD"));
      }
      case JSON -> {
        c.put(Field.PERIOD_START, List.of("periodStart"));
        c.put(Field.PERIOD_END, List.of("periodEnd"));
        c.put(Field.TERRITORY, List.of("territory"));
        c.put(Field.ISRC, List.of("isrc"));
        c.put(Field.UPC, List.of("upc"));
        c.put(Field.TITLE, List.of("title"));
        c.put(Field.ARTIST, List.of("artist"));
        c.put(Field.COMMERCIAL_MODEL, List.of("commercialModel"));
        c.put(Field.USE_TYPE, List.of("useType"));
        c.put(Field.QUANTITY, List.of("quantity"));
        c.put(Field.AMOUNT, List.of("amount"));
        c.put(Field.CURRENCY, List.of("currency"));
        c.put(Field.SALE_TYPE, List.of("saleType"));
      }
    }
    return new SourceConfig(name, format, c, Map.of("WW", "Worldwide"), sale, dateFormat);
  }

  /**
   * Every source under {@code sources} of a YAML-loaded map: source name → {@link #fromMap}.
   *
   * @throws IllegalArgumentException naming the key path of the first bad setting
   */
  public static Map<String, SourceConfig> allFromMap(Map<String, ?> sources) {
    Map<String, SourceConfig> out = new LinkedHashMap<>();
    sources.forEach(
        (name, value) -> {
          if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("sources." + name + ": expected a map");
          }
          Map<String, Object> map = new LinkedHashMap<>();
          m.forEach((k, v) -> map.put(String.valueOf(k), v));
          out.put(name, fromMap(name, map));
        });
    return out;
  }

  /**
   * One source from a YAML-loaded map with keys {@code format} (dsr, apple, csv, json; required),
   * {@code columns} (field key → column name or list of names), {@code territoryAliases}, {@code
   * saleTypes} (code → sale, return, adjustment, fee) and {@code dateFormat}. Settings not given
   * keep the {@link #defaults format's defaults}; given maps are merged over them.
   *
   * @throws IllegalArgumentException naming the key path ({@code sources.NAME.key}) of a bad
   *     setting
   */
  public static SourceConfig fromMap(String name, Map<String, ?> map) {
    String path = "sources." + name;
    for (String key : map.keySet()) {
      if (!List.of("format", "columns", "territoryAliases", "saleTypes", "dateFormat")
          .contains(key)) {
        throw new IllegalArgumentException(
            path
                + "."
                + key
                + ": unknown key; expected format, columns, territoryAliases, saleTypes or"
                + " dateFormat");
      }
    }
    Object fmt = map.get("format");
    if (fmt == null) {
      throw new IllegalArgumentException(path + ".format: is required (dsr, apple, csv or json)");
    }
    Format format;
    try {
      format = Format.valueOf(String.valueOf(fmt).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          path + ".format: '" + fmt + "' is not one of dsr, apple, csv, json", e);
    }
    SourceConfig base = defaults(name, format);
    Map<Field, List<String>> columns = columns(base, map.get("columns"), path);
    Map<String, String> aliases = new LinkedHashMap<>(base.territoryAliases());
    asMap(map.get("territoryAliases"), path + ".territoryAliases")
        .forEach((k, v) -> aliases.put(k.toUpperCase(Locale.ROOT), String.valueOf(v)));
    Map<String, SaleType> sale = saleTypes(base, map.get("saleTypes"), path);
    Object df = map.get("dateFormat");
    String dateFormat = df == null ? base.dateFormat() : String.valueOf(df);
    if (dateFormat != null) {
      try {
        var unused = java.time.format.DateTimeFormatter.ofPattern(dateFormat); // validates
      } catch (IllegalArgumentException | ClassCastException e) {
        // The JDK's pattern parser throws ClassCastException for some patterns ("yyupcMM": a pad
        // modifier before a letter that is not a number), found by SourceConfigFuzzTest.
        throw new IllegalArgumentException(
            path + ".dateFormat: '" + dateFormat + "' is not a date pattern", e);
      }
    }
    SourceConfig config = new SourceConfig(name, format, columns, aliases, sale, dateFormat);
    try {
      dev.paritysync.royalty.validate.Territories.withAliases(aliases);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ".territoryAliases: " + e.getMessage(), e);
    }
    return config;
  }

  /** The format's columns with {@code given} merged over them (a null name drops a field). */
  private static Map<Field, List<String>> columns(SourceConfig base, Object given, String path) {
    Map<Field, List<String>> columns = new EnumMap<>(Field.class);
    columns.putAll(base.columns());
    asMap(given, path + ".columns")
        .forEach(
            (k, v) -> {
              Field f;
              try {
                f = Field.ofKey(k);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ".columns." + k + ": unknown field", e);
              }
              if (v == null) {
                columns.remove(f);
              } else if (v instanceof List<?> list) {
                List<String> names = new ArrayList<>();
                list.forEach(x -> names.add(String.valueOf(x)));
                columns.put(f, names);
              } else {
                columns.put(f, List.of(String.valueOf(v)));
              }
            });
    return columns;
  }

  /** The format's sale-type codes with {@code given} merged over them. */
  private static Map<String, SaleType> saleTypes(SourceConfig base, Object given, String path) {
    Map<String, SaleType> sale = new LinkedHashMap<>(base.saleTypes());
    asMap(given, path + ".saleTypes")
        .forEach(
            (k, v) -> {
              try {
                sale.put(
                    k.toUpperCase(Locale.ROOT),
                    SaleType.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT)));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    path
                        + ".saleTypes."
                        + k
                        + ": '"
                        + v
                        + "' is not sale, return, adjustment or fee",
                    e);
              }
            });
    return sale;
  }

  private static Map<String, Object> asMap(Object value, String path) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(path + ": expected a map");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
