package dev.paritysync.royalty;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One validated sales or usage line, ready for the lake. Immutable.
 *
 * @param source the configured source name
 * @param report the report identifier (usually the file name)
 * @param rowNumber the 1-based physical line in the report where the row starts
 * @param periodStart first day of the usage period
 * @param periodEnd last day of the usage period (inclusive)
 * @param partitionMonth the month of {@code periodStart}: a row belongs to the month its usage
 *     began
 * @param territory ISO 3166-1 alpha-2 code, {@code XK}, or {@code Worldwide}
 * @param isrc 12 upper-case characters per ISO 3901
 * @param upc 14-digit GTIN (UPC/EAN left-padded with zeros), or null when the line has none
 * @param title the track title, or empty
 * @param artist the display artist, or empty; several artists are joined with {@code ", "}
 * @param commercialModel the commercial model (DSR), or the store (distributor CSV), or empty
 * @param useType the use type (DSR, e.g. {@code Stream}), or empty
 * @param quantity units or usages; negative only when {@code saleType} allows it
 * @param amount revenue in {@code currency}; negative only when {@code saleType} allows it
 * @param currency ISO 4217 code
 * @param saleType sale, return, adjustment or fee
 * @param normalisations what was changed to make the line valid, e.g. {@code isrc: removed hyphens}
 */
public record SalesRow(
    String source,
    String report,
    long rowNumber,
    LocalDate periodStart,
    LocalDate periodEnd,
    YearMonth partitionMonth,
    String territory,
    String isrc,
    @Nullable String upc,
    String title,
    String artist,
    String commercialModel,
    String useType,
    long quantity,
    BigDecimal amount,
    String currency,
    SaleType saleType,
    List<String> normalisations) {

  /** Checks required fields and copies {@code normalisations}. */
  public SalesRow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(periodStart, "periodStart");
    Objects.requireNonNull(periodEnd, "periodEnd");
    Objects.requireNonNull(partitionMonth, "partitionMonth");
    Objects.requireNonNull(territory, "territory");
    Objects.requireNonNull(isrc, "isrc");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(saleType, "saleType");
    title = title == null ? "" : title;
    artist = artist == null ? "" : artist;
    commercialModel = commercialModel == null ? "" : commercialModel;
    useType = useType == null ? "" : useType;
    normalisations = List.copyOf(normalisations);
  }
}
