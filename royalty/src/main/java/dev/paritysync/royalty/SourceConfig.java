package dev.paritysync.royalty;

import dev.paritysync.core.config.ConfigMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
    @Nullable String dateFormat) {

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
    @Nullable String dateFormat = null;
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
    return all(new ConfigMap("sources", sources));
  }

  /**
   * Every source of a {@code sources} mapping, by name in file order.
   *
   * @throws IllegalArgumentException naming the key path ({@code sources.NAME.key}) of the first
   *     bad setting
   */
  public static Map<String, SourceConfig> all(ConfigMap sources) {
    Map<String, SourceConfig> out = new LinkedHashMap<>();
    for (String name : sources.names()) {
      out.put(name, read(name, ConfigMap.of(sources.key(name), sources.raw(name))));
    }
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
    return read(name, new ConfigMap("sources." + name, map));
  }

  private static SourceConfig read(String name, ConfigMap c) {
    c.allow("format", "columns", "territoryAliases", "saleTypes", "dateFormat");
    if (!c.has("format")) {
      throw c.error("format", "is required (dsr, apple, csv or json)");
    }
    Format format = c.enumValue("format", Format.class, Format.CSV);
    SourceConfig base = defaults(name, format);
    Map<Field, List<String>> columns = columns(c.child("columns"), base);
    Map<String, String> aliases = new LinkedHashMap<>(base.territoryAliases());
    c.child("territoryAliases")
        .asMap()
        .forEach((k, v) -> aliases.put(k.toUpperCase(Locale.ROOT), String.valueOf(v)));
    Map<String, SaleType> sale = new LinkedHashMap<>(base.saleTypes());
    ConfigMap saleTypes = c.child("saleTypes");
    saleTypes
        .asMap()
        .forEach(
            (k, v) -> {
              try {
                sale.put(
                    k.toUpperCase(Locale.ROOT),
                    SaleType.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT)));
              } catch (IllegalArgumentException e) {
                throw saleTypes.error(k, "'" + v + "' is not sale, return, adjustment or fee");
              }
            });
    String dateFormat = c.string("dateFormat", base.dateFormat());
    if (dateFormat != null) {
      try {
        var unused = java.time.format.DateTimeFormatter.ofPattern(dateFormat); // validates
      } catch (IllegalArgumentException | ClassCastException e) {
        // The JDK's pattern parser throws ClassCastException for some patterns ("yyupcMM": a pad
        // modifier before a letter that is not a number), found by SourceConfigFuzzTest.
        throw c.error("dateFormat", "'" + dateFormat + "' is not a date pattern");
      }
    }
    SourceConfig config = new SourceConfig(name, format, columns, aliases, sale, dateFormat);
    try {
      dev.paritysync.royalty.validate.Territories.withAliases(aliases);
    } catch (IllegalArgumentException e) {
      throw c.error("territoryAliases", String.valueOf(e.getMessage()));
    }
    return config;
  }

  private static Map<Field, List<String>> columns(ConfigMap given, SourceConfig base) {
    Map<Field, List<String>> columns = new EnumMap<>(Field.class);
    columns.putAll(base.columns());
    given
        .asMap()
        .forEach(
            (k, v) -> {
              Field f;
              try {
                f = Field.ofKey(k);
              } catch (IllegalArgumentException e) {
                throw given.error(k, "unknown field");
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
}
